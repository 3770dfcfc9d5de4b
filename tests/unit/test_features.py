"""stylizer.features: VGG19's padding at the image's edge, its pooling, and the extractors the endpoint warms."""
import numpy as np
import pytest
from keras import ops

from stylizer.features import FeatureExtractor, MirrorPad, feature_extractor

LAYERS = ("block1_conv1", "block2_conv1")


def test_mirror_pad_is_numpys_reflect_and_repeats_a_one_pixel_maps_pixel():
    pad = MirrorPad((3, 3))
    x = np.arange(12, dtype=np.float32).reshape(1, 3, 4, 1)
    np.testing.assert_array_equal(ops.convert_to_numpy(pad(x)),
                                  np.pad(x, [(0, 0), (1, 1), (1, 1), (0, 0)], mode="reflect"))
    line = np.arange(3, dtype=np.float32).reshape(1, 1, 3, 1)  # block5 of a 512x20 photo: 1 pixel high
    np.testing.assert_array_equal(ops.convert_to_numpy(pad(line))[0, :, :, 0], [[1, 0, 1, 2, 1]] * 3)


@pytest.fixture(scope="module")
def extractors():
    return {padding: FeatureExtractor(LAYERS, precision="float32", padding=padding)
            for padding in ("zeros", "mirror")}


def test_a_uniform_image_has_uniform_features_only_with_mirrored_borders(extractors):
    grey = np.full((1, 24, 32, 3), 128.0, np.float32)
    for layer in LAYERS:
        mirrored = ops.convert_to_numpy(extractors["mirror"](grey)[layer])[0]
        zeros = ops.convert_to_numpy(extractors["zeros"](grey)[layer])[0]
        assert mirrored.shape == zeros.shape
        np.testing.assert_allclose(mirrored, np.broadcast_to(mirrored[:1, :1], mirrored.shape), atol=1e-3)
        assert np.abs(zeros[0] - zeros[zeros.shape[0] // 2]).max() > 1.0  # the black frame shows in row 0


def test_mirroring_changes_the_first_layer_only_at_the_edge(extractors):
    image = np.random.default_rng(3).uniform(0, 255, (1, 20, 28, 3)).astype(np.float32)
    mirrored = ops.convert_to_numpy(extractors["mirror"](image)["block1_conv1"])[0]
    zeros = ops.convert_to_numpy(extractors["zeros"](image)["block1_conv1"])[0]
    np.testing.assert_allclose(mirrored[1:-1, 1:-1], zeros[1:-1, 1:-1], rtol=1e-5, atol=1e-3)
    assert not np.allclose(mirrored[0], zeros[0])


def test_an_unknown_padding_is_refused():
    with pytest.raises(ValueError, match="padding must be one of zeros, mirror"):
        FeatureExtractor(LAYERS, padding="edge")


def test_average_pooling_takes_the_mean_of_each_window_and_max_pooling_its_largest():
    """Gatys et al. 2016's average pooling: each 2x2 window's mean, where VGG as trained keeps its maximum."""
    image = np.random.default_rng(5).uniform(0, 255, (1, 12, 16, 3)).astype(np.float32)
    layers = ("block1_conv2", "block1_pool")
    for pooling, reduce in (("avg", np.mean), ("max", np.max)):
        features = FeatureExtractor(layers, pooling=pooling, precision="float32")(image)
        conv = ops.convert_to_numpy(features["block1_conv2"])[0]
        windows = conv.reshape(6, 2, 8, 2, -1)
        np.testing.assert_allclose(ops.convert_to_numpy(features["block1_pool"])[0], reduce(windows, axis=(1, 3)),
                                   rtol=1e-5, atol=1e-4)


def test_the_endpoint_warms_the_very_extractors_a_painting_asks_for():
    from stylizer.serving.model import load_features
    from stylizer.settings import StyleSettings
    from stylizer.transfer import stylize_image

    photo = np.random.default_rng(0).integers(0, 255, (24, 32, 3), dtype=np.uint8)
    for settings in (StyleSettings(method="full", size=32, iterations=1, compile="eager", vgg_padding="mirror"),
                     StyleSettings(method="full", size=32, iterations=1, compile="eager", optimizer="lbfgs",
                                   vgg_padding="zeros"),
                     StyleSettings(method="full", size=32, iterations=1, compile="eager", vgg_pooling="avg")):
        load_features(settings)
        built = feature_extractor.cache_info().misses
        assert [e.kind for e in stylize_image(photo, [(photo, 1.0)], settings)][-1] == "done"
        assert feature_extractor.cache_info().misses == built, settings


def test_both_modes_keep_vggs_zeros_unless_told():
    from stylizer.settings import StyleSettings

    assert (StyleSettings().photo_vgg_padding, StyleSettings().gif_vgg_padding) == ("zeros", "zeros")
    for chosen in ("zeros", "mirror"):
        told = StyleSettings(vgg_padding=chosen)
        assert (told.photo_vgg_padding, told.gif_vgg_padding) == (chosen, chosen)
    with pytest.raises(ValueError, match="vgg_padding must be one of auto, zeros, mirror"):
        StyleSettings(vgg_padding="edge")
    with pytest.raises(ValueError, match="vgg_pooling must be one of max, avg"):
        StyleSettings(vgg_pooling="min")
