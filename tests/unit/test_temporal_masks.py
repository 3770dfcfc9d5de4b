"""Reliability weights (stylizer.temporal.masks) and neighbourhoods (neighbours.py) on hand-made motion."""
import numpy as np

from stylizer.temporal.masks import colour_mismatch, exclusive, motion_boundary, occluded, out_of_frame, reliability
from stylizer.temporal.neighbours import neighbour_index, neighbourhoods

from synthetic import texture, translate


def square_flows(height=60, width=80, top=20, left=20, shift=6):
    """Exact flows of a 20x20 square moving `shift` px right over a still background."""
    forward = np.zeros((height, width, 2), np.float32)  # on frame t's grid: where each pixel goes
    forward[top:top + 20, left:left + 20, 0] = shift
    backward = np.zeros((height, width, 2), np.float32)  # on frame t+1's grid: where it came from
    backward[top:top + 20, left + shift:left + shift + 20, 0] = -shift
    return forward, backward


def test_a_square_that_moves_away_leaves_its_old_place_unreliable():
    forward, backward = square_flows()
    assert occluded(forward, backward)[22:38, 20:26].all()  # the strip it uncovered
    weights = reliability(forward, backward)
    assert weights.dtype == np.float32 and 0 <= weights.min() and weights.max() <= 1
    assert (weights[22:38, 20:26] == 0).all()
    assert weights[22:38, 19].max() < 0.6  # the unreliable zone grows a little and is soft
    assert (weights[24:36, 30:40] > 0.99).all() and (weights[:10] > 0.99).all()  # square and background
    assert motion_boundary(backward)[25, 25:27].any()


def test_a_pan_makes_the_new_columns_unreliable():
    height, width, pan = 40, 60, 6
    flow = np.zeros((height, width, 2), np.float32)
    flow[..., 0] = pan  # the camera pans: frame t+1's pixel x was at x + 6 in frame t
    assert out_of_frame(flow)[:, -pan:].all() and not out_of_frame(flow)[:, :-pan - 1].any()
    weights = reliability(-flow, flow)
    assert weights[:, -pan:].max() == 0.0
    assert weights[5:-5, :-pan - 3].min() > 0.99


def test_estimated_flow_marks_the_revealed_background_and_pan_edges():
    background, square = texture(96, 128, seed=1), texture(96, 128, seed=2)
    frames = []
    for x in (40, 48):
        frame = background.copy()
        frame[30:62, x:x + 32] = square[30:62, 40:72]
        frames.append(frame)
    [neighbours_0, neighbours_1] = neighbourhoods(frames)
    [previous] = neighbours_1
    assert previous.index == 0 and previous.offset == -1
    assert previous.weight[34:58, 40:48].mean() < 0.5 and previous.weight[:20].mean() > 0.9
    panned = [texture(96, 128, seed=3), translate(texture(96, 128, seed=3), -5, 0)]
    [pan] = neighbourhoods(panned)[1]
    assert pan.weight[20:-20, -5:].mean() < 0.2  # the 5 columns that entered were never painted


def test_long_term_weights_count_each_pixel_once():
    near = np.array([[1.0, 0.0, 0.5, 0.0]], np.float32)
    far = np.array([[1.0, 1.0, 1.0, 0.0]], np.float32)
    farther = np.array([[1.0, 1.0, 1.0, 1.0]], np.float32)
    result = exclusive([near, far, farther])
    np.testing.assert_allclose(result[0], near)
    np.testing.assert_allclose(result[1], [[0.0, 1.0, 0.5, 0.0]])
    np.testing.assert_allclose(result[2], [[0.0, 0.0, 0.0, 1.0]])
    assert np.all(sum(result) <= 1.0)


def test_neighbourhoods_wrap_around_a_loop_only_when_cyclic():
    assert neighbour_index(0, -1, 5, cyclic=False) is None
    assert neighbour_index(0, -1, 5, cyclic=True) == 4
    frames = [translate(texture(32, 48), t, 0) for t in range(4)]
    linear = neighbourhoods(frames, offsets=(1, 2))
    cyclic = neighbourhoods(frames, offsets=(1, 2), cyclic=True)
    assert [(n.index, n.offset) for n in linear[0]] == [(1, 1), (2, 2)]
    # a 4-frame loop: frame 2 is two steps away on both sides, counted once
    assert [(n.index, n.offset) for n in cyclic[0]] == [(3, -1), (2, -2), (1, 1)]


def test_an_object_that_leaves_a_flat_background_leaves_no_trusted_ghost():
    """Both flows of a flat background are ~0 where a ball left it, so the forward-backward check passes;
    only the colours show that the ball's old place no longer holds the ball."""
    frames = []
    for present in (True, False):
        frame = np.full((48, 64, 3), 200, np.uint8)
        if present:
            frame[16:32, 20:36] = (30, 60, 160)  # a flat blue ball that is gone in the next frame
        frames.append(frame)
    zero = np.zeros((48, 64, 2), np.float32)  # what a flow estimator reports on flat regions
    flow_only = reliability(zero, zero)
    assert flow_only[18:30, 22:34].min() > 0.99  # the consistency check alone trusts the ghost
    checked = reliability(zero, zero, frames=(frames[1], frames[0]))
    assert checked[18:30, 22:34].max() == 0.0 and checked[:10].min() > 0.99
    assert colour_mismatch(frames[1], frames[0], zero)[16:32, 20:36].all()
    [following] = neighbourhoods(frames[::-1], photometric=True)[0]  # the empty frame's neighbour still holds the ball
    assert following.weight[18:30, 22:34].max() == 0.0


def test_the_stillness_priors_zeros_next_to_a_moving_patch_are_no_motion_boundary():
    # A patch that DIS moved 3 px inside flow the stillness prior set to exactly zero: Ruder et al.'s test
    # marks both sides of the patch's edge; the zero side was checked against the pixels themselves.
    backward = np.zeros((30, 40, 2), np.float32)
    backward[10:20, 10:20, 0] = 3.0
    forward = np.zeros_like(backward)
    forward[10:20, 13:23, 0] = -3.0  # consistent both ways: no occlusion inside the patch
    ruder = reliability(forward, backward, sigma=0)
    trusting = reliability(forward, backward, sigma=0, trust_stillness=True)
    # the still pixels along the patch's edges (right of it the patch's old place: occluded either way)
    assert ruder[15, 9] == 0 and ruder[9, 15] == 0 and ruder[20, 15] == 0
    assert trusting[15, 9] == 1 and trusting[9, 15] == 1 and trusting[20, 15] == 1
    assert trusting[15, 10] == 0 and trusting[15, 19] == 0  # the patch's own edge stays a boundary
    assert np.array_equal(ruder == 1, (trusting == 1) & ruder.astype(bool))  # it only adds trust


def test_a_side_of_one_pixel_has_no_motion_boundary_across_it():
    flow = np.zeros((1, 8, 2), np.float32)
    flow[0, 4:, 0] = 5.0  # a step along the row: a boundary there, none across the single row
    assert motion_boundary(flow).tolist() == [[False, False, False, True, True, False, False, False]]
    assert motion_boundary(np.zeros((1, 1, 2), np.float32)).shape == (1, 1)
