"""The temporal term as a pull after each step (optimize.temporal_proximal_step), by hand on tiny arrays."""
import numpy as np
import pytest
from keras import ops

from stylizer.optimize import adam_init, make_step, temporal_proximal_step
from stylizer.settings import StyleSettings
from stylizer.transfer import loss_key


def test_each_pixel_moves_towards_its_neighbours_by_k_c_over_one_plus_k_c():
    pixels = np.zeros((1, 1, 3, 3), np.float32)
    warped = np.full((1, 1, 3, 3), 100.0, np.float32)
    mask = np.array([[[0.0, 1.0, 3.0]]], np.float32)  # no neighbour, one, three reliable ones
    moved = ops.convert_to_numpy(temporal_proximal_step(pixels, warped, mask, 0.5))
    # (0 + κ c · 100) / (1 + κ c): c = 0 stays, 0.5 / 1.5 and 1.5 / 2.5 of the way
    np.testing.assert_allclose(moved[0, 0, :, 0], [0.0, 100.0 / 3.0, 60.0], rtol=1e-6)
    assert np.all(moved[..., 0:1] == moved)  # the same for every channel


def test_it_minimises_the_term_plus_the_distance_moved():
    # z = argmin (κ/2) c (z − w)² + ½ (z − x)²: the derivative κ c (z − w) + (z − x) vanishes at the step
    x, w, c, pull = 40.0, 200.0, 2.0, 0.3
    z = float(ops.convert_to_numpy(temporal_proximal_step(np.full((1, 1, 1, 3), x, np.float32),
                                                          np.full((1, 1, 1, 3), w, np.float32),
                                                          np.full((1, 1, 1), c, np.float32), pull))[0, 0, 0, 0])
    assert pull * c * (z - w) + (z - x) == pytest.approx(0.0, abs=1e-4)


def test_the_compiled_step_pulls_after_adam():
    # a loss with no gradient: Adam leaves the pixels where they are, the pull alone moves them
    def flat_loss(pixels, targets):
        return ops.sum(pixels) * 0.0, {}

    pixels = np.full((1, 2, 2, 3), 10.0, np.float32)
    targets = {"warped": np.full((1, 2, 2, 3), 110.0, np.float32), "mask": np.ones((1, 2, 2), np.float32)}
    rate = ops.convert_to_tensor(8.0)
    for pull, expected in ((0.0, 10.0), (1.0, 60.0)):  # (10 + 1 · 110) / 2
        step = make_step(flat_loss, "graph", temporal_pull=pull)
        moved, _, _ = step(ops.convert_to_tensor(pixels), adam_init(ops.convert_to_tensor(pixels)), targets, rate)
        np.testing.assert_allclose(ops.convert_to_numpy(moved), expected, rtol=1e-6)


def test_a_pull_is_its_own_compiled_step_and_is_checked():
    assert loss_key(StyleSettings(temporal_pull=0.3)) != loss_key(StyleSettings())
    with pytest.raises(ValueError, match="temporal_pull"):
        StyleSettings(temporal_pull=-1.0)
