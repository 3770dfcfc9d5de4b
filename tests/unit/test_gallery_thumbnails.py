"""The gallery's thumbnails (frontend/src/thumbnails/) are the catalogue's paintings, sized for their cards."""
import importlib.util
from pathlib import Path

import numpy as np
from PIL import Image

HERE = Path(__file__).resolve().parents[2] / "frontend" / "src" / "thumbnails"
MAX_BYTES = 60_000  # a 160-px card at 2x; the originals were up to 402 kB


def _maker():
    spec = importlib.util.spec_from_file_location("make_thumbnails", HERE / "make_thumbnails.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_style_has_a_small_thumbnail_of_its_painting():
    maker = _maker()
    files = maker.catalogue_files()
    assert files, "the catalogue lists no styles"
    for name, source in files.items():
        path = HERE / f"{name}.jpg"
        assert path.is_file(), f"no thumbnail for {name}: run {HERE / 'make_thumbnails.py'}"
        assert path.stat().st_size <= MAX_BYTES, (name, path.stat().st_size)
        with Image.open(path) as stored:
            assert stored.size == (maker.SIDE, maker.SIDE)
            stored_pixels = _coarse(stored.convert("RGB"))
        # At 32x32 only JPEG's noise is left (< 3 levels); another or a changed painting differs by tens
        assert np.abs(stored_pixels - _coarse(maker.thumbnail(source))).mean() < 3.0, \
            f"{name}.jpg no longer shows {source.name}"


def _coarse(image: Image.Image) -> np.ndarray:
    return np.asarray(image.resize((32, 32), Image.Resampling.BOX), dtype=np.float32)
