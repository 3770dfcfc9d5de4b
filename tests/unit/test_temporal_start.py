"""Where a GIF's frames start (stylizer.temporal.start): the strongest fast painting that keeps the content,
with the content's light and dark (keep_values)."""
import numpy as np
import pytest

from stylizer.temporal.start import (candidate_strengths, choose_strength, interpolate_strength, keep_values,
                                     mean_adjacent_reliability, sample_indices)


def test_candidates_step_down_by_a_quarter_and_never_reach_zero():
    assert candidate_strengths(1.0) == [1.0, 0.75, 0.5, 0.25]
    assert candidate_strengths(0.5) == [0.5, 0.25]
    assert candidate_strengths(0.0) == []
    assert sample_indices(10) == [0, 3, 6, 9] and sample_indices(2) == [0, 1]


def test_the_strength_meets_the_limit_between_the_candidates_else_the_content():
    frames = [np.zeros((8, 8, 3), np.float32) + i for i in range(6)]
    painted = []

    def paint(frame, strength):
        painted.append(strength)
        return frame + strength

    def term(painting, frame):  # content lost grows with the strength, and more on "hard" frames
        return float((painting - frame).mean() * (2.0 if frame.mean() >= 3 else 1.0))

    # mean over the samples: 1.5 s, so 0.5 is the first candidate under 0.9 and the line through 0.5 and
    # 0.75 meets it at 0.6
    assert choose_strength(frames, paint, term, 1.0, limit=0.9) == 0.6
    assert set(painted) == {1.0, 0.75, 0.5} and len(painted) == 3 * 4  # four sampled frames per candidate
    assert choose_strength(frames, paint, term, 1.0, limit=0.76) == 0.51  # just over 0.5's 0.75: just over 0.5
    assert choose_strength(frames, paint, term, 1.0, limit=10.0) == 1.0
    assert choose_strength(frames, paint, term, 1.0, limit=0.1) == 0.0  # no painting keeps it: the content


def test_mean_adjacent_reliability_counts_only_the_adjacent_neighbours():
    from stylizer.temporal.neighbours import Neighbour

    flow = np.zeros((4, 4, 2), np.float32)

    def neighbour(offset, value):
        return Neighbour(index=0, offset=offset, flow=flow, weight=np.full((4, 4), value, np.float32))

    hoods = [[neighbour(1, 0.2), neighbour(2, 1.0)], [neighbour(-1, 0.6), neighbour(-4, 1.0)]]
    assert abs(mean_adjacent_reliability(hoods) - 0.4) < 1e-6
    assert mean_adjacent_reliability([[], []]) == 0.0


def test_the_interpolated_strength_stays_between_the_two_candidates():
    assert interpolate_strength((0.5, 0.8), (0.75, 1.2), limit=1.0) == 0.62
    assert interpolate_strength((0.5, 0.8), (0.75, 0.8), limit=1.0) == 0.5  # a term that does not grow
    assert interpolate_strength((0.5, 0.8), (0.75, 0.8001), limit=1.0) == 0.5  # far beyond: the one that passed
    assert interpolate_strength((0.5, 0.8), (0.75, 1.2), limit=0.8) == 0.5  # on the limit: the one that passed


def _checked_painting(side=128, level=128.0, amplitude=20.0) -> np.ndarray:
    """A painting: flat `level` with a 2-px checkerboard of strokes of +/- amplitude, red-tinted."""
    y, x = np.mgrid[:side, :side]
    checks = np.where(((y // 2) + (x // 2)) % 2 == 0, amplitude, -amplitude).astype(np.float32)
    return np.stack([level + 30 + checks, level + checks, level - 10 + checks], -1)


LUMA = np.array([0.299, 0.587, 0.114], np.float32)


def test_keep_values_gives_the_painting_the_contents_light_and_dark_and_keeps_its_strokes_and_hue():
    painting = _checked_painting()  # 128 px: the blur's sigma is 2 px, the strokes 4 px a period
    content = np.full((128, 128, 3), 200.0, np.float32)
    content[32:96, 32:96] = 40.0  # a dark burrow the painting has lifted to mid tones
    kept = keep_values(painting, content, amount=1.0)
    inside, outside = np.s_[48:80, 48:80], np.s_[:16, :16]
    assert abs((kept @ LUMA)[inside].mean() - 40.0) < 3 and abs((kept @ LUMA)[outside].mean() - 200.0) < 3
    # the strokes (finer than the blur) and the hue (the same shift in R, G and B) are the painting's
    strokes = lambda image: image[:, 1:, 1] - image[:, :-1, 1]
    np.testing.assert_allclose(strokes(kept)[inside], strokes(painting)[inside], atol=1.0)
    np.testing.assert_allclose((kept[..., 0] - kept[..., 1])[inside], 30.0, atol=1e-3)
    half = keep_values(painting, content, amount=0.5) @ LUMA
    assert abs(half[inside].mean() - (40.0 + (painting @ LUMA).mean()) / 2) < 3
    np.testing.assert_array_equal(keep_values(painting, content, amount=0.0), painting)
    assert keep_values(content, content, amount=1.0) == pytest.approx(content)
