"""benchmarks/ruler_choice.py's floor: the input's own warping error under a candidate ruler."""
import numpy as np


def _textured(seed: int, shape=(40, 48)) -> np.ndarray:
    import cv2

    noise = np.random.default_rng(seed).uniform(0, 255, shape).astype(np.float32)
    gray = cv2.GaussianBlur(noise, (0, 0), 2.0)
    gray = (gray - gray.min()) / (gray.max() - gray.min()) * 255
    return np.repeat(gray[..., None], 3, axis=2).astype(np.uint8)


def _still(a, b) -> np.ndarray:  # a ruler that sees no motion anywhere
    return np.zeros(a.shape[:2] + (2,), np.float32)


def _index(frames, frame) -> int:
    return next(i for i, f in enumerate(frames) if f is frame)


def test_a_still_gif_has_no_floor_and_is_trusted_everywhere(load_benchmark):
    ruler = load_benchmark("ruler_choice")
    frame = _textured(1)
    floor, trusted = ruler.ruler_floor([frame, frame.copy(), frame.copy()], _still)
    assert floor == 0.0 and trusted == 1.0


def test_a_ruler_that_sees_the_shift_has_a_lower_floor_than_one_that_does_not(load_benchmark):
    ruler = load_benchmark("ruler_choice")
    wide = _textured(2, (40, 60))
    frames = [np.ascontiguousarray(wide[:, 8 - 2 * t:56 - 2 * t]) for t in range(3)]  # the scene moves 2 px right per frame

    def true(a, b):  # a[y, x] = b[y, x + u]: u = +2 from a frame to the next, -2 back
        u = 2.0 * (_index(frames, b) - _index(frames, a))
        return np.dstack([np.full(a.shape[:2], u, np.float32), np.zeros(a.shape[:2], np.float32)])

    seeing, _ = ruler.ruler_floor(frames, true)
    blind, _ = ruler.ruler_floor(frames, _still)
    assert seeing < 0.25 * blind
