"""`nst stylize` and `nst styles` from the command line: outputs, progress and errors with exit codes."""
import subprocess
import sys
from pathlib import Path

import pytest

from stylizer.gif import read_gif, read_image

DATA = Path(__file__).resolve().parents[1] / "data"


def nst(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline.cli", *args], capture_output=True, text=True, timeout=300)


def test_styles_lists_the_catalogue_with_credits():
    result = nst("styles")
    assert result.returncode == 0
    assert "starry_night" in result.stdout and "Vincent van Gogh" in result.stdout and "1889" in result.stdout


@pytest.mark.slow
def test_stylize_gif_keeps_frames_and_timing(tmp_path):
    out = tmp_path / "out.gif"
    result = nst("stylize", str(DATA / "muybridge_tiny.gif"), "--style", "the_scream", "-o", str(out),
                 "--size", "32", "--iterations", "2")
    assert result.returncode == 0, result.stderr[-2000:]
    source, stylised = read_gif(DATA / "muybridge_tiny.gif"), read_gif(out)
    assert len(stylised.frames) == len(source.frames) and stylised.durations_ms == source.durations_ms
    assert "frame" in result.stderr  # the progress bar names the frame


@pytest.mark.slow
def test_stylize_photo_with_blended_styles(tmp_path):
    photo = tmp_path / "photo.png"
    from stylizer.gif import write_image
    write_image(photo, read_gif(DATA / "muybridge_tiny.gif").frames[0])
    out = tmp_path / "painted.png"
    result = nst("stylize", str(photo), "--style", "starry_night:0.7", "--style", "great_wave:0.3",
                 "-o", str(out), "--size", "48", "--iterations", "2", "--preserve-colors", "--quiet")
    assert result.returncode == 0, result.stderr[-2000:]
    assert max(read_image(out).shape[:2]) == 48


@pytest.mark.parametrize("content, message", [
    (b"", "empty"),
    (b"hello, I am a text file", "not"),
    (b"GIF89a\xff\xff\xff\xff\x00\x00\x00", "65535"),
])
def test_bad_input_gets_a_message_and_a_nonzero_exit(tmp_path, content, message):
    bad = tmp_path / "bad.gif"
    bad.write_bytes(content)
    result = nst("stylize", str(bad), "--style", "starry_night", "-o", str(tmp_path / "o.gif"))
    assert result.returncode == 2
    assert message in result.stderr.lower() and "Traceback" not in result.stderr


def test_missing_file_and_unknown_style(tmp_path):
    result = nst("stylize", str(tmp_path / "nope.png"), "--style", "starry_night", "-o", str(tmp_path / "o.png"))
    assert result.returncode == 2 and "nope.png" in result.stderr
    result = nst("stylize", str(DATA / "muybridge_tiny.gif"), "--style", "monet", "-o", str(tmp_path / "o.gif"))
    assert result.returncode == 2 and "monet" in result.stderr and "starry_night" in result.stderr


def test_output_kind_must_match_input(tmp_path):
    result = nst("stylize", str(DATA / "muybridge_tiny.gif"), "--style", "udnie", "-o", str(tmp_path / "o.png"))
    assert result.returncode == 2 and ".gif" in result.stderr
