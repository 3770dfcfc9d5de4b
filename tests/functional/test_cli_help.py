"""`nst --help` says every default, from the code that applies it; `nst` keeps library log lines to itself."""
import argparse
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.cli import build_parser
from stylizer.settings import StyleSettings

ROOT = Path(__file__).resolve().parents[2]


def _parsers(parser: argparse.ArgumentParser, name: str = "nst"):
    yield name, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub_name, sub in action.choices.items():
                yield from _parsers(sub, f"{name} {sub_name}")


def test_every_option_with_a_default_says_it():
    for name, parser in _parsers(build_parser()):
        formatter = parser._get_formatter()
        for action in parser._actions:
            if not action.option_strings or action.default in (None, False, argparse.SUPPRESS):
                continue
            if isinstance(action, argparse._HelpAction):
                continue
            said = formatter._expand_help(action)
            assert "default" in said, f"{name} {action.option_strings[0]}: {said!r}"


def _option_help(command: str, flag: str) -> str:
    parser = dict(_parsers(build_parser()))[f"nst {command}"]
    action = next(a for a in parser._actions if flag in a.option_strings)
    return " ".join(parser._get_formatter()._expand_help(action).split())


def test_style_option_help_names_the_settings_defaults():
    defaults = StyleSettings()
    assert _option_help("stylize", "--compile").endswith(f"(default {defaults.compile})")
    if defaults.iterations:
        assert _option_help("stylize", "--iterations").endswith(f"(default {defaults.iterations})")
    else:  # 0: each mode's own number of steps
        assert _option_help("stylize", "--iterations").endswith(
            f"(default {defaults.photo_iterations} for photos, {defaults.gif_iterations} for GIFs)")
    assert _option_help("stylize", "--method").endswith(f"(default {defaults.method})")
    assert _option_help("stylize", "--preserve-colors").endswith("(default: off)")
    assert "XLA-compiled (default)" not in _option_help("stylize", "--compile")


def test_verbose_is_accepted_before_and_after_the_command():
    parser = build_parser()
    assert parser.parse_args(["--verbose", "styles"]).verbose is True
    assert parser.parse_args(["styles", "--verbose"]).verbose is True
    assert not getattr(parser.parse_args(["styles"]), "verbose", False)


@pytest.mark.slow
def test_stylize_prints_no_library_log_lines(tmp_path):
    out = tmp_path / "painted.png"
    result = subprocess.run([sys.executable, "-m", "pipeline.cli", "stylize", str(ROOT / "demo" / "chelsea.png"),
                             "--style", "starry_night", "-o", str(out), "--size", "32", "--iterations", "2",
                             "--quiet"], capture_output=True, text=True, timeout=300, cwd=tmp_path,
                            env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == f"wrote {out}"
    assert result.stderr == "", result.stderr[-2000:]


def test_serve_builds_the_page_only_when_it_is_missing(tmp_path, monkeypatch):
    from pipeline.commands import serve

    monkeypatch.setattr("shutil.which", lambda name: "/usr/bin/npm")  # npm itself is faked below
    frontend = tmp_path / "frontend"
    frontend.mkdir()
    ran = []

    def npm(command):  # what npm would leave behind
        ran.append(command[:2])
        if command[1] == "run":
            (frontend / "dist").mkdir()
            (frontend / "dist" / "index.html").write_text("<!doctype html>")
        return 0

    assert serve.build_page(frontend / "dist", frontend, npm) is True
    assert ran == [["npm", "ci"], ["npm", "run"]]
    assert serve.build_page(frontend / "dist", frontend, npm) is False  # built: nothing runs again
    assert serve.build_page(tmp_path / "elsewhere", frontend, npm) is False  # not ours to build
    assert len(ran) == 2

    def failing(command):
        return 1

    (frontend / "dist" / "index.html").unlink()
    with pytest.raises(FileNotFoundError, match="npm ci"):
        serve.build_page(frontend / "dist", frontend, failing)
