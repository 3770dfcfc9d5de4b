"""The loss terms against values computed by hand on tiny arrays."""
import numpy as np
import pytest
from keras import ops

from stylizer import losses


def value(tensor):
    return float(ops.convert_to_numpy(tensor))


def test_content_loss_is_mean_squared_error():
    features = np.array([[[[1.0, 2.0], [3.0, 4.0]]]], np.float32)  # (1, 1, 2, 2)
    target = np.array([[[[0.0, 2.0], [5.0, 4.0]]]], np.float32)
    assert value(losses.content_loss(features, target)) == pytest.approx((1 + 0 + 4 + 0) / 4)


def test_gram_matrix_is_normalised_by_positions():
    # two positions, two channels: F = [[1, 2], [3, 4]] -> F^T F = [[10, 14], [14, 20]], / 2 positions
    features = np.array([[[[1.0, 2.0], [3.0, 4.0]]]], np.float32)
    gram = ops.convert_to_numpy(losses.gram_matrix(features))
    np.testing.assert_allclose(gram, [[[5.0, 7.0], [7.0, 10.0]]])


def test_style_loss_weights_layers():
    a = np.array([[[[1.0, 0.0]]]], np.float32)  # gram [[1, 0], [0, 0]]
    b = np.array([[[[0.0, 2.0]]]], np.float32)  # gram [[0, 0], [0, 4]]
    targets = {"a": np.zeros((1, 2, 2), np.float32), "b": np.zeros((1, 2, 2), np.float32)}
    # E_a = 1/4, E_b = 16/4 = 4
    assert value(losses.style_loss({"a": a, "b": b}, targets)) == pytest.approx((0.25 + 4) / 2)
    assert value(losses.style_loss({"a": a, "b": b}, targets, {"a": 2.0, "b": 0.5})) == pytest.approx(0.5 + 2)


def test_style_loss_is_zero_for_the_style_itself():
    rng = np.random.default_rng(0)
    features = rng.normal(size=(1, 3, 4, 5)).astype(np.float32)
    assert value(losses.style_loss({"x": features}, {"x": losses.gram_matrix(features)})) == pytest.approx(0, abs=1e-6)


def test_total_variation_loss():
    image = np.zeros((1, 2, 2, 1), np.float32)
    image[0, 0, 0, 0] = 2.0  # vertical diffs: [-2, 0] -> mean 2; horizontal diffs: [-2, 0] -> mean 2
    assert value(losses.total_variation_loss(image)) == pytest.approx(4.0)
    assert value(losses.total_variation_loss(np.full((1, 3, 3, 3), 7.0, np.float32))) == 0.0


def test_temporal_loss_ignores_masked_pixels():
    images = np.zeros((1, 1, 2, 3), np.float32)
    warped = np.full((1, 1, 2, 3), 2.0, np.float32)
    mask = np.array([[1.0, 0.0]], np.float32)
    # only the first pixel counts: 3 channels * 4 / (2 pixels * 3 channels)
    assert value(losses.temporal_loss(images, warped, mask)) == pytest.approx(2.0)
    assert value(losses.temporal_loss(images, warped, np.zeros((1, 2), np.float32))) == 0.0


def test_weighted_sum():
    assert value(losses.weighted_sum({"a": ops.convert_to_tensor(2.0), "b": ops.convert_to_tensor(3.0)},
                                     {"a": 10.0, "b": 0.5})) == pytest.approx(21.5)
