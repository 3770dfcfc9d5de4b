"""Limits and the pure-Python GIF scanner: every bad input gets its own error and a readable message."""
import io
import os
import random
import struct
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import pytest

import stylizer
from stylizer.exceptions import CorruptInput, InputTooLarge, UnsupportedFormat
from stylizer.gifheader import browser_delay_ms, scan_gif, sniff_format
from stylizer.limits import Limits

DATA = Path(__file__).resolve().parents[1] / "data"
NEWTON = (DATA / "newtonscradle.gif").read_bytes()
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64

# --- hand-made GIFs: every block written out, so each test controls exactly one thing -------------------
ONE_PIXEL_LZW = b"\x02\x02\x44\x01\x00"  # min code size 2; codes clear(4), 0, end(5); then terminator


def gif_header(width, height):
    """GIF89a header + logical screen descriptor + 2-entry global colour table."""
    return b"GIF89a" + struct.pack("<HHBBB", width, height, 0x80, 0, 0) + b"\x00\x00\x00\xff\xff\xff"


def gif_frame(delay_cs=10):
    control = b"" if delay_cs is None else b"\x21\xf9\x04\x04" + struct.pack("<H", delay_cs) + b"\x00\x00"
    return control + b"\x2c" + struct.pack("<HHHHB", 0, 0, 1, 1, 0) + ONE_PIXEL_LZW


def make_gif(delays_cs=(10,), loop=0, width=1, height=1, trailer=True):
    loop_block = b"" if loop is None else b"\x21\xff\x0bNETSCAPE2.0\x03\x01" + struct.pack("<H", loop) + b"\x00"
    frames = b"".join(gif_frame(d) for d in delays_cs)
    return gif_header(width, height) + loop_block + frames + (b"\x3b" if trailer else b"")


# --- Limits ----------------------------------------------------------------------------------------------
def test_limits_defaults_and_as_dict():
    limits = Limits()
    assert limits.as_dict() == {"max_bytes": 20_000_000, "max_frames": 300, "max_duration_ms": 30_000,
                                "max_screen_pixels": 1024 * 1024, "max_side": 1024,
                                "max_image_pixels": 25_000_000}


def test_limits_from_env_reads_overrides_and_rejects_nonsense():
    limits = Limits.from_env({"NST_MAX_FRAMES": "12", "NST_MAX_BYTES": "5_000_000", "NST_MAX_SIDE": ""})
    assert (limits.max_frames, limits.max_bytes, limits.max_side) == (12, 5_000_000, 1024)
    with pytest.raises(ValueError, match="NST_MAX_FRAMES must be a whole number"):
        Limits.from_env({"NST_MAX_FRAMES": "lots"})
    with pytest.raises(ValueError, match="positive"):
        Limits.from_env({"NST_MAX_DURATION_MS": "0"})


def test_limit_messages_name_value_and_limit():
    with pytest.raises(InputTooLarge, match=r"^The GIF has 412 frames; the limit is 300\.$"):
        Limits().check_frames(412)
    with pytest.raises(InputTooLarge, match=r"^The GIF lasts 41.2 s; the limit is 30 s\.$"):
        Limits().check_duration(41_200)
    with pytest.raises(InputTooLarge, match=r"^The file is 25.3 MB; the limit is 20 MB\.$"):
        Limits().check_bytes(25_300_000)
    with pytest.raises(InputTooLarge, match=r"^The image is 8000x6000 = 48.0 megapixels; the limit is 25 "):
        Limits().check_image(8000, 6000)
    Limits().check_frames(300)  # at the limit is fine


# --- sniffing and format errors ----------------------------------------------------------------------------
def test_sniff_format_by_magic_bytes():
    assert sniff_format(NEWTON) == "gif"
    assert sniff_format(PNG_BYTES) == "png"
    assert sniff_format(b"\xff\xd8\xff\xe0rest") == "jpeg"
    assert sniff_format(b"RIFF\x00\x00\x00\x00WEBPVP8 ") == "webp"
    assert sniff_format(b"hello world") is None
    assert sniff_format(b"") is None


@pytest.mark.parametrize("data, message", [
    (PNG_BYTES, r"This file is not a GIF \(it looks like a PNG image\)\."),
    (random.Random(0).randbytes(100), r"not a GIF \(it is not an image format we recognise\)"),
    (b"", r"The file is empty"),
])
def test_not_a_gif_is_unsupported_format(data, message):
    with pytest.raises(UnsupportedFormat, match=message):
        scan_gif(data)


# --- truncation --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("cut", [6, 10, 13, 13 + 3 * 256, len(NEWTON) // 2, len(NEWTON) - 200])
def test_truncated_gif_is_corrupt(cut):
    with pytest.raises(CorruptInput, match="The GIF is truncated"):
        scan_gif(NEWTON[:cut])


def test_missing_trailer_after_complete_frames_is_accepted_like_browsers_do():
    assert scan_gif(make_gif((10, 10), trailer=False)).frames == 2


def test_garbage_where_a_block_should_start_is_corrupt():
    with pytest.raises(CorruptInput, match="unexpected byte 0x99"):
        scan_gif(make_gif((10,), trailer=False) + b"\x99")


# --- limits while scanning ---------------------------------------------------------------------------------
def test_too_many_bytes():
    with pytest.raises(InputTooLarge, match=r"The GIF is 583,374 bytes; the limit is 100,000 bytes\."):
        scan_gif(NEWTON, Limits(max_bytes=100_000))


def test_too_many_frames_stops_the_walk_early():
    # Garbage after the 5th frame would be CorruptInput if the scanner read on.
    data = make_gif((10,) * 5, trailer=False) + b"\x99 garbage"
    with pytest.raises(InputTooLarge, match=r"The GIF has more than 4 frames; the limit is 4\."):
        scan_gif(data, Limits(max_frames=4))


def test_too_long():
    with pytest.raises(InputTooLarge, match=r"The GIF lasts more than 0.5 s; the limit is 0.5 s\."):
        scan_gif(NEWTON, Limits(max_duration_ms=500))


def test_screen_over_max_side():
    with pytest.raises(InputTooLarge, match=r"The GIF is 2000x10 pixels; the limit is 1024 pixels"):
        scan_gif(make_gif(width=2000, height=10))
    with pytest.raises(InputTooLarge, match=r"1,000,000 pixels; the limit is 250,000 pixels"):
        scan_gif(make_gif(width=1000, height=1000), Limits(max_screen_pixels=250_000))


def test_huge_logical_screen_is_refused_fast_without_allocating():
    data = make_gif(width=65535, height=65535)
    tracemalloc.start()
    started = time.perf_counter()
    with pytest.raises(InputTooLarge, match="65535x65535"):
        scan_gif(data)
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert elapsed < 1.0  # measured ~1 ms; decoding the canvas would take minutes, a loaded host not 1 s
    assert peak < 64 * 1024  # a decoded canvas would be 12.9 GB


def test_zero_sized_screen_is_corrupt():
    with pytest.raises(CorruptInput, match="0x5"):
        scan_gif(make_gif(width=0, height=5))


# --- what the scan reports ---------------------------------------------------------------------------------
def test_scan_newtonscradle():
    info = scan_gif(NEWTON)
    assert (info.width, info.height, info.frames, info.loop, info.bytes) == (200, 150, 36, 0, len(NEWTON))
    assert len(info.durations_ms) == 36 and sum(info.durations_ms) == info.duration_ms == 820
    assert info.durations_ms[:3] == [50, 20, 20]  # as Pillow reads the same file


def test_scan_accepts_a_file_object_and_muybridge():
    info = scan_gif(io.BytesIO((DATA / "muybridge_tiny.gif").read_bytes()))
    assert (info.width, info.height, info.frames, info.duration_ms) == (30, 20, 15, 1500)


def test_delays_as_browsers_play_them_and_loop_counts():
    info = scan_gif(make_gif((0, 1, 2, 7, None), loop=3))
    assert info.durations_ms == [100, 100, 20, 70, 100]
    assert info.loop == 3
    assert scan_gif(make_gif((5,), loop=None)).loop is None
    assert [browser_delay_ms(cs) for cs in (0, 1, 2, 50)] == [100, 100, 20, 500]


def test_lambda_modules_import_without_numpy():
    code = ("import sys, stylizer.gifheader, stylizer.limits, stylizer.catalogue, stylizer.exceptions; "
            "bad = [m for m in ('numpy', 'PIL', 'cv2', 'imageio') if m in sys.modules]; "
            "assert not bad, bad")
    env = dict(os.environ, PYTHONPATH=str(Path(stylizer.__file__).parents[1]))
    subprocess.run([sys.executable, "-c", code], check=True, env=env)
