"""animation.fine_band: the detail a coarser level cannot hold (one band of a Laplacian pyramid)."""
import numpy as np

from stylizer.animation import fine_band
from stylizer.transfer import resize_to


def test_a_flat_image_has_no_finer_band():
    np.testing.assert_allclose(fine_band(np.full((32, 48, 3), 120.0, np.float32), (16, 24)), 0.0, atol=1e-4)


def test_a_checkerboard_is_all_finer_band_and_the_rest_is_its_coarse_copy():
    rows, cols = np.indices((32, 32))
    board = np.repeat((((rows + cols) % 2) * 200.0 + 20.0)[..., None], 3, axis=2).astype(np.float32)
    band = fine_band(board, (16, 16))
    np.testing.assert_allclose(board - band, 120.0, atol=1e-3)  # a 1-px checkerboard averages out at half size
    np.testing.assert_allclose(np.abs(band), 100.0, atol=1e-3)


def test_a_smooth_ramp_keeps_little_finer_band():
    ramp = np.repeat(np.linspace(0.0, 255.0, 64, dtype=np.float32)[None, :, None], 64, axis=0).repeat(3, axis=2)
    band = fine_band(ramp, (32, 32))
    assert np.abs(band[:, 4:-4]).max() < 1.0  # away from the borders, a ramp survives halving
    np.testing.assert_allclose(band + resize_to(resize_to(ramp, 32, 32), 64, 64), ramp, atol=1e-4)
