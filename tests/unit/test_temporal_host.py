"""The host's threads for the temporal method's OpenCV work (stylizer.temporal.host): the same results in
the same order, whatever the number of threads."""
import threading

import numpy as np

from stylizer.temporal import host
from stylizer.temporal.neighbours import neighbourhoods
from stylizer.temporal.passes import Painter

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
