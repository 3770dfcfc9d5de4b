"""The SageMaker Processing entrypoint run as a module, with /opt/ml moved to a temp folder (NST_OPT_ML)."""
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from stylizer.gif import read_gif
from stylizer.settings import GIF_STYLE_WEIGHT

DATA = Path(__file__).resolve().parents[1] / "data"
TINY = ["--size", "32", "--iterations", "2"]


def run_process(opt_ml: Path, *args: str, env_extra: dict | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, NST_OPT_ML=str(opt_ml), TF_CPP_MIN_LOG_LEVEL="3", **(env_extra or {}))
    return subprocess.run([sys.executable, "-m", "stylizer.process", *args], env=env, capture_output=True,
                          text=True, timeout=300)


def channel(opt_ml: Path, name: str) -> Path:
    folder = opt_ml / "processing" / "input" / name
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.mark.slow
def test_process_writes_gif_preview_and_metrics(tmp_path):
    shutil.copy(DATA / "muybridge_tiny.gif", channel(tmp_path, "gif") / "upload.gif")
    result = run_process(tmp_path, "--style", "starry_night", *TINY)
    assert result.returncode == 0, result.stderr[-2000:]
    out = tmp_path / "processing" / "output" / "result"
    source, stylised = read_gif(DATA / "muybridge_tiny.gif"), read_gif(out / "stylized.gif")
    assert len(stylised.frames) == len(source.frames)
    assert stylised.durations_ms == source.durations_ms and stylised.loop == source.loop
    assert stylised.frames[0].shape == source.frames[0].shape
    assert (out / "preview.png").stat().st_size > 0
    summary = json.loads((out / "metrics.json").read_text())
    assert summary["frames"] == 15 and summary["seconds_per_frame"] > 0
    assert summary["final_losses"]["total"] > 0  # "done" reports the last step's losses
    assert summary["warping_error"] >= 0 and summary["styles"][0]["title"] == "The Starry Night"
    assert summary["edge_frame_noise"] > 0  # every ruler of metrics.animation_report reaches the job's metrics
    assert summary["settings"]["style_weight"] == GIF_STYLE_WEIGHT  # as painted, not "0 = the mode's"
    assert summary["grain"] >= 0
    assert "PROGRESS" in result.stdout and "DONE" in result.stdout


@pytest.mark.slow
def test_a_gif_one_pixel_high_is_painted_and_scored(tmp_path):
    from stylizer.gif import Animation, write_gif

    rng = np.random.default_rng(4)  # 1x24: painted 16 px high (rules/geometry.py), scored at its own size
    write_gif(channel(tmp_path, "gif") / "upload.gif",
              Animation([rng.integers(0, 255, (1, 24, 3), dtype=np.uint8) for _ in range(3)], [100] * 3, 0))
    result = run_process(tmp_path, "--style", "starry_night", *TINY)
    assert result.returncode == 0, result.stderr[-2000:]
    out = tmp_path / "processing" / "output" / "result"
    assert read_gif(out / "stylized.gif").frames[0].shape[:2] == (1, 24)
    summary = json.loads((out / "metrics.json").read_text())
    assert "rulers_failed" not in summary and summary["warping_error"] >= 0  # np.gradient of a 1-px side


def test_a_ruler_that_fails_costs_the_job_its_figures_not_its_gif(monkeypatch, capsys):
    from stylizer import metrics, process
    from stylizer.gif import Animation

    def broken(*args, **kwargs):
        raise ValueError("a ruler nobody foresaw")

    monkeypatch.setattr(metrics, "animation_report", broken)
    frames = [np.zeros((4, 4, 3), np.uint8)] * 2
    assert process.rulers(Animation(frames, [100] * 2, 0), frames) == {
        "rulers_failed": "ValueError: a ruler nobody foresaw"}
    assert "a ruler nobody foresaw" in capsys.readouterr().err  # the traceback in the job's log


@pytest.mark.slow
def test_process_uses_the_uploaded_style_image(tmp_path):
    shutil.copy(DATA / "muybridge_tiny.gif", channel(tmp_path, "gif") / "upload.gif")
    shutil.copy(DATA / "muybridge_tiny.gif", channel(tmp_path, "style") / "style.gif")
    result = run_process(tmp_path, *TINY, "--iterations", "1")
    assert result.returncode == 0, result.stderr[-2000:]


def test_bad_gif_writes_the_failure_message_and_exits_2(tmp_path):
    (channel(tmp_path, "gif") / "upload.gif").write_bytes((DATA / "newtonscradle.gif").read_bytes()[:4000])
    result = run_process(tmp_path, "--style", "starry_night", *TINY)
    assert result.returncode == 2
    message = (tmp_path / "output" / "message").read_text()
    assert message.startswith("CorruptInput:") and "truncated" in message.lower()


def test_unknown_style_is_a_bad_input(tmp_path):
    shutil.copy(DATA / "muybridge_tiny.gif", channel(tmp_path, "gif") / "upload.gif")
    result = run_process(tmp_path, "--style", "no_such_painting", *TINY)
    assert result.returncode == 2
    assert "no_such_painting" in (tmp_path / "output" / "message").read_text()


def test_missing_input_is_reported(tmp_path):
    result = run_process(tmp_path, "--style", "starry_night", *TINY)
    assert result.returncode == 2
    assert "Expected exactly one GIF" in (tmp_path / "output" / "message").read_text()
