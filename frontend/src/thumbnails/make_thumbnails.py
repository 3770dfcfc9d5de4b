"""Gallery thumbnails: each catalogue painting as a 320x320 JPEG (a 160-px card at 2x), 22-44 kB instead of the
60-400 kB originals the cards used to load (1.45 MB for the gallery).

    .venv/bin/python frontend/src/thumbnails/make_thumbnails.py    # after a style is added or changed

The build (frontend/build.mjs) copies these files to dist/styles/; tests/unit/test_gallery_thumbnails.py fails
when one is missing or no longer shows its catalogue painting. Node has no image codecs, hence Python here.
"""
import json
from pathlib import Path

from PIL import Image, ImageOps

HERE = Path(__file__).resolve().parent
CATALOGUE = HERE.parents[2] / "containers" / "stylizer" / "stylizer" / "catalogue"
SIDE = 320
QUALITY = 80


def thumbnail(source: Path) -> Image.Image:
    """Centre-cropped square, as the cards show it (object-fit: cover)."""
    with Image.open(source) as image:
        return ImageOps.fit(image.convert("RGB"), (SIDE, SIDE), Image.Resampling.LANCZOS)


def catalogue_files() -> dict[str, Path]:
    styles = json.loads((CATALOGUE / "styles.json").read_text())
    return {name: CATALOGUE / "styles" / style["file"] for name, style in styles.items()}


def main() -> None:
    for name, source in catalogue_files().items():
        target = HERE / f"{name}.jpg"
        thumbnail(source).save(target, quality=QUALITY, optimize=True, progressive=True)
        print(f"{target.name}: {target.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
