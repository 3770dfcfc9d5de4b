"""The multi-pass pieces (stylizer.temporal.passes) on hand-made arrays."""
import numpy as np
import pytest

from stylizer.settings import StyleSettings
from stylizer.temporal.passes import NeighbourSums, pass_orders


def test_passes_alternate_direction():
    assert pass_orders(3, 3) == [[0, 1, 2], [2, 1, 0], [0, 1, 2]]


def test_blend_keeps_the_frame_where_no_neighbour_is_reliable():
    own = np.full((1, 2, 3), 10.0, np.float32)
    previous, following = np.full_like(own, 40.0), np.full_like(own, 70.0)
    weights = [np.array([[1.0, 0.0]], np.float32), np.array([[1.0, 0.0]], np.float32)]
    sums = NeighbourSums.empty(own.shape)
    for image, weight in zip([previous, following], weights):
        sums.add(image, weight, adjacent=True)
    blended = sums.start(own)
    np.testing.assert_allclose(blended[0, 0], 40.0)  # (10 + 40 + 70) / 3
    np.testing.assert_allclose(blended[0, 1], 10.0)  # disoccluded: the frame's own start, not a ghost


def test_combined_target_has_the_gradient_of_the_sum_of_terms():
    rng = np.random.default_rng(0)
    x = rng.uniform(0, 255, (4, 5, 3)).astype(np.float32)
    warped = [rng.uniform(0, 255, x.shape).astype(np.float32) for _ in range(3)]
    weights = [rng.uniform(0, 1, x.shape[:2]).astype(np.float32) for _ in range(3)]
    sums = NeighbourSums.empty(x.shape)
    for image, weight in zip(warped, weights):
        sums.add(image, weight, adjacent=False)
    target, total = sums.target()
    assert not sums.blended.any()  # only adjacent neighbours blend into the start
    gradient_of_sum = sum(2 * w[..., None] * (x - image) for image, w in zip(warped, weights))
    np.testing.assert_allclose(2 * total[..., None] * (x - target), gradient_of_sum, rtol=1e-4, atol=1e-2)
    untrusted = NeighbourSums.empty(x.shape)
    untrusted.add(warped[0], np.zeros(x.shape[:2], np.float32), adjacent=True)
    empty_target, empty_weight = untrusted.target()
    assert empty_weight.max() == 0 and empty_target.max() == 0
    assert total.max() == pytest.approx(float(sum(weights).max()))


def test_passes_before_temporal_from_pass_pay_no_temporal_term():
    from stylizer.temporal.neighbours import Neighbour
    from stylizer.temporal.passes import Painter

    shape = (4, 5, 3)
    starts = [np.full(shape, value, np.float32) for value in (10.0, 200.0)]
    still, trusted = np.zeros(shape[:2] + (2,), np.float32), np.ones(shape[:2], np.float32)
    hoods = [[Neighbour(1, 1, still, trusted)], [Neighbour(0, -1, still, trusted)]]
    painter = Painter(starts, [{"c": np.zeros((1, 1, 1, 1), np.float32)}] * 2, {}, hoods)
    mask_totals = []  # one per visit: 2 frames x 3 passes, in visiting order

    def steps(pixels, state, targets, iterations):
        mask_totals.append(float(np.sum(targets["mask"])))
        yield 1, pixels, state, {}

    passes = [visit.pass_index for visit in painter.run(steps, passes=3, iterations_per_pass=1, temporal_from_pass=2)]
    assert passes == [0, 0, 1, 1, 2, 2]
    assert mask_totals == [0.0, 0.0, 0.0, 0.0, 20.0, 20.0]  # every pixel trusted once the term starts
    # the earlier passes still blend each start from the neighbour: the two frames meet in the middle
    assert 10.0 < float(painter.values[0].mean()) < 200.0


def test_temporal_from_pass_must_leave_a_pass_with_the_term():
    from stylizer.settings import StyleSettings

    assert StyleSettings(passes=4, temporal_from_pass=3).temporal_from_pass == 3
    with pytest.raises(ValueError, match="temporal_from_pass"):
        StyleSettings(passes=4, temporal_from_pass=4)


def test_waiting_for_neighbours_ties_the_first_pass_to_the_frames_painted_before_it():
    from stylizer.temporal.neighbours import Neighbour
    from stylizer.temporal.passes import Painter

    shape = (4, 5, 3)
    still, trusted = np.zeros(shape[:2] + (2,), np.float32), np.ones(shape[:2], np.float32)
    hoods = [[Neighbour(n, n - i, still, trusted) for n in range(3) if n != i] for i in range(3)]
    starts_seen, mask_totals = [], []

    def painted_white(pixels, state, targets, iterations):  # every visit paints its frames 255
        starts_seen.append(float(np.mean(pixels)))
        mask_totals.append(float(np.sum(targets["mask"])))
        yield 1, np.full_like(np.asarray(pixels), 255.0), state, {}

    def first_pass(wait: bool, painted=None):
        starts_seen.clear(), mask_totals.clear()
        painter = Painter([np.zeros(shape, np.float32)] * 3, [{"c": np.zeros((1, 1, 1, 1), np.float32)}] * 3,
                          {}, hoods, painted=painted)
        list(painter.run(painted_white, passes=1, iterations_per_pass=1, wait_for_neighbours=wait))
        return list(starts_seen), list(mask_totals)

    starts, masks = first_pass(wait=True)
    assert masks == [0.0, 20.0, 40.0]  # frame 0 alone, frame 1 tied to frame 0, frame 2 to frames 0 and 1
    assert starts == [0.0, 127.5, 127.5]  # blended with the adjacent frames only once they are painted
    starts, masks = first_pass(wait=False)
    assert masks == [40.0, 40.0, 40.0]  # every neighbour from its start: the unpainted ones pull back to 0
    assert starts == [0.0, 85.0, 127.5]  # frame 1: (0 + 255 + 0) / 3
    # starts that are paintings (fast paintings) count from the start: nothing to wait for
    assert first_pass(wait=True, painted=[True] * 3) == (starts, masks)


def test_the_pass_options_reach_the_settings():
    import argparse

    from stylizer.options import add_style_arguments, settings_from_args

    parser = argparse.ArgumentParser()
    add_style_arguments(parser)
    chosen = settings_from_args(parser.parse_args(["--temporal-from-pass", "1", "--no-wait-for-neighbours",
                                                   "--blend-weight", "0.5", "--no-trust-stillness",
                                                   "--start-values", "0.25", "--no-colour-check",
                                                   "--temporal-pull", "0.3"]))
    assert (chosen.temporal_from_pass, chosen.wait_for_neighbours, chosen.blend_weight, chosen.trust_stillness,
            chosen.start_values, chosen.photometric_check, chosen.temporal_pull) == (1, False, 0.5, False, 0.25,
                                                                                      False, 0.3)
    defaults = settings_from_args(parser.parse_args([]))
    assert (defaults.temporal_from_pass, defaults.wait_for_neighbours, defaults.blend_weight,
            defaults.trust_stillness, defaults.photometric_check) == (0, True, 1.0, True, True)
    assert defaults.temporal_pull == StyleSettings().temporal_pull
    assert defaults.start_values == StyleSettings().start_values


def test_blend_weight_scales_how_much_of_the_neighbours_a_start_takes():
    from stylizer.temporal.neighbours import Neighbour
    from stylizer.temporal.passes import Painter

    shape = (2, 3, 3)
    starts = [np.full(shape, value, np.float32) for value in (10.0, 100.0)]
    still, trusted = np.zeros(shape[:2] + (2,), np.float32), np.ones(shape[:2], np.float32)
    hoods = [[Neighbour(1, 1, still, trusted)], [Neighbour(0, -1, still, trusted)]]
    contents = [{"c": np.zeros((1, 1, 1, 1), np.float32)}] * 2
    for blend, expected in ((1.0, 55.0), (0.5, 40.0), (0.0, 10.0)):  # (10 + b 100) / (1 + b)
        painter = Painter(starts, contents, {}, hoods, painted=[True, True], blend=blend)
        first_start, targets = painter.targets([0], temporal=True)
        np.testing.assert_allclose(first_start, expected, rtol=1e-6)
        np.testing.assert_allclose(targets["warped"], 100.0)  # the temporal target is the neighbour as is


def test_steps_per_pass_follow_the_settings():
    from stylizer.settings import StyleSettings

    assert StyleSettings(passes=10).pass_split(20) == (2,) * 10
    assert StyleSettings(passes=10).pass_split(16) == (2,) * 6 + (1,) * 4  # the steps asked for
    assert StyleSettings(passes=4, first_pass_share=0.4).pass_split(20) == (8, 4, 4, 4)
    # fewer steps than passes: one step per pass, as many passes as steps (a quick run takes what it asked)
    assert StyleSettings(passes=10).passes_for(3) == 3
    assert StyleSettings(passes=10).pass_split(3) == (1, 1, 1)
    # passes 0 (the default): visits of 2 steps, at least 10 passes, never more passes than steps
    assert [StyleSettings().passes_for(n) for n in (3, 8, 16, 20, 21, 32, 40)] == [3, 8, 10, 10, 11, 16, 20]
    assert StyleSettings().pass_split(40) == (2,) * 20
    assert StyleSettings().pass_split(16) == (2,) * 6 + (1,) * 4  # as with 10 passes given
    # the product's 40 steps: 32 at full size, 16 passes of 2 (test_coarse_steps_... for the half size's 8)
    assert StyleSettings().for_gif().gif_passes == 16 and StyleSettings().for_gif().pass_iterations == (2,) * 16
    with pytest.raises(ValueError, match="passes"):
        StyleSettings(passes=-1)
    with pytest.raises(ValueError, match="temporal_from_pass"):
        StyleSettings(passes=4, temporal_from_pass=4)
    assert StyleSettings(temporal_from_pass=12).temporal_from_pass == 12  # checked against the passes used


def test_coarse_steps_make_a_half_size_level_with_passes_of_its_own():
    from stylizer.settings import StyleSettings

    product = StyleSettings().for_gif()
    assert product.gif_levels == ((128, 8), (256, 32))  # the product's 40 steps: 8 at half size first
    assert product.pass_split(8) == (1,) * 8  # 8 passes of 1 (at least 10 passes, no more than the steps)
    assert StyleSettings(iterations=16).gif_levels == ((128, 3), (256, 13))  # at most a fifth at half size
    assert StyleSettings(iterations=4).gif_levels == ((256, 4),)  # a quick run stays at one size
    assert StyleSettings(gif_coarse_steps=0).gif_levels == ((256, 40),)
    assert StyleSettings(temporal=False).gif_levels == ((256, 40),)  # the per-frame method: one size
    assert StyleSettings(size=48, iterations=10).gif_levels == ((48, 10),)  # no half size under 32 px
    # a strip too thin for VGG at half size (a 10:1 banner: 128x13) takes all its steps at the full size
    assert product.gif_levels_for(25, 250) == ((256, 40),)
    assert product.gif_levels_for(100, 200) == product.gif_levels_for(200, 100) == ((128, 8), (256, 32))
    with pytest.raises(ValueError, match="gif_coarse_steps"):
        StyleSettings(gif_coarse_steps=-1)


def test_a_gif_larger_than_the_painting_size_takes_its_last_steps_at_its_own_size():
    from stylizer.settings import StyleSettings

    product = StyleSettings().for_gif()
    assert product.gif_levels_for(320, 480) == ((128, 8), (256, 28), (480, 4))
    assert product.gif_levels_for(1024, 700) == ((128, 8), (256, 28), (512, 4))  # at most twice the size
    assert product.gif_levels_for(256, 200) == ((128, 8), (256, 32))  # no larger: as before
    assert product.gif_levels_for(30, 300) == ((256, 36), (300, 4))  # a strip thin at half size, then its own
    assert StyleSettings(iterations=16).gif_levels_for(320, 480) == ((128, 3), (256, 11), (480, 2))  # a fifth
    assert StyleSettings(iterations=4).gif_levels_for(320, 480) == ((256, 4),)  # a quick run: one size
    assert StyleSettings(gif_own_size_steps=0).gif_levels_for(320, 480) == ((128, 8), (256, 32))
    assert StyleSettings(temporal=False).gif_levels_for(320, 480) == ((256, 40),)  # the per-frame method
    with pytest.raises(ValueError, match="gif_own_size_steps"):
        StyleSettings(gif_own_size_steps=-1)


def test_a_schedule_of_step_sizes_runs_over_the_passes_each_frame_taking_its_passes_slice():
    from stylizer.temporal.neighbours import Neighbour
    from stylizer.temporal.passes import Painter

    shape = (4, 5, 3)
    still, trusted = np.zeros(shape[:2] + (2,), np.float32), np.ones(shape[:2], np.float32)
    hoods = [[Neighbour(1, 1, still, trusted)], [Neighbour(0, -1, still, trusted)]]
    painter = Painter([np.zeros(shape, np.float32)] * 2, [{"c": np.zeros((1, 1, 1, 1), np.float32)}] * 2, {}, hoods)
    seen = []  # (iterations, rates) per visit

    def steps(pixels, state, targets, iterations, rates=None):
        seen.append((iterations, rates))
        yield from ((i + 1, pixels, state, {}) for i in range(iterations))

    list(painter.run(steps, passes=3, iterations_per_pass=[1, 2, 2], rates=[8.0, 7.0, 6.0, 5.0, 4.0]))
    assert seen == [(1, [8.0])] * 2 + [(2, [7.0, 6.0])] * 2 + [(2, [5.0, 4.0])] * 2  # both frames, each pass
    seen.clear()
    list(painter.run(steps, passes=1, iterations_per_pass=2))
    assert seen == [(2, None)] * 2  # no schedule: optimise's own constant step
