"""stylizer.metrics.edge_frame_noise: the frame of colour noise that zero padding paints along the edge."""
import numpy as np

from stylizer.metrics import edge_frame_noise


def _noisy_picture(seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    ramp = np.linspace(40, 200, 64, dtype=np.float32)
    picture = np.stack([np.tile(ramp, (48, 1)), np.tile(ramp[::-1], (48, 1)), np.full((48, 64), 120.0)], -1)
    return picture + rng.normal(0, 6, picture.shape)


def test_noise_spread_evenly_scores_about_one():
    assert 0.8 < edge_frame_noise(np.clip(_noisy_picture(), 0, 255).astype(np.uint8)) < 1.25


def test_a_frame_of_colour_noise_along_the_edge_scores_well_above_one():
    framed = _noisy_picture()
    rng = np.random.default_rng(1)
    for ring in (np.s_[:2], np.s_[-2:], np.s_[:, :2], np.s_[:, -2:]):
        framed[ring] += rng.normal(0, 30, framed[ring].shape)
    assert edge_frame_noise(np.clip(framed, 0, 255).astype(np.uint8)) > 2.0
