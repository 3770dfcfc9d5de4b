"""The style catalogue: entries from stylizer.rules.catalogue (shared with the Lambdas), and `load_style`,
which reads a painting's pixels (container-side: it imports the image reader when called).
"""
from __future__ import annotations

import os
from pathlib import Path

from .rules.catalogue import StyleInfo, _catalogue, _unknown, list_styles, own_style_info, style_info

__all__ = ["StyleInfo", "list_styles", "load_style", "own_style_info", "style_info"]


def load_style(name_or_path, limits=None):
    """(uint8 HxWx3 image, StyleInfo) for a catalogue name or the path of an existing PNG/JPEG/GIF.

    A name that is in the catalogue wins over a file of that name in the working directory. Raises
    UnknownStyle for anything else; read errors of an own image surface as UnsupportedFormat, CorruptInput
    or InputTooLarge from `gif.read_image`.
    """
    from .gif import read_image  # numpy/PIL only when an image is actually loaded

    key = os.fspath(name_or_path)
    if key in _catalogue():
        info = _catalogue()[key]
        return read_image(Path(info.path), limits), info
    if os.path.isfile(key):
        return read_image(Path(key), limits), own_style_info(key)
    raise _unknown(key)
