"""Input limits: what one stylisation job accepts, checked before any pixel is decoded (pure: see __init__)."""
from __future__ import annotations

import os
from dataclasses import asdict, dataclass, fields

from .errors import InputTooLarge

MEGABYTE = 1_000_000  # decimal, as people and browsers count file sizes


@dataclass(frozen=True)
class Limits:
    """The largest input a job accepts. Defaults, and why:

    max_bytes = 20_000_000 (20 MB, env NST_MAX_BYTES): a 300-frame GIF at 1024x1024 rarely exceeds it, and it
        bounds the upload and the Lambda's scan time.
    max_frames = 300 (NST_MAX_FRAMES): each frame costs a full optimisation (~seconds on a GPU); 300 frames
        keep a job within tens of minutes.
    max_duration_ms = 30_000 (30 s, NST_MAX_DURATION_MS): as browsers play it (delays of 0 or 1 cs count
        as 100 ms).
    max_screen_pixels = 1_048_576 (1024x1024, NST_MAX_SCREEN_PIXELS): the GIF's logical screen; decoded
        frames take width x height x 3 bytes each, so 300 such frames are ~0.9 GB of RAM.
    max_side = 1024 (NST_MAX_SIDE): longest side of the GIF's logical screen; refuses 4000x100 strips too.
    max_image_pixels = 25_000_000 (25 MP, NST_MAX_IMAGE_PIXELS): photos and style images before they are
        downscaled to the working size (a phone photo is 12-48 MP; decoding 25 MP needs 75 MB).
    """

    max_bytes: int = 20 * MEGABYTE
    max_frames: int = 300
    max_duration_ms: int = 30_000
    max_screen_pixels: int = 1024 * 1024
    max_side: int = 1024
    max_image_pixels: int = 25_000_000

    @classmethod
    def from_env(cls, environ: dict | None = None) -> "Limits":
        """Defaults overridden by NST_MAX_BYTES, NST_MAX_FRAMES, NST_MAX_DURATION_MS, NST_MAX_SCREEN_PIXELS,
        NST_MAX_SIDE, NST_MAX_IMAGE_PIXELS (positive integers; `_` separators allowed, e.g. 20_000_000)."""
        environ = os.environ if environ is None else environ
        values = {}
        for field in fields(cls):
            name = "NST_" + field.name.upper()
            raw = environ.get(name)
            if raw is None or raw.strip() == "":
                continue
            try:
                value = int(raw.strip().replace("_", ""))
            except ValueError:
                raise ValueError(f"{name} must be a whole number, got {raw!r}.") from None
            if value <= 0:
                raise ValueError(f"{name} must be positive, got {value}.")
            values[field.name] = value
        return cls(**values)

    def as_dict(self) -> dict[str, int]:
        """The limits as plain JSON-ready numbers, for the web page's configuration."""
        return asdict(self)

    # Checks: each raises InputTooLarge with the value found and the limit, in plain words.

    def check_bytes(self, size: int, what: str = "file") -> None:
        if size > self.max_bytes:
            raise InputTooLarge(f"The {what} is {_megabytes(size)}; the limit is {_megabytes(self.max_bytes)}.")

    def check_screen(self, width: int, height: int) -> None:
        """The GIF's logical screen against max_side and max_screen_pixels."""
        if max(width, height) > self.max_side:
            raise InputTooLarge(f"The GIF is {width}x{height} pixels; the limit is {self.max_side} pixels "
                                f"on the longest side.")
        if width * height > self.max_screen_pixels:
            raise InputTooLarge(f"The GIF is {width}x{height} = {width * height:,} pixels; the limit is "
                                f"{self.max_screen_pixels:,} pixels.")

    def check_frames(self, frames: int, counted_all: bool = True) -> None:
        """counted_all=False: `frames` is a running count (the scan stops at the first frame over)."""
        if frames > self.max_frames:
            found = f"{frames}" if counted_all else f"more than {self.max_frames}"
            raise InputTooLarge(f"The GIF has {found} frames; the limit is {self.max_frames}.")

    def check_duration(self, duration_ms: int, counted_all: bool = True) -> None:
        """counted_all=False: `duration_ms` is a running total (the scan stops when it passes the limit)."""
        if duration_ms > self.max_duration_ms:
            found = _seconds(duration_ms) if counted_all else f"more than {_seconds(self.max_duration_ms)}"
            raise InputTooLarge(f"The GIF lasts {found}; the limit is {_seconds(self.max_duration_ms)}.")

    def check_image(self, width: int, height: int, what: str = "image") -> None:
        """A photo or style image (before downscaling) against max_image_pixels."""
        if width * height > self.max_image_pixels:
            raise InputTooLarge(f"The {what} is {width}x{height} = {width * height / 1e6:.1f} megapixels; "
                                f"the limit is {self.max_image_pixels / 1e6:g} megapixels.")


def _megabytes(size: int) -> str:
    if size < MEGABYTE:
        return f"{size:,} bytes"
    return f"{size / MEGABYTE:.1f} MB".replace(".0 MB", " MB")


def _seconds(duration_ms: int) -> str:
    return f"{duration_ms / 1000:.1f} s".replace(".0 s", " s")
