"""GIF and image I/O: coalesced full frames, limits before decoding, a writer that keeps everything."""
import io
import struct
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from stylizer.exceptions import CorruptInput, InputTooLarge, UnsupportedFormat
from stylizer.gif import (Animation, _encoded_image_block, read_gif, read_image, resize_to_max_side, write_gif,
                          write_image)
from stylizer.gifheader import scan_gif
from stylizer.limits import Limits
from stylizer.metrics import still_flicker

DATA = Path(__file__).resolve().parents[1] / "data"
NEWTON = DATA / "newtonscradle.gif"
MUYBRIDGE = DATA / "muybridge_tiny.gif"


def gradient_with_moving_square(frames=8, height=64, width=96, seed=0):
    """A still smooth gradient (more colours than a palette holds) and a square of random colour moving."""
    y, x = np.mgrid[0:height, 0:width]
    background = np.stack([x * 255 // width, y * 255 // height, (x + y) * 255 // (height + width)], -1)
    rng = np.random.default_rng(seed)
    result = []
    for t in range(frames):
        frame = background.astype(np.uint8)
        frame[10:30, 5 + 8 * t:25 + 8 * t] = rng.integers(0, 256, 3)
        result.append(frame)
    return result


def round_trip(anim):
    buffer = io.BytesIO()
    write_gif(buffer, anim)
    return read_gif(buffer.getvalue()), buffer.getvalue()


@pytest.mark.parametrize("path", [NEWTON, MUYBRIDGE])
def test_round_trip_keeps_size_frames_durations_loop(path):
    original = read_gif(path)
    info = scan_gif(path.read_bytes())
    assert len(original.frames) == info.frames
    assert all(f.shape == (info.height, info.width, 3) and f.dtype == np.uint8 for f in original.frames)
    copy, _ = round_trip(original)
    assert len(copy.frames) == len(original.frames)
    assert copy.frames[0].shape == original.frames[0].shape
    assert copy.durations_ms == original.durations_ms
    assert copy.loop == original.loop == 0
    error = np.abs(np.stack(copy.frames).astype(int) - np.stack(original.frames)).mean()
    assert error < 4  # one shared 256-colour palette for GIFs that had one palette each


def test_round_trip_of_varied_durations_loop_count_and_identical_frames(tmp_path):
    frames = gradient_with_moving_square(6)
    frames[3] = frames[2].copy()  # Pillow's own writer would merge these two frames
    durations = [20, 30, 70, 100, 1000, 40]
    for loop in (None, 2):
        path = tmp_path / f"anim_{loop}.gif"
        write_gif(path, Animation(frames, durations, loop))
        copy = read_gif(path)
        assert (len(copy.frames), copy.durations_ms, copy.loop) == (6, durations, loop)
        assert np.array_equal(copy.frames[2], copy.frames[3])


def test_written_gif_has_one_global_palette():
    _, data = round_trip(Animation(gradient_with_moving_square(4), [50] * 4, 0))
    image = Image.open(io.BytesIO(data))
    assert data[10] & 0x80  # global colour table present
    offsets = [i for i in range(len(data) - 10) if data[i:i + 2] == b"\x21\xf9"]
    assert len(offsets) == 4
    for offset in offsets:  # GCE (8 bytes), then the image descriptor: no local colour table flag
        assert data[offset + 8] == 0x2C and not data[offset + 17] & 0x80
    assert image.n_frames == 4


def test_shared_palette_adds_no_flicker_unlike_per_frame_quantisation():
    frames = gradient_with_moving_square(8)
    ours, _ = round_trip(Animation(frames, [50] * 8, 0))
    naive_buffer = io.BytesIO()
    images = [Image.fromarray(f) for f in frames]
    images[0].save(naive_buffer, format="GIF", save_all=True, append_images=images[1:], duration=50, loop=0)
    naive = read_gif(naive_buffer.getvalue())
    assert still_flicker(frames, ours.frames) == 0.0
    assert still_flicker(frames, naive.frames) > 1.0  # measured 3.2: per-frame palettes + dithering


def test_partial_frames_are_coalesced_to_full_canvas():
    # Few colours, so the palette is exact and the decoded frames must equal the originals.
    frames = []
    for t in range(5):
        frame = np.full((40, 50, 3), (0, 0, 255), np.uint8)
        frame[5:15, 5 + 6 * t:15 + 6 * t] = (255, 0, 0)
        frames.append(frame)
    buffer = io.BytesIO()
    images = [Image.fromarray(f) for f in frames]
    images[0].save(buffer, format="GIF", save_all=True, append_images=images[1:], duration=100, loop=0)
    stored = Image.open(io.BytesIO(buffer.getvalue()))
    stored.seek(2)
    assert stored.tile[0][1] != (0, 0, 50, 40)  # Pillow stored a partial patch: the test is real
    decoded = read_gif(buffer.getvalue())
    assert [f.shape for f in decoded.frames] == [(40, 50, 3)] * 5
    for got, want in zip(decoded.frames, frames):
        assert np.array_equal(got, want)


PALETTE = [0, 0, 0, 255, 0, 0, 0, 255, 0, 0, 0, 255]  # black (background index 0), red, green, blue


def _image_block(indices, left, top):
    """Image descriptor + LZW data of a palette patch placed at (left, top), encoded by Pillow."""
    patch = Image.fromarray(np.asarray(indices, np.uint8), "P")
    patch.putpalette(PALETTE)
    table, block = _encoded_image_block(patch)
    assert table.startswith(bytes(PALETTE))
    return block[:1] + struct.pack("<HH", left, top) + block[5:]


def _control(disposal):
    return b"\x21\xf9\x04" + bytes([disposal << 2]) + b"\x0a\x00\x00\x00"


def test_disposal_restore_to_background_is_honoured():
    data = (b"GIF89a" + struct.pack("<HHBBB", 6, 4, 0x81, 0, 0) + bytes(PALETTE)
            + _control(1) + _image_block(np.full((4, 6), 3), 0, 0)  # blue canvas
            + _control(2) + _image_block(np.full((2, 2), 1), 1, 1)  # red patch, then restore to background
            + _control(1) + _image_block([[2]], 4, 2) + b"\x3b")  # green pixel
    first, second, third = read_gif(data).frames
    blue, red, green, black = (0, 0, 255), (255, 0, 0), (0, 255, 0), (0, 0, 0)
    assert (first == blue).all()
    assert (second[1:3, 1:3] == red).all() and (second[0] == blue).all()
    assert (third[1:3, 1:3] == black).all()  # the red patch is gone: disposal 2 applied
    assert (third[2, 4] == green).all() and (third[0] == blue).all() and (third[3] == blue).all()


def test_transparent_pixels_are_composited_on_white():
    indexed = Image.new("P", (8, 8), 1)
    indexed.putpalette([0, 0, 0, 200, 10, 10] + [0] * 762)
    indexed.paste(0, (0, 0, 4, 8))
    buffer = io.BytesIO()
    indexed.save(buffer, format="GIF", transparency=0)
    frame = read_gif(buffer.getvalue()).frames[0]
    assert (frame[:, :4] == 255).all() and (frame[:, 4:] == (200, 10, 10)).all()


def test_read_gif_errors():
    with pytest.raises(UnsupportedFormat, match="PNG"):
        read_gif(_png_bytes(np.zeros((4, 4, 3), np.uint8)))
    with pytest.raises(CorruptInput, match="truncated"):
        read_gif(NEWTON.read_bytes()[:3000])
    with pytest.raises(InputTooLarge, match="35 frames"):
        read_gif(NEWTON, Limits(max_frames=35))
    with pytest.raises(InputTooLarge, match="bytes"):
        read_gif(NEWTON, Limits(max_bytes=1000))
    # Valid block structure, nonsense LZW data: only the decoder can tell.
    bogus = (b"GIF89a" + struct.pack("<HHBBB", 10, 10, 0x80, 0, 0) + b"\0\0\0\xff\xff\xff" + b"\x2c"
             + struct.pack("<HHHHB", 0, 0, 10, 10, 0) + b"\x02\x05\xff\xff\xff\xff\xff\x00\x3b")
    with pytest.raises(CorruptInput, match="could not be decoded"):
        read_gif(bogus)


def _png_bytes(array):
    buffer = io.BytesIO()
    write_image(buffer, array, format="png")
    return buffer.getvalue()


def test_read_image_png_jpeg_gif(tmp_path):
    image = np.random.default_rng(1).integers(0, 256, (12, 20, 3), dtype=np.uint8)
    assert np.array_equal(read_image(_png_bytes(image)), image)
    write_image(tmp_path / "photo.jpg", image)
    assert read_image(tmp_path / "photo.jpg").shape == (12, 20, 3)
    assert read_image(MUYBRIDGE).shape == (20, 30, 3)


def test_read_image_honours_exif_orientation():
    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to display
    Image.fromarray(np.zeros((10, 30, 3), np.uint8)).save(buffer, format="JPEG", exif=exif)
    assert read_image(buffer.getvalue()).shape == (30, 10, 3)


def test_read_image_transparency_on_white():
    rgba = np.zeros((4, 4, 4), np.uint8)
    rgba[:, :2] = (10, 20, 30, 255)
    buffer = io.BytesIO()
    Image.fromarray(rgba, "RGBA").save(buffer, format="PNG")
    image = read_image(buffer.getvalue())
    assert (image[:, :2] == (10, 20, 30)).all() and (image[:, 2:] == 255).all()


def test_read_image_errors():
    with pytest.raises(UnsupportedFormat, match=r"not a PNG, JPEG or GIF image \(it looks like a WebP image\)"):
        read_image(b"RIFF\x00\x00\x00\x00WEBPVP8 " + b"\x00" * 20)
    with pytest.raises(UnsupportedFormat, match="not an image format we recognise"):
        read_image(b"%PDF-1.4 not an image")
    with pytest.raises(UnsupportedFormat, match="empty"):
        read_image(b"")
    png = _png_bytes(np.random.default_rng(2).integers(0, 256, (64, 64, 3), dtype=np.uint8))
    with pytest.raises(CorruptInput, match="PNG image could not be decoded"):
        read_image(png[: len(png) // 2])
    with pytest.raises(InputTooLarge, match="megapixels"):
        read_image(png, Limits(max_image_pixels=1000))
    with pytest.raises(InputTooLarge, match="bytes"):
        read_image(png, Limits(max_bytes=100))


def test_resize_to_max_side():
    image = np.zeros((100, 200, 3), np.uint8)
    image[:, 100:] = 200
    small = resize_to_max_side(image, 50)
    assert small.shape == (25, 50, 3)
    assert abs(small.astype(float).mean() - 100) < 1  # area averaging keeps the mean
    assert resize_to_max_side(image, 400) is image  # never upscales unless asked
    assert resize_to_max_side(image, 400, upscale=True).shape == (200, 400, 3)
