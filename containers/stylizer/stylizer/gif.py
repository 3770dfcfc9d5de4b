"""Reading and writing GIFs and photos as uint8 RGB arrays, with the limits checked before decoding.

Decoding goes through imageio's Pillow plugin, which coalesces frames (applies each frame's disposal
method and offset) into full-canvas images. Writing assembles the GIF blocks here, because Pillow's
multi-frame writer merges identical consecutive frames (changing the frame count) and picks palettes per
frame (which flickers); we need one global palette and every frame kept.
"""
from __future__ import annotations

import io
import os
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import imageio.v3 as iio
import numpy as np
from PIL import Image, ImageOps

from .exceptions import CorruptInput, UnsupportedFormat
from .gifheader import FORMAT_NAMES, _Cursor, scan_gif, sniff_format
from .limits import Limits

# Transparent pixels are composited onto white: what a browser shows on the usual white page, and the
# neutral choice for the style optimiser (a first-frame colour would smear that frame into the others).
BACKGROUND_RGB = (255, 255, 255)
PALETTE_SAMPLE_FRAMES = 16  # frames sampled to build the global palette
PALETTE_SAMPLE_PIXELS = 1_000_000  # pixels in the sample mosaic, bounding the quantiser's time


@dataclass
class Animation:
    """Decoded GIF: full-canvas uint8 HxWx3 frames, per-frame durations in ms as browsers play them,
    loop 0 = forever, None = play once, n = repeat count stored in the NETSCAPE2.0 block."""

    frames: list[np.ndarray]
    durations_ms: list[int] = field(default_factory=list)
    loop: int | None = 0


def _read_source(src, limits: Limits, what: str) -> bytes:
    """Bytes of a path, bytes or binary file; a path's size is checked before it is read."""
    if isinstance(src, (bytes, bytearray, memoryview)):
        return bytes(src)
    if isinstance(src, (str, os.PathLike)):
        limits.check_bytes(os.path.getsize(src), what)
        return Path(src).read_bytes()
    return src.read(limits.max_bytes + 1)


def _composite_on_background(rgba: np.ndarray) -> np.ndarray:
    """uint8 HxWx4 -> HxWx3 over BACKGROUND_RGB: rgb * a + background * (1 - a)."""
    if rgba.ndim == 2:
        rgba = np.repeat(rgba[..., None], 3, axis=-1)
    if rgba.shape[-1] == 3:
        return np.ascontiguousarray(rgba, dtype=np.uint8)
    alpha = rgba[..., 3:4].astype(np.float32) / 255.0
    background = np.asarray(BACKGROUND_RGB, np.float32)
    blended = rgba[..., :3].astype(np.float32) * alpha + background * (1.0 - alpha)
    return np.clip(np.rint(blended), 0, 255).astype(np.uint8)


def read_gif(src, limits: Limits | None = None) -> Animation:
    """Decode a GIF (path, bytes or binary file) into an Animation, after `scan_gif` has enforced the limits.

    Raises UnsupportedFormat, InputTooLarge or CorruptInput (also for anything imageio cannot decode).
    """
    limits = limits or Limits()
    data = _read_source(src, limits, "GIF")
    info = scan_gif(data, limits)  # refuses oversized or broken files before any pixel is decoded
    try:
        frames = [_composite_on_background(np.asarray(frame))
                  for frame in iio.imiter(data, plugin="pillow", mode="RGBA", extension=".gif")]
    except Exception as error:  # Pillow raises OSError, SyntaxError, ValueError... for broken data
        raise CorruptInput(f"The GIF could not be decoded: {error}") from error
    if len(frames) != info.frames:
        raise CorruptInput(f"The GIF could not be decoded: {len(frames)} of its {info.frames} frames read.")
    return Animation(frames=frames, durations_ms=list(info.durations_ms), loop=info.loop)


def global_palette(frames: list[np.ndarray], colors: int = 256) -> Image.Image:
    """One palette for the whole animation: median cut over a mosaic of evenly sampled frames."""
    step = max(1, len(frames) // PALETTE_SAMPLE_FRAMES)
    sample = frames[::step][:PALETTE_SAMPLE_FRAMES]
    height, width = sample[0].shape[:2]
    stride = max(1, int(np.ceil(np.sqrt(height * width * len(sample) / PALETTE_SAMPLE_PIXELS))))
    mosaic = np.concatenate([frame[::stride, ::stride, :3] for frame in sample], axis=0)
    return Image.fromarray(np.ascontiguousarray(mosaic)).quantize(colors=colors,
                                                                  method=Image.Quantize.MEDIANCUT)


def _palette_bytes(palette_image: Image.Image) -> bytes:
    table = bytes(palette_image.getpalette("RGB") or [])[: 256 * 3]
    return table + bytes(256 * 3 - len(table))


def _encoded_image_block(indexed: Image.Image) -> tuple[bytes, bytes]:
    """LZW-encode one palette image with Pillow; return (its colour table, image descriptor + data)."""
    buffer = io.BytesIO()
    indexed.save(buffer, format="GIF", optimize=False, interlace=False)
    cursor = _Cursor(buffer.getvalue())
    cursor.take(10, "header")
    packed = cursor.take(3, "screen")[0]
    table = bytes(cursor.take(3 * (2 << (packed & 7)) if packed & 0x80 else 0, "table"))
    while True:
        introducer = cursor.byte("block")
        if introducer == 0x21:
            cursor.byte("label")
            cursor.skip_sub_blocks("extension")
            continue
        start = cursor.pos - 1  # 0x2C: descriptor (9), optional local table, code size, sub-blocks
        descriptor = cursor.take(9, "descriptor")
        local = 3 * (2 << (descriptor[8] & 7)) if descriptor[8] & 0x80 else 0
        cursor.take(local + 1, "table and code size")
        cursor.skip_sub_blocks("data")
        return table, bytes(cursor.data[start:cursor.pos])


def write_gif(dest, anim: Animation) -> None:
    """Write `anim` to a path or binary file: same size, frame count, per-frame durations and loop count.

    One global palette (see `global_palette`), each frame mapped to it without dithering, so a pixel that
    does not change keeps its palette index: quantisation adds no flicker. Durations are stored in
    centiseconds, at least 2 (browsers would play 0-1 cs as 100 ms); frames are opaque, disposal 1.
    """
    frames = [np.ascontiguousarray(frame[..., :3], dtype=np.uint8) for frame in anim.frames]
    if not frames:
        raise ValueError("write_gif needs at least one frame")
    height, width = frames[0].shape[:2]
    durations = list(anim.durations_ms) or [100] * len(frames)
    palette_image = global_palette(frames)
    palette = _palette_bytes(palette_image)

    out = bytearray(b"GIF89a")
    out += width.to_bytes(2, "little") + height.to_bytes(2, "little") + bytes([0xF7, 0, 0]) + palette
    if anim.loop is not None:
        out += b"\x21\xff\x0bNETSCAPE2.0\x03\x01" + int(anim.loop).to_bytes(2, "little") + b"\x00"
    for frame, duration_ms in zip(frames, durations, strict=True):
        if frame.shape[:2] != (height, width):
            raise ValueError(f"All frames must be {width}x{height}, got {frame.shape[1]}x{frame.shape[0]}")
        indexed = Image.fromarray(frame).quantize(palette=palette_image, dither=Image.Dither.NONE)
        table, block = _encoded_image_block(indexed)
        delay_cs = max(2, round(duration_ms / 10))
        out += b"\x21\xf9\x04\x04" + delay_cs.to_bytes(2, "little") + b"\x00\x00"
        if block[9] & 0x80 or (table and palette.startswith(table)):
            out += block  # its own local table, or Pillow kept our palette (perhaps trimmed)
        else:  # Pillow reordered it: carry its table as this frame's local one (same colours, no flicker)
            size_bits = (len(table) // 3).bit_length() - 2
            out += block[:9] + bytes([(block[9] & 0x78) | 0x80 | size_bits]) + table + block[10:]
    out += b"\x3b"
    if isinstance(dest, (str, os.PathLike)):
        Path(dest).write_bytes(bytes(out))
    else:
        dest.write(bytes(out))


def read_image(src, limits: Limits | None = None) -> np.ndarray:
    """A PNG, JPEG or GIF (first frame) as uint8 HxWx3, EXIF orientation applied, transparency on white.

    Format by magic bytes; size checked (bytes, then pixels from the header) before decoding.
    """
    limits = limits or Limits()
    data = _read_source(src, limits, "image")
    kind = sniff_format(data)
    if kind not in ("png", "jpeg", "gif"):
        found = f"it looks like a {FORMAT_NAMES[kind]} image" if kind else (
            "the file is empty" if not data else "it is not an image format we recognise")
        raise UnsupportedFormat(f"This file is not a PNG, JPEG or GIF image ({found}).")
    limits.check_bytes(len(data), "image")
    try:
        with Image.open(io.BytesIO(data)) as image:
            limits.check_image(*image.size)
            image.seek(0)
            image = ImageOps.exif_transpose(image)
            return _composite_on_background(np.asarray(image.convert("RGBA")))
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        raise CorruptInput(f"The {FORMAT_NAMES[kind]} image could not be decoded: {error}") from error


def write_image(dest, image: np.ndarray, format: str | None = None) -> None:
    """Save uint8 HxWx3 as PNG or JPEG (quality 95), chosen by `format` or the path's suffix."""
    format = (format or Path(str(dest)).suffix.lstrip(".") or "png").upper().replace("JPG", "JPEG")
    if format not in ("PNG", "JPEG"):
        raise ValueError(f"write_image writes PNG or JPEG, not {format}")
    options = {"quality": 95} if format == "JPEG" else {}
    Image.fromarray(np.ascontiguousarray(image[..., :3], dtype=np.uint8)).save(dest, format=format, **options)


def resize_to_max_side(image: np.ndarray, max_side: int, upscale: bool = False) -> np.ndarray:
    """Scale so the longest side is `max_side` (aspect kept); area averaging when shrinking (no aliasing),
    bicubic when growing; returned unchanged if already small enough and `upscale` is False."""
    height, width = image.shape[:2]
    scale = max_side / max(height, width)
    if scale >= 1 and not upscale or scale == 1:
        return image
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    interpolation = cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC
    resized = cv2.resize(image, size, interpolation=interpolation)
    if image.ndim == 3 and resized.ndim == 2:
        resized = resized[..., None]
    return resized
