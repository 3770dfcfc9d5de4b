"""benchmarks/host_overhead.py: the product's GIF painting with no-op steps, its host work split by phase."""
import json

import pytest


@pytest.mark.slow
def test_host_work_is_timed_by_phase_with_the_steps_made_no_ops(load_benchmark, capsys):
    host_overhead = load_benchmark("host_overhead")
    assert host_overhead.main(["--frames", "3", "--iterations", "2"]) == 0
    result = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert result["frames"] == 3 and result["visits"] == 3 * 2  # 2 steps: one per pass, two passes
    assert result["flows_and_masks"] > 0 and result["visit_targets"] > 0
    assert 0 < result["warps_kept"] < 1  # the second pass reuses the warps of the frames it has not painted
    assert 0 < result["host_s"] <= result["wall_s"]
    from stylizer import animation, transfer

    assert animation.optimise is transfer.optimise  # the no-op steps do not outlive the benchmark


@pytest.mark.slow
def test_emulated_device_steps_leave_the_host_free_and_are_timed_apart(load_benchmark, capsys, monkeypatch):
    from stylizer.temporal.host import AHEAD_ENV_VAR

    monkeypatch.delenv(AHEAD_ENV_VAR, raising=False)
    host_overhead = load_benchmark("host_overhead")
    assert host_overhead.main(["--frames", "3", "--iterations", "2", "--device-step-ms", "50"]) == 0
    result = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert result["steps"] >= 3 * 2 * 0.05 * 0.9  # every step waited its 50 ms
    phases = [result[name] for name in host_overhead.PHASES] + [result["other"]]
    assert sum(phases) == pytest.approx(result["wall_s"], abs=0.1)  # exclusive phases add up to the wall time
    assert result["host_s"] <= result["wall_s"] - result["steps"] + 0.01
    assert result["work_ahead"]  # as on a GPU host, for this painting only:
    import os

    assert AHEAD_ENV_VAR not in os.environ
