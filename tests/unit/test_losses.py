"""The loss terms against values computed by hand on tiny arrays."""
import numpy as np
import pytest
from keras import ops

from stylizer import losses


def value(tensor):
    return float(ops.convert_to_numpy(tensor))


def test_content_loss_is_the_squared_error_relative_to_the_target():
    features = np.array([[[[1.0, 2.0], [3.0, 4.0]]]], np.float32)  # (1, 1, 2, 2)
    target = np.array([[[[0.0, 2.0], [5.0, 4.0]]]], np.float32)
    # mean squared error (1 + 0 + 4 + 0) / 4 over the target's mean square (0 + 4 + 25 + 16) / 4
    assert value(losses.content_loss(features, target)) == pytest.approx(5 / 45)


def test_gram_matrix_is_normalised_by_positions():
    # two positions, two channels: F = [[1, 2], [3, 4]] -> F^T F = [[10, 14], [14, 20]], / 2 positions
    features = np.array([[[[1.0, 2.0], [3.0, 4.0]]]], np.float32)
    gram = ops.convert_to_numpy(losses.gram_matrix(features))
    np.testing.assert_allclose(gram, [[[5.0, 7.0], [7.0, 10.0]]])


def test_style_loss_weights_layers():
    a = np.array([[[[1.0, 0.0]]]], np.float32)  # gram [[1, 0], [0, 0]]
    b = np.array([[[[0.0, 2.0]]]], np.float32)  # gram [[0, 0], [0, 4]]
    eye = np.eye(2, dtype=np.float32)[None]  # target energy mean(I²) = 1/2
    targets = {"a": eye, "b": eye}
    # E_a = mean([[0,0],[0,1]]) / (1/2) = 1/2;  E_b = mean([[1,0],[0,9]]) / (1/2) = 5
    assert value(losses.style_loss({"a": a, "b": b}, targets)) == pytest.approx((0.5 + 5) / 2)
    assert value(losses.style_loss({"a": a, "b": b}, targets, {"a": 2.0, "b": 0.5})) == pytest.approx(1 + 2.5)


def test_normalised_style_terms_are_equal_for_layers_of_equal_content_at_any_scale():
    rng = np.random.default_rng(1)
    style = rng.normal(size=(1, 6, 6, 4)).astype(np.float32)
    output = rng.normal(size=(1, 6, 6, 4)).astype(np.float32)
    small, large = 1.0, 37.0  # a deep layer's activations can be that much larger than a shallow one's
    terms = [value(losses.style_layer_loss(k * output, losses.gram_matrix(k * style))) for k in (small, large)]
    assert terms[0] == pytest.approx(terms[1], rel=1e-4)
    assert terms[0] > 0.1
    content = [value(losses.content_loss(k * output, k * style)) for k in (small, large)]
    assert content[0] == pytest.approx(content[1], rel=1e-5)


def test_style_loss_is_zero_for_the_style_itself():
    rng = np.random.default_rng(0)
    features = rng.normal(size=(1, 3, 4, 5)).astype(np.float32)
    assert value(losses.style_loss({"x": features}, {"x": losses.gram_matrix(features)})) == pytest.approx(0, abs=1e-6)


def test_total_variation_loss():
    image = np.zeros((1, 2, 2, 1), np.float32)
    image[0, 0, 0, 0] = 2.0  # vertical diffs: [-2, 0] -> mean 2; horizontal diffs: [-2, 0] -> mean 2
    assert value(losses.total_variation_loss(image)) == pytest.approx(4.0 / 255 ** 2)
    assert value(losses.total_variation_loss(np.full((1, 3, 3, 3), 7.0, np.float32))) == 0.0


def test_temporal_loss_ignores_masked_pixels():
    images = np.zeros((1, 1, 2, 3), np.float32)
    warped = np.full((1, 1, 2, 3), 2.0, np.float32)
    mask = np.array([[[1.0, 0.0]]], np.float32)  # (N, H, W)
    # only the first pixel counts: 3 channels * 4 / (2 pixels * 3 channels), on the 0..1 scale
    assert value(losses.temporal_loss(images, warped, mask)) == pytest.approx(2.0 / 255 ** 2)
    assert value(losses.temporal_loss(images, warped, np.zeros((1, 1, 2), np.float32))) == 0.0


def test_weighted_sum():
    assert value(losses.weighted_sum({"a": ops.convert_to_tensor(2.0), "b": ops.convert_to_tensor(3.0)},
                                     {"a": 10.0, "b": 0.5})) == pytest.approx(21.5)


def test_laplacian_map_of_a_ramp_is_zero_inside_and_of_an_impulse_is_the_stencil():
    ramp = np.broadcast_to(np.arange(8, dtype=np.float32)[None, :, None, None] * 3.0, (1, 8, 8, 3))
    laplacian = ops.convert_to_numpy(losses.laplacian_map(ramp, 1))
    np.testing.assert_allclose(laplacian[:, 1:-1, 1:-1], 0.0, atol=1e-5)
    # at the edges the picture's edge pixel is repeated: a one-sided difference, the ramp's step (3)
    np.testing.assert_allclose(laplacian[0, [0, -1], 3, 0], [3.0, -3.0])  # the ramp runs down the rows
    impulse = np.zeros((1, 5, 5, 1), np.float32)
    impulse[0, 2, 2, 0] = 1.0
    expected = np.array([[0, 1, 0], [1, -4, 1], [0, 1, 0]], np.float32)
    np.testing.assert_allclose(ops.convert_to_numpy(losses.laplacian_map(impulse, 1))[0, 1:4, 1:4, 0], expected)


def test_laplacian_map_pools_first_and_takes_any_size():
    # 2x2 blocks of a 6x6 image average to a 3x3 image with a single bright centre: the stencil times it
    image = np.zeros((1, 6, 6, 1), np.float32)
    image[0, 2:4, 2:4, 0] = 8.0
    laplacian = ops.convert_to_numpy(losses.laplacian_map(image, 2))[0, :, :, 0]
    np.testing.assert_allclose(laplacian, 8.0 * np.array([[0, 1, 0], [1, -4, 1], [0, 1, 0]]))
    assert ops.convert_to_numpy(losses.laplacian_map(image, 16)).shape == (1, 1, 1, 1)


def test_laplacian_loss_is_relative_zero_on_the_target_and_scale_free():
    rng = np.random.default_rng(3)
    content = rng.uniform(0, 255, size=(1, 16, 16, 3)).astype(np.float32)
    painting = rng.uniform(0, 255, size=(1, 16, 16, 3)).astype(np.float32)
    target = losses.laplacian_map(content, 2)
    assert value(losses.laplacian_loss(content, target, 2)) == pytest.approx(0.0, abs=1e-9)
    once = value(losses.laplacian_loss(painting, target, 2))
    twice = value(losses.laplacian_loss(painting * 2, losses.laplacian_map(content * 2, 2), 2))
    assert once > 0.1 and twice == pytest.approx(once, rel=1e-5)
    # a flat painting misses all of the target's structure: exactly the target's energy, relative 1
    flat = np.full_like(painting, 100.0)
    assert value(losses.laplacian_loss(flat, target, 2)) == pytest.approx(1.0, rel=1e-5)


def test_style_layer_weights_are_the_presets_layers_normalised_to_sum_to_one():
    from stylizer.settings import StyleSettings
    from stylizer.transfer import style_layer_weights

    assert style_layer_weights(StyleSettings()) is None  # unresolved: equal shares, 1/L, in losses.style_loss
    weights = style_layer_weights(StyleSettings(style_layer_weights=(1, 1, 1, 1, 0.25)))
    assert list(weights) == list(StyleSettings().style_layers)
    assert sum(weights.values()) == pytest.approx(1.0)
    assert weights["block5_conv3"] == pytest.approx(0.25 / 4.25) and weights["block1_conv2"] == pytest.approx(1 / 4.25)
    assert StyleSettings(style_layer_weights=[1, 1, 1, 1, 0.5]).style_layer_weights == (1.0, 1.0, 1.0, 1.0, 0.5)
    assert StyleSettings().for_gif().style_layer_weights == (1.0, 1.0, 1.0, 1.0, 0.25)  # the GIFs' own (measured)
    assert StyleSettings().for_photo().style_layer_weights == (1.0, 1.0, 1.0, 1.0, 0.25)  # photos too (measured)
    assert StyleSettings(temporal=False).for_gif().style_layer_weights == ()  # the per-frame baseline, as it was
    for wrong in ((1, 1), (1, 1, 1, 1, -1), (0, 0, 0, 0, 0)):
        with pytest.raises(ValueError, match="style_layer_weights"):
            StyleSettings(style_layer_weights=wrong)
