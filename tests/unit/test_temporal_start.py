"""Where a GIF's frames start (stylizer.temporal.start): the strongest fast painting that keeps the content."""
import numpy as np

from stylizer.temporal.start import candidate_strengths, choose_strength, mean_adjacent_reliability, sample_indices


def test_candidates_step_down_by_a_quarter_and_never_reach_zero():
    assert candidate_strengths(1.0) == [1.0, 0.75, 0.5, 0.25]
    assert candidate_strengths(0.5) == [0.5, 0.25]
    assert candidate_strengths(0.0) == []
    assert sample_indices(10) == [0, 3, 6, 9] and sample_indices(2) == [0, 1]


def test_the_strongest_strength_under_the_limit_is_chosen_else_the_content():
    frames = [np.zeros((8, 8, 3), np.float32) + i for i in range(6)]
    painted = []

    def paint(frame, strength):
        painted.append(strength)
        return frame + strength

    def term(painting, frame):  # content lost grows with the strength, and more on "hard" frames
        return float((painting - frame).mean() * (2.0 if frame.mean() >= 3 else 1.0))

    assert choose_strength(frames, paint, term, 1.0, limit=0.9) == 0.5  # mean over samples: 1.5 s
    assert set(painted) == {1.0, 0.75, 0.5} and len(painted) == 3 * 4  # four sampled frames per candidate
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
