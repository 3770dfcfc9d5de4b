"""The style options of the command lines (stylizer.options) and StyleSettings."""
import argparse
import dataclasses

from stylizer.options import _RENAMED, _STYLE_OPTIONS, _dest, add_style_arguments, settings_from_args
from stylizer.settings import StyleSettings


def parse(argv):
    parser = argparse.ArgumentParser()
    add_style_arguments(parser)
    return settings_from_args(parser.parse_args(argv))


def test_every_style_option_names_a_settings_field():
    fields = {field.name for field in dataclasses.fields(StyleSettings)}
    dests = {_RENAMED.get(dest, dest) for dest in (_dest(flag, keywords) for flag, keywords, _ in _STYLE_OPTIONS)}
    assert dests <= fields, dests - fields


def test_vgg_padding_reaches_the_settings():
    # it was missing from a hand-kept list of options and silently ignored by both command lines
    assert parse(["--vgg-padding", "mirror"]).vgg_padding == "mirror"
    assert parse([]).vgg_padding == StyleSettings().vgg_padding
