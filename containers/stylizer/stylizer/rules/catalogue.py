"""The style catalogue's entries: public-domain paintings shipped in `stylizer/catalogue/` (styles.json +
styles/*.jpg). Names, titles and credits only (pure: see __init__); stylizer.catalogue.load_style reads the
pixels, container-side.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from .errors import UnknownStyle


@dataclass(frozen=True)
class StyleInfo:
    """One style: `name` is the catalogue key (or the file name's stem for your own image); `path` is where
    the image is (a catalogue resource or the file given)."""

    name: str
    title: str
    artist: str = ""
    artist_dates: str = ""
    year: str = ""
    credit: str = ""
    licence: str = ""
    path: str = ""

    def to_json(self) -> dict:
        return asdict(self)


def _catalogue_dir():
    return resources.files("stylizer") / "catalogue"


@lru_cache(maxsize=1)
def _catalogue() -> dict[str, StyleInfo]:
    entries = json.loads((_catalogue_dir() / "styles.json").read_text(encoding="utf-8"))
    styles = {}
    for name, entry in entries.items():
        path = _catalogue_dir() / "styles" / entry["file"]
        styles[name] = StyleInfo(name=name, title=entry["title"], artist=entry.get("artist", ""),
                                 artist_dates=entry.get("artist_dates", ""), year=entry.get("year", ""),
                                 credit=entry.get("credit", ""), licence=entry.get("licence", ""),
                                 path=str(path))
    return styles


def list_styles() -> list[StyleInfo]:
    """Every catalogue style, in the order of styles.json."""
    return list(_catalogue().values())


def _unknown(name: str) -> UnknownStyle:
    names = ", ".join(_catalogue())
    return UnknownStyle(f"Unknown style '{name}'. Choose one of: {names}, or give the path of an image.")


def style_info(name: str) -> StyleInfo:
    """The catalogue entry called `name`; UnknownStyle (listing the names) if there is none."""
    try:
        return _catalogue()[name]
    except KeyError:
        raise _unknown(name) from None


def own_style_info(path) -> StyleInfo:
    """StyleInfo for an image file given as a style: titled after the file name."""
    path = Path(path)
    title = path.stem.replace("_", " ").replace("-", " ").strip() or path.name
    return StyleInfo(name=path.stem, title=title, credit="your own image", path=str(path))
