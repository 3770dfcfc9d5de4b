"""Optical flow conventions, the occlusion mask of Ruder et al. (2016) and the temporal metrics."""
from pathlib import Path

import cv2
import numpy as np
import pytest

from stylizer.flow import flows_for, occlusion_mask, optical_flow, warp
from stylizer.gif import read_gif
from stylizer.metrics import still_flicker, warping_error

DATA = Path(__file__).resolve().parents[1] / "data"


def texture(height=96, width=128, seed=0):
    """Smooth random RGB texture: trackable by any flow method."""
    noise = np.random.default_rng(seed).uniform(0, 255, (height, width, 3)).astype(np.float32)
    return np.clip(cv2.GaussianBlur(noise, (0, 0), 2.0) * 3 - 255, 0, 255).astype(np.uint8)


def translate(image, dx, dy):
    """b with b[y, x] = image[y - dy, x - dx] (content moves by (dx, dy)), border replicated."""
    matrix = np.float32([[1, 0, dx], [0, 1, dy]])
    return cv2.warpAffine(image, matrix, image.shape[1::-1], borderMode=cv2.BORDER_REPLICATE)


def test_warp_convention_with_a_known_flow():
    image = np.arange(4 * 5 * 6, dtype=np.float32).reshape(4, 5, 6)  # 6 channels: more than cv2 takes
    flow = np.zeros((4, 5, 2), np.float32)
    flow[..., 0] = 1  # out[y, x] = image[y, x + 1]
    out = warp(image, flow)
    assert out.dtype == np.float32 and out.shape == image.shape
    assert np.array_equal(out[:, :4], image[:, 1:])
    assert np.array_equal(out[:, 4], image[:, 4])  # border replicated
    as_uint8 = warp(np.arange(20, dtype=np.uint8).reshape(4, 5, 1), flow)
    assert as_uint8.dtype == np.uint8 and as_uint8.shape == (4, 5, 1)


@pytest.mark.parametrize("method", ["farneback", "dis_medium"])
def test_flow_recovers_a_shift_and_warp_aligns(method):
    a = texture()
    b = translate(a, 3, -2)  # a[y, x] = b[y - 2, x + 3]: flow from a to b is (+3, -2)
    flow = optical_flow(a, b, method)
    interior = flow[12:-12, 12:-12]
    assert flow.dtype == np.float32 and flow.shape == (96, 128, 2)
    assert abs(np.median(interior[..., 0]) - 3) < 0.5
    assert abs(np.median(interior[..., 1]) + 2) < 0.5
    aligned = warp(b, flow).astype(float)[12:-12, 12:-12]
    assert np.abs(aligned - a[12:-12, 12:-12]).mean() < 0.25 * np.abs(b.astype(float) - a)[12:-12, 12:-12].mean()


def test_occlusion_mask_formula_on_exact_flows():
    # A 20x20 square moves 6 px right over a still background.
    height, width, top, left, shift = 60, 80, 20, 20, 6
    forward = np.zeros((height, width, 2), np.float32)  # on frame t's grid
    forward[top:top + 20, left:left + 20, 0] = shift
    backward = np.zeros((height, width, 2), np.float32)  # on frame t+1's grid
    backward[top:top + 20, left + shift:left + shift + 20, 0] = -shift
    mask = occlusion_mask(forward, backward)
    assert mask.dtype == np.float32 and set(np.unique(mask)) <= {0.0, 1.0}
    assert (mask[top + 2:top + 18, left:left + shift] == 0).all()  # disoccluded strip: background revealed
    assert (mask[top + 2:top + 18, left + shift + 2:left + shift + 18] == 1).all()  # the square itself
    assert (mask[:10] == 1).all() and (mask[:, 60:] == 1).all()  # still background
    assert (mask[top + 2:top + 18, left + shift - 1:left + shift + 1] == 0).all()  # motion boundary


def test_occlusion_mask_flags_the_disoccluded_strip_with_estimated_flow():
    background, square = texture(96, 128, seed=1), texture(96, 128, seed=2)
    frames = []
    for x in (40, 48):
        frame = background.copy()
        frame[30:62, x:x + 32] = square[30:62, 40:72]
        frames.append(frame)
    [(flow, mask)] = flows_for(frames)
    assert mask[34:58, 40:48].mean() < 0.5  # revealed background: no reliable predecessor
    assert mask[:20].mean() > 0.9 and mask[:, 100:].mean() > 0.9
    inside = flow[36:56, 52:76, 0][mask[36:56, 52:76] == 1]
    assert inside.size > 100 and abs(np.median(inside) + 8) < 1  # reliable square pixels came from 8 px left


def test_warping_error_zero_for_still_output_and_larger_for_shuffled():
    frames = read_gif(DATA / "newtonscradle.gif").frames[:10]
    flows = flows_for(frames)
    own = warping_error(frames, frames, flows)
    shuffled = [frames[i] for i in (0, 7, 2, 9, 4, 1, 6, 3, 8, 5)]
    assert 1.0 < own < 4.0  # measured 2.7 over the whole GIF
    assert warping_error(frames, shuffled, flows) > 2 * own
    still = [texture()] * 4
    assert warping_error(still, still) < 0.5


def test_still_flicker():
    frames = read_gif(DATA / "muybridge_tiny.gif").frames
    constant = [frames[0]] * len(frames)
    assert still_flicker(frames, constant) == 0.0
    rng = np.random.default_rng(0)
    noisy = [np.clip(f.astype(int) + rng.integers(-20, 21, f.shape), 0, 255).astype(np.uint8) for f in frames]
    assert still_flicker(frames, noisy) > 5
    half = [cv2.resize(f, (15, 10), interpolation=cv2.INTER_AREA) for f in noisy]
    assert still_flicker(frames, half) > 2  # outputs at a smaller working size are compared too
    with pytest.raises(ValueError, match="15 input frames but 3 output frames"):
        still_flicker(frames, noisy[:3])
