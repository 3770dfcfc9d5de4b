"""Pure-Python GIF validation: walk the block structure, never decompress pixels.

Used by the upload-validating Lambda (pure: see __init__), and by `gif.read_gif` before decoding. Follows the
GIF89a specification (W3C/CompuServe 1990): header, logical screen descriptor, optional global colour
table, then extension blocks (0x21), image descriptors (0x2C) with LZW data in sub-blocks, trailer (0x3B).

Checks, in the order a hostile file would exploit them: magic bytes, byte size, logical screen size (read
from the first 13 bytes, so a 65535x65535 screen is refused before anything is allocated), then frame
count and total duration while walking (the walk stops at the first frame over a limit).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .errors import CorruptInput, UnsupportedFormat
from .limits import Limits

# Browsers (Chrome, Firefox, Safari) play a frame delay of 0 or 1 centisecond as 100 ms, because old
# GIFs used those values to mean "as fast as possible". We report durations as people will see them.
BROWSER_MIN_DELAY_CS = 2
BROWSER_DEFAULT_DELAY_MS = 100

FORMAT_NAMES = {"gif": "GIF", "png": "PNG", "jpeg": "JPEG", "webp": "WebP"}


def sniff_format(data: bytes) -> str | None:
    """"gif", "png", "jpeg", "webp" from the first bytes (magic numbers), or None."""
    head = bytes(data[:12])
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head[:8] == b"\x89PNG\r\n\x1a\n":
        return "png"
    if head[:3] == b"\xff\xd8\xff":
        return "jpeg"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    return None


def describe_format(data: bytes) -> str:
    """Plain words for what the bytes look like: "a PNG image", "empty", "not an image format we know"."""
    if len(data) == 0:
        return "empty"
    kind = sniff_format(data)
    return f"a {FORMAT_NAMES[kind]} image" if kind else "not an image format we recognise"


@dataclass
class GifInfo:
    """What a GIF holds, without its pixels. loop: 0 = forever, None = play once (no NETSCAPE2.0 block),
    n = the stored repeat count. Durations are as browsers play them (see BROWSER_MIN_DELAY_CS)."""

    width: int
    height: int
    frames: int
    duration_ms: int
    loop: int | None
    bytes: int
    durations_ms: list[int] = field(default_factory=list)


def browser_delay_ms(delay_cs: int) -> int:
    """A GIF delay in centiseconds -> milliseconds as browsers play it (0 and 1 cs become 100 ms)."""
    return BROWSER_DEFAULT_DELAY_MS if delay_cs < BROWSER_MIN_DELAY_CS else delay_cs * 10


class _Cursor:
    """Bounds-checked reading over the bytes; running off the end means the file is truncated."""

    def __init__(self, data: bytes):
        self.data = memoryview(data)
        self.pos = 0

    def take(self, count: int, what: str) -> memoryview:
        end = self.pos + count
        if end > len(self.data):
            raise CorruptInput(f"The GIF is truncated: it ends inside {what} (byte {len(self.data)} "
                               f"of {end} needed).")
        chunk = self.data[self.pos:end]
        self.pos = end
        return chunk

    def byte(self, what: str) -> int:
        return self.take(1, what)[0]

    def at_end(self) -> bool:
        return self.pos >= len(self.data)

    def skip_sub_blocks(self, what: str) -> None:
        """Skip data sub-blocks (size byte, then that many bytes) up to the zero-size terminator."""
        data, pos, end = self.data, self.pos, len(self.data)
        while True:  # the hot loop of the scan: plain indexing, no per-block slicing
            if pos >= end:
                self.pos = pos
                raise CorruptInput(f"The GIF is truncated: it ends inside {what}.")
            size = data[pos]
            pos += 1 + size
            if size == 0:
                break
        if pos > end:
            raise CorruptInput(f"The GIF is truncated: it ends inside {what}.")
        self.pos = pos


def _colour_table_bytes(packed: int) -> int:
    """Size of the colour table announced by a packed field (flag in bit 7, size in bits 0-2)."""
    return 3 * (2 << (packed & 0x07)) if packed & 0x80 else 0


def scan_gif(source, limits: Limits | None = None) -> GifInfo:
    """Validate a GIF and count its frames, duration and loop without decoding pixels.

    source: bytes or a binary file-like object. Raises UnsupportedFormat (not a GIF), InputTooLarge (over a
    limit: bytes, screen size, frames, duration) or CorruptInput (truncated or malformed blocks).
    """
    limits = limits or Limits()
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
    else:  # file-like: look at the header before reading (at most max_bytes + 1 of) the rest
        head = source.read(13)
        _check_header(head, limits, total_known=False)
        data = head + source.read(limits.max_bytes + 1 - len(head))
    _check_header(data, limits, total_known=True)
    return _walk(data, limits)


def _check_header(data: bytes, limits: Limits, total_known: bool) -> None:
    if sniff_format(data) != "gif":
        if len(data) == 0:
            raise UnsupportedFormat("The file is empty; a GIF was expected.")
        raise UnsupportedFormat(f"This file is not a GIF ({_looks(data)}).")
    if total_known:
        limits.check_bytes(len(data), "GIF")
    if len(data) < 13:
        raise CorruptInput(f"The GIF is truncated: it ends after {len(data)} bytes, inside its header.")
    width = data[6] | data[7] << 8
    height = data[8] | data[9] << 8
    if width == 0 or height == 0:
        raise CorruptInput(f"The GIF's screen is {width}x{height} pixels; it has no picture area.")
    limits.check_screen(width, height)


def _looks(data: bytes) -> str:
    kind = sniff_format(data)
    return f"it looks like a {FORMAT_NAMES[kind]} image" if kind else "it is not an image format we recognise"


def _walk(data: bytes, limits: Limits) -> GifInfo:
    cursor = _Cursor(data)
    cursor.take(6, "the header")
    screen = cursor.take(7, "the logical screen descriptor")
    width, height, packed = screen[0] | screen[1] << 8, screen[2] | screen[3] << 8, screen[4]
    cursor.take(_colour_table_bytes(packed), "the global colour table")

    durations: list[int] = []
    total_ms = 0
    loop: int | None = None
    pending_delay_cs = 0  # from the Graphics Control Extension, applies to the next image only
    while True:
        if cursor.at_end():
            # Many encoders omit the trailer; browsers and Pillow show such files, and every block so far
            # was complete, so only a file with no frame at all is refused.
            if not durations:
                raise CorruptInput("The GIF is truncated: it ends before its first frame.")
            break
        introducer = cursor.byte("a block")
        if introducer == 0x3B:  # trailer
            break
        if introducer == 0x21:  # extension
            label = cursor.byte("an extension block")
            if label == 0xF9:  # Graphics Control Extension: size 4, packed, delay (LE, cs), transparent
                size = cursor.byte("a graphics control block")
                body = cursor.take(size, "a graphics control block")
                if size >= 3:
                    pending_delay_cs = body[1] | body[2] << 8
                cursor.skip_sub_blocks("a graphics control block")
            elif label == 0xFF:  # Application Extension: 11-byte identifier, then data sub-blocks
                size = cursor.byte("an application block")
                identifier = bytes(cursor.take(size, "an application block"))
                if identifier in (b"NETSCAPE2.0", b"ANIMEXTS1.0"):
                    loop = _read_loop(cursor, loop)
                else:
                    cursor.skip_sub_blocks("an application block")
            else:  # comment, plain text or unknown: skip
                cursor.skip_sub_blocks("an extension block")
        elif introducer == 0x2C:  # image descriptor
            descriptor = cursor.take(9, "an image descriptor")
            cursor.take(_colour_table_bytes(descriptor[8]), "a local colour table")
            cursor.byte("an image's LZW code size")
            cursor.skip_sub_blocks(f"the pixel data of frame {len(durations) + 1}")
            delay_ms = browser_delay_ms(pending_delay_cs)
            pending_delay_cs = 0
            durations.append(delay_ms)
            total_ms += delay_ms
            limits.check_frames(len(durations), counted_all=False)
            limits.check_duration(total_ms, counted_all=False)
        else:
            raise CorruptInput(f"The GIF is malformed: unexpected byte 0x{introducer:02X} at offset "
                               f"{cursor.pos - 1} where a block should start.")
    return GifInfo(width=width, height=height, frames=len(durations), duration_ms=total_ms, loop=loop,
                   bytes=len(data), durations_ms=durations)


def _read_loop(cursor: _Cursor, loop: int | None) -> int | None:
    """NETSCAPE2.0 data: sub-block [1, count lo, count hi]; count 0 = loop forever."""
    while True:
        size = cursor.byte("the loop block")
        if size == 0:
            return loop
        body = cursor.take(size, "the loop block")
        if size >= 3 and body[0] == 1:
            loop = body[1] | body[2] << 8
