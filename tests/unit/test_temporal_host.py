"""The host's threads for the temporal method's OpenCV work (stylizer.temporal.host): the same results in
the same order, whatever the number of threads."""
import threading

import numpy as np

from stylizer.temporal import host
from stylizer.temporal.neighbours import neighbourhoods
from stylizer.temporal.passes import NeighbourSums, Painter

from synthetic import texture, translate


def test_parallel_map_keeps_the_order_and_uses_the_pool(monkeypatch):
    monkeypatch.setenv(host.ENV_VAR, "3")
    names = host.parallel_map(lambda item: (item, threading.current_thread().name), range(12))
    assert [item for item, _ in names] == list(range(12))
    assert all(name.startswith("nst-host") for _, name in names)


def test_one_thread_runs_in_the_callers_thread(monkeypatch):
    monkeypatch.setenv(host.ENV_VAR, "1")
    caller = threading.current_thread().name
    assert host.parallel_map(lambda _: threading.current_thread().name, range(3)) == [caller] * 3
    assert host.parallel_map(str, []) == []


def panning_frames(count=6):
    base = texture(48, 64)
    return [translate(base, 2 * t, 0) for t in range(count)]


def test_neighbourhoods_and_warps_do_not_depend_on_the_thread_count(monkeypatch):
    frames = panning_frames()
    results = {}
    for threads in ("1", "4"):
        monkeypatch.setenv(host.ENV_VAR, threads)
        hoods = neighbourhoods(frames, offsets=(1, 2, 4), cyclic=True)
        painter = Painter([frame.astype(np.float32) for frame in frames], [{}] * len(frames), {}, hoods,
                          painted=[True] * len(frames))
        results[threads] = (hoods, [painter.warped(index) for index in range(len(frames))])
    (hoods_1, warped_1), (hoods_4, warped_4) = results["1"], results["4"]
    for one, four in zip(hoods_1, hoods_4):
        assert [(n.index, n.offset) for n in one] == [(n.index, n.offset) for n in four]
        assert all(np.array_equal(a.flow, b.flow) and np.array_equal(a.weight, b.weight) for a, b in zip(one, four))
    for one, four in zip(warped_1, warped_4):
        assert [offset for offset, _, _ in one] == [offset for offset, _, _ in four]
        assert all(np.array_equal(a, b) for (_, a, _), (_, b, _) in zip(one, four))


def averaging_steps(pixels, state, targets, iterations):
    """A deterministic stand-in for the optimiser that reads every target: each step moves the frames
    half-way towards their temporal target where it is trusted."""
    from keras import ops

    for iteration in range(1, iterations + 1):
        mask = targets["mask"][..., None]
        pixels = pixels + 0.5 * mask / (1.0 + mask) * (targets["warped"] - pixels)
        yield iteration, pixels, state, {}


def test_sums_made_ahead_during_a_visit_paint_what_one_thread_paints(monkeypatch):
    """With more than one thread, the next visit's settled sums are made on a thread of their own while a
    visit's steps run (Painter.settled); the painting is the same, pixel for pixel, as the one thread's
    that makes them when the visit starts, with neighbours that wait to be painted, batches, and a seam."""
    frames = panning_frames(7)
    hoods = neighbourhoods(frames, offsets=(1, 2, 4), cyclic=True)
    rng = np.random.default_rng(3)
    starts = [frame.astype(np.float32) + rng.normal(0, 20, frame.shape).astype(np.float32) for frame in frames]
    contents = [{"c": np.zeros((1, 1, 1, 1), np.float32)}] * len(frames)
    for batch_frames in (1, 2):
        values = {}
        for threads in ("1", "4"):
            monkeypatch.setenv(host.ENV_VAR, threads)
            monkeypatch.setenv(host.AHEAD_ENV_VAR, "1")  # as where a GPU computes the steps
            painter = Painter(starts, contents, {}, hoods, painted=[False] * len(frames))
            where = []
            original = painter.settled
            monkeypatch.setattr(painter, "settled",
                                lambda *a, **k: where.append(threading.current_thread().name) or original(*a, **k))
            list(painter.run(averaging_steps, passes=3, iterations_per_pass=2, batch_frames=batch_frames,
                             wait_for_neighbours=True))
            ahead = [name for name in where if name.startswith("nst-ahead")]
            assert len(ahead) == (len(where) - 1 if threads == "4" else 0)  # all but the first visit's
            values[threads] = painter.values
        assert all(np.array_equal(a, b) for a, b in zip(values["1"], values["4"]))
        assert not np.array_equal(values["1"][3], starts[3])  # the steps did move the frames


def test_settled_sums_leave_out_the_frames_being_painted():
    frames = panning_frames(5)
    hoods = neighbourhoods(frames, offsets=(1, 2), cyclic=False)
    painter = Painter([frame.astype(np.float32) for frame in frames], [{}] * 5, {}, hoods, painted=[True] * 5,
                      blend=0.5)
    settled = painter.settled([2], busy=[1])[2]
    by_hand = NeighbourSums.empty(frames[2].shape)
    for offset, image, weight in painter.warped(2):
        if offset != -1:  # frame 1 is being painted: its part waits
            by_hand.add(image, weight, adjacent=abs(offset) == 1, blend=0.5)
    for field in ("weighted", "total", "blended", "blend_total"):
        np.testing.assert_array_equal(getattr(settled, field), getattr(by_hand, field))
    # with frame 1's part added, the visit's targets are those of all the neighbours at once
    start, targets = painter.targets([2], temporal=True, busy=[1], settled={2: settled})
    whole = painter.sums(2)
    np.testing.assert_allclose(start[0], whole.start(painter.values[2]), rtol=1e-5)
    np.testing.assert_allclose(np.asarray(targets["warped"])[0], whole.target()[0], rtol=1e-5, atol=1e-3)
    np.testing.assert_allclose(np.asarray(targets["mask"])[0], whole.total, rtol=1e-6)


def test_work_ahead_only_where_a_gpu_leaves_the_host_idle(monkeypatch):
    monkeypatch.delenv(host.AHEAD_ENV_VAR, raising=False)
    monkeypatch.setenv(host.ENV_VAR, "4")
    monkeypatch.setattr(host, "_has_gpu", lambda: False)
    assert not host.work_ahead() and host.in_background(lambda: 1) is None  # a CPU's steps use every core
    monkeypatch.setattr(host, "_has_gpu", lambda: True)
    assert host.work_ahead() and host.in_background(lambda: 1).result() == 1
    monkeypatch.setenv(host.AHEAD_ENV_VAR, "0")
    assert not host.work_ahead()
    monkeypatch.setenv(host.AHEAD_ENV_VAR, "1")
    monkeypatch.setenv(host.ENV_VAR, "1")
    assert not host.work_ahead()  # one host thread: nothing runs beside the caller


def test_kept_warps_paint_what_fresh_warps_paint(monkeypatch):
    """A neighbour's warp is kept until that neighbour is painted again (temporal/warp_cache.py): the
    painting is the same pixel for pixel as with every warp made afresh, with one thread or several and
    the sums made ahead, and with alternating passes about half of the warps are kept ones."""
    frames = panning_frames(7)
    hoods = neighbourhoods(frames, offsets=(1, 2, 4), cyclic=True)
    rng = np.random.default_rng(5)
    starts = [frame.astype(np.float32) + rng.normal(0, 20, frame.shape).astype(np.float32) for frame in frames]
    contents = [{"c": np.zeros((1, 1, 1, 1), np.float32)}] * len(frames)
    for threads in ("1", "4"):
        monkeypatch.setenv(host.ENV_VAR, threads)
        monkeypatch.setenv(host.AHEAD_ENV_VAR, "1")
        painters = {reuse: Painter(starts, contents, {}, hoods, painted=[False] * len(frames), reuse_warps=reuse)
                    for reuse in (True, False)}
        for painter in painters.values():
            list(painter.run(averaging_steps, passes=4, iterations_per_pass=2, wait_for_neighbours=True))
        kept, fresh = painters[True], painters[False]
        assert all(np.array_equal(a, b) for a, b in zip(kept.values, fresh.values))
        assert not np.array_equal(kept.values[3], starts[3])
        assert fresh.warps.hits == 0 and len(fresh.warps) == 0
        assert 0.35 < kept.warps.hits / (kept.warps.hits + kept.warps.misses) < 0.65


def test_a_painted_frame_drops_only_its_own_warps():
    frames = panning_frames(5)
    hoods = neighbourhoods(frames, offsets=(1, 2), cyclic=False)
    painter = Painter([frame.astype(np.float32) for frame in frames], [{}] * 5, {}, hoods, painted=[True] * 5)
    for index in range(5):
        painter.warped(index)
    every = sum(len(hood) for hood in hoods)
    assert len(painter.warps) == every
    readers_of_2 = sum(n.index == 2 for hood in hoods for n in hood)  # frames 0, 1, 3 and 4 warp frame 2
    painter.warps.changed(2)
    assert readers_of_2 == 4 and len(painter.warps) == every - readers_of_2
    # what is kept is what a fresh warp makes
    kept = painter.warped(1)
    painter.warps.enabled = False
    assert all(np.array_equal(a, b) for (_, a, _), (_, b, _) in zip(kept, painter.warped(1)))
