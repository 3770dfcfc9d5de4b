"""The style catalogue: every entry loads, unknown names are explained, own images work as styles."""
import numpy as np
import pytest

from stylizer.catalogue import StyleInfo, list_styles, load_style, style_info
from stylizer.exceptions import InputTooLarge, UnknownStyle, UnsupportedFormat
from stylizer.gif import write_image
from stylizer.limits import Limits


def test_list_styles_has_credited_entries_with_existing_files():
    styles = list_styles()
    assert len(styles) >= 8 and all(isinstance(s, StyleInfo) for s in styles)
    names = [s.name for s in styles]
    assert len(set(names)) == len(names) and "starry_night" in names
    for info in styles:
        assert info.title and info.artist and info.credit and info.licence
        assert open(info.path, "rb").read(3) == b"\xff\xd8\xff"  # a JPEG that is really there


def test_style_info_by_name():
    info = style_info("the_scream")
    assert (info.title, info.artist, info.year) == ("The Scream", "Edvard Munch", "1893")
    assert info.to_json()["credit"] == "Edvard Munch, The Scream (1893)"


def test_load_every_catalogue_style():
    for info in list_styles():
        image, loaded = load_style(info.name)
        assert loaded == info
        assert image.dtype == np.uint8 and image.ndim == 3 and image.shape[2] == 3
        assert min(image.shape[:2]) >= 64 and image.std() > 10  # a real picture, not a blank


def test_unknown_style_lists_the_names():
    with pytest.raises(UnknownStyle) as caught:
        style_info("monet")
    message = str(caught.value)
    assert message.startswith("Unknown style 'monet'. Choose one of: starry_night, the_scream")
    assert message.endswith(", or give the path of an image.")
    with pytest.raises(UnknownStyle, match="Unknown style 'no/such/file.png'"):
        load_style("no/such/file.png")


def test_own_image_as_style(tmp_path):
    path = tmp_path / "my_sunset-photo.png"
    write_image(path, np.full((8, 12, 3), 77, np.uint8))
    image, info = load_style(path)
    assert image.shape == (8, 12, 3) and (image == 77).all()
    assert (info.name, info.title, info.credit, info.path) == (
        "my_sunset-photo", "my sunset photo", "your own image", str(path))
    with pytest.raises(InputTooLarge):
        load_style(str(path), Limits(max_image_pixels=50))
    text = tmp_path / "notes.txt"
    text.write_text("not an image")
    with pytest.raises(UnsupportedFormat):
        load_style(text)
