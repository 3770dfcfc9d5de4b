"""Free pixels held like tied ones (optimize.free_pixel_proximal_step, settings.free_pull), by hand."""
import numpy as np
import pytest
from keras import ops

from stylizer.optimize import adam_init, free_pixel_proximal_step, make_step, temporal_proximal_step
from stylizer.settings import StyleSettings
from stylizer.transfer import loss_key


def _moved(mask_values, pull=1.0, free_pull=1.0, stepped=50.0, previous=10.0, warped=110.0):
    count = len(mask_values)
    return ops.convert_to_numpy(free_pixel_proximal_step(
        np.full((1, 1, count, 3), stepped, np.float32), np.full((1, 1, count, 3), warped, np.float32),
        np.array([[mask_values]], np.float32), pull, np.full((1, 1, count, 3), previous, np.float32), free_pull))


def test_a_free_pixel_keeps_the_share_of_its_step_that_a_tied_one_keeps():
    # stepped from 10 to 50; c = 0: (50 + 1 · 10) / 2 = 30, half the step, as a pixel with c = 1 keeps half
    # of its own step (its other half goes towards the warped neighbours, 110): (50 + 110) / 2 = 80
    moved = _moved([0.0, 1.0])
    np.testing.assert_allclose(moved[0, 0, :, 0], [30.0, 80.0], rtol=1e-6)
    assert np.all(moved[..., 0:1] == moved)


def test_tied_pixels_and_no_free_pull_are_the_plain_pull():
    plain = ops.convert_to_numpy(temporal_proximal_step(np.full((1, 1, 3, 3), 50.0, np.float32),
                                                        np.full((1, 1, 3, 3), 110.0, np.float32),
                                                        np.array([[[0.0, 1.0, 2.5]]], np.float32), 0.7))
    np.testing.assert_allclose(_moved([0.0, 1.0, 2.5], pull=0.7, free_pull=0.0), plain, rtol=1e-6)
    np.testing.assert_allclose(_moved([0.0, 1.0, 2.5], pull=0.7)[..., 1:, :], plain[..., 1:, :], rtol=1e-6)


def test_it_minimises_both_terms_plus_the_distance_moved():
    # z = argmin (κ/2) [c (z − w)² + φ (1 − c) (z − x₀)²] + ½ (z − x): the derivative vanishes at the step
    x, w, x0, c, pull, phi = 50.0, 110.0, 10.0, 0.25, 0.8, 0.6
    z = float(_moved([c], pull=pull, free_pull=phi, stepped=x, previous=x0, warped=w)[0, 0, 0, 0])
    assert pull * c * (z - w) + pull * phi * (1 - c) * (z - x0) + (z - x) == pytest.approx(0.0, abs=1e-4)


def test_the_compiled_step_holds_a_free_pixel_to_where_it_was():
    # a loss whose gradient is -1 everywhere: Adam's first step moves every pixel up by the learning rate
    def rising_loss(pixels, targets):
        return -ops.sum(pixels), {}

    pixels = np.full((1, 1, 2, 3), 10.0, np.float32)
    targets = {"warped": np.full((1, 1, 2, 3), 10.0, np.float32), "mask": np.array([[[0.0, 1.0]]], np.float32)}
    rate = ops.convert_to_tensor(8.0)
    for free_pull, expected in ((0.0, [18.0, 14.0]), (1.0, [14.0, 14.0])):  # stepped to 18; c = 1: (18 + 10) / 2
        step = make_step(rising_loss, "graph", temporal_pull=1.0, free_pull=free_pull)
        moved, _, _ = step(ops.convert_to_tensor(pixels), adam_init(ops.convert_to_tensor(pixels)), targets, rate)
        np.testing.assert_allclose(ops.convert_to_numpy(moved)[0, 0, :, 0], expected, rtol=1e-5)


def test_only_a_temporal_painting_has_it():
    settings = StyleSettings(free_pull=1.0)
    assert settings.for_gif().free_pull == 1.0
    assert settings.for_photo().free_pull == 0.0  # a photo has no neighbours: every pixel would be held back
    assert settings.replace(temporal=False).for_gif().free_pull == 0.0  # the per-frame method: the same
    assert loss_key(settings) != loss_key(StyleSettings())
    with pytest.raises(ValueError, match="free_pull"):
        StyleSettings(free_pull=-0.5)
