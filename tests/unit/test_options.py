"""The style options of the command lines (stylizer.options) and StyleSettings."""
import argparse
import dataclasses

import pytest

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


def test_the_style_weight_is_each_modes_unless_given():
    from stylizer.settings import GIF_STYLE_WEIGHT, PHOTO_STYLE_WEIGHT
    from stylizer.transfer import style_weight

    defaults = StyleSettings()
    assert (defaults.photo_style_weight, defaults.gif_style_weight) == (PHOTO_STYLE_WEIGHT, GIF_STYLE_WEIGHT)
    assert PHOTO_STYLE_WEIGHT != GIF_STYLE_WEIGHT  # otherwise this test could not tell the modes apart
    given = parse(["--style-weight", "7"])
    assert (given.photo_style_weight, given.gif_style_weight) == (7.0, 7.0)
    assert style_weight(defaults) == PHOTO_STYLE_WEIGHT  # a 0 that reaches the loss outside the two modes
    assert style_weight(given) == 7.0


def test_each_mode_resolves_the_settings_it_paints_with():
    from stylizer import settings as modes

    gif, photo = StyleSettings().for_gif(), StyleSettings().for_photo()
    assert (gif.size, gif.iterations, gif.style_weight) == (modes.GIF_SIZE, modes.GIF_ITERATIONS,
                                                             modes.GIF_STYLE_WEIGHT)
    assert (photo.size, photo.iterations, photo.style_weight) == (modes.PHOTO_SIZE, modes.PHOTO_ITERATIONS,
                                                                   modes.PHOTO_STYLE_WEIGHT)
    assert gif.vgg_padding == modes.GIF_VGG_PADDING and photo.vgg_padding == modes.PHOTO_VGG_PADDING
    assert gif.for_gif() == gif  # resolving twice changes nothing
    given = StyleSettings(size=64, iterations=3, style_weight=2.0).for_gif()
    assert (given.size, given.iterations, given.style_weight) == (64, 3, 2.0)


def test_the_laplacian_term_is_each_modes_unless_given_and_zero_turns_it_off():
    import pytest

    from stylizer import settings as modes
    from stylizer.transfer import laplacian_weight

    defaults = StyleSettings()
    assert defaults.for_photo().laplacian_weight == modes.PHOTO_LAPLACIAN_WEIGHT > 0
    assert defaults.for_gif().laplacian_weight == modes.GIF_LAPLACIAN_WEIGHT == 0.0  # measured: not for GIFs
    assert laplacian_weight(defaults) == modes.PHOTO_LAPLACIAN_WEIGHT  # "the mode's" outside the two modes
    off = parse(["--laplacian-weight", "0", "--laplacian-pool", "4"])
    assert (off.for_photo().laplacian_weight, off.laplacian_pool, laplacian_weight(off)) == (0.0, 4, 0.0)
    assert parse(["--laplacian-weight", "2"]).for_gif().laplacian_weight == 2.0
    with pytest.raises(ValueError, match="laplacian_weight"):
        StyleSettings(laplacian_weight=-0.5)


def test_style_layer_weights_reach_the_settings_and_a_wrong_list_is_refused(capsys):
    assert parse(["--style-layer-weights", "1,1,1,1,0.5"]).style_layer_weights == (1.0, 1.0, 1.0, 1.0, 0.5)
    assert parse([]).for_gif().style_layer_weights == (1.0, 1.0, 1.0, 1.0, 0.25)  # not given: the mode's
    with pytest.raises(SystemExit):
        parse(["--style-layer-weights", "1,deep"])
    assert "one comma-separated weight per style layer" in capsys.readouterr().err
