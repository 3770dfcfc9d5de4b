"""benchmarks/gpu_check.py: the device call's jobs, run tiny here (the same code runs on the GPU)."""
import json

import pytest


@pytest.fixture()
def gpu_check(load_benchmark):
    return load_benchmark("gpu_check")


@pytest.mark.slow
def test_a_photo_job_times_its_steps_and_saves_the_painting_where_the_sheet_reads_it(gpu_check, tmp_path):
    result = gpu_check.run_job("photo-chelsea-512-float32", tmp_path, smoke=True)
    assert result["iterations"] == gpu_check.SMOKE["iterations"] and max(result["size"]) == gpu_check.SMOKE["size"]
    assert result["precision"] == "float32" and result["median_step_ms"] > 0
    assert result["first_step_s"] >= result["median_step_ms"] / 1000  # the first step holds the compilation
    assert (tmp_path / "photos" / "chelsea-starry_night-photo-chelsea-512-float32.png").is_file()


def test_the_driver_records_a_failed_job_and_skips_what_the_budget_cannot_hold(gpu_check, tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_BACKEND", "no-such-backend")  # the job's own process fails to import Keras
    assert gpu_check.main(["--out", str(tmp_path), "--only", "env", "--budget", "120"]) == 0
    failed = json.loads((tmp_path / "gpu_check.json").read_text())["env"]
    assert "no-such-backend" in failed["error"] and failed["job_wall_s"] > 0
    assert gpu_check.main(["--out", str(tmp_path), "--only", "env", "photo-coffee-512", "--budget", "1"]) == 0
    skipped = json.loads((tmp_path / "gpu_check.json").read_text())
    assert skipped == {"env": {"skipped": "out of budget"}, "photo-coffee-512": {"skipped": "out of budget"}}
