"""The multi-pass pieces (stylizer.temporal.passes) on hand-made arrays."""
import numpy as np
import pytest

from stylizer.temporal.passes import blend_from_neighbours, combine_neighbours, pass_orders


def test_passes_alternate_direction():
    assert pass_orders(3, 3) == [[0, 1, 2], [2, 1, 0], [0, 1, 2]]


def test_blend_keeps_the_frame_where_no_neighbour_is_reliable():
    own = np.full((1, 2, 3), 10.0, np.float32)
    previous, following = np.full_like(own, 40.0), np.full_like(own, 70.0)
    weights = [np.array([[1.0, 0.0]], np.float32), np.array([[1.0, 0.0]], np.float32)]
    blended = blend_from_neighbours(own, [previous, following], weights)
    np.testing.assert_allclose(blended[0, 0], 40.0)  # (10 + 40 + 70) / 3
    np.testing.assert_allclose(blended[0, 1], 10.0)  # disoccluded: the frame's own start, not a ghost


def test_combined_target_has_the_gradient_of_the_sum_of_terms():
    rng = np.random.default_rng(0)
    x = rng.uniform(0, 255, (4, 5, 3)).astype(np.float32)
    warped = [rng.uniform(0, 255, x.shape).astype(np.float32) for _ in range(3)]
    weights = [rng.uniform(0, 1, x.shape[:2]).astype(np.float32) for _ in range(3)]
    target, total = combine_neighbours(warped, weights, x.shape)
    gradient_of_sum = sum(2 * w[..., None] * (x - image) for image, w in zip(warped, weights))
    np.testing.assert_allclose(2 * total[..., None] * (x - target), gradient_of_sum, rtol=1e-4, atol=1e-2)
    empty_target, empty_weight = combine_neighbours([warped[0]], [np.zeros(x.shape[:2], np.float32)], x.shape)
    assert empty_weight.max() == 0 and empty_target.max() == 0
    assert total.max() == pytest.approx(float(sum(weights).max()))
