"""Where a GIF's frames start (stylizer.temporal.start): the strongest fast painting that keeps the content."""
import numpy as np

from stylizer.temporal.start import (candidate_strengths, choose_strength, interpolate_strength, mean_adjacent_reliability,
                                     sample_indices)


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
