"""stylizer.metrics.grain: isolated pixel noise, the ruler the TV term answers to (photos and GIF frames)."""
import numpy as np
import pytest

from stylizer.metrics import animation_report, grain


def _ramp() -> np.ndarray:
    return np.repeat(np.repeat(np.linspace(0, 255, 48, dtype=np.uint8)[None, :, None], 32, 0), 3, 2)


def test_grain_is_zero_on_a_smooth_image_and_counts_isolated_pixels():
    ramp = _ramp()
    assert grain(ramp) == pytest.approx(0.0, abs=0.05)
    speckled = ramp.copy()
    speckled[::4, ::4] = 255 - speckled[::4, ::4]  # one pixel in 16 flipped: what a 3x3 median removes
    assert grain(speckled) > 5.0


def test_strokes_wider_than_a_pixel_are_not_grain():
    stripes = np.zeros((32, 48, 3), np.uint8)
    stripes[:, (np.arange(48) // 4) % 2 == 1] = 200  # 4 px bands: edges, not isolated pixels
    assert grain(stripes) < 0.05 * grain(np.where(np.random.default_rng(0).random((32, 48, 1)) < 0.5, 200, 0)
                                         .repeat(3, 2).astype(np.uint8))


def test_an_animations_report_gives_the_frames_mean_grain():
    frames = [_ramp(), _ramp()]
    speckled = _ramp()
    speckled[::4, ::4] = 255 - speckled[::4, ::4]
    report = animation_report(frames, [frames[0], speckled], loops=False)
    assert report["grain"] == pytest.approx((grain(frames[0]) + grain(speckled)) / 2)
