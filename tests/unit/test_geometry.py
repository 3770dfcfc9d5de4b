"""stylizer.rules.geometry: the painting's shape, never thinner than VGG19's four poolings before block5 allow."""
from stylizer.rules.geometry import VGG_MIN_SIDE, paint_shape, thinner_than


def test_an_image_of_ordinary_proportions_takes_the_longest_side_asked():
    assert paint_shape(100, 300, 64) == (21, 64)
    assert paint_shape(48, 40, 64) == (64, 53)  # upscaled as well as down
    assert paint_shape(256, 256, 256) == (256, 256)
    assert paint_shape(5, 9, 9, min_side=1) == (5, 9)  # a shape no network sees: no floor
    assert not thinner_than(100, 300, 64)


def test_a_strip_is_painted_longer_rather_than_thinner_than_vgg_sees():
    assert VGG_MIN_SIDE == 16  # 16 -> 8 -> 4 -> 2 -> 1 cell at block5
    assert paint_shape(30, 300, 128) == (16, 160)  # 128x13 would leave block5 nothing
    assert paint_shape(300, 30, 128) == (160, 16)  # standing as well as lying
    assert paint_shape(1, 1024, 256) == (16, 16384)  # the limits' thinnest GIF: bounded by max_side
    assert thinner_than(30, 300, 128) and not thinner_than(30, 300, 160)


def test_rounding_to_the_floor_is_not_called_thin():
    assert paint_shape(31, 256, 128) == (16, 128)  # 15.5 rounds to 16: no lengthening needed
    assert not thinner_than(31, 256, 128) and thinner_than(30, 256, 128)
