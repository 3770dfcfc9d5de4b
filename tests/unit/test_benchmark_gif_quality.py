"""benchmarks/gif_quality.py: the warm-up (each row's compilation paid before its clock starts) and the row at
equal wall time."""
import itertools
import json

import numpy as np


def test_the_warm_up_paints_two_frames_of_the_same_size_one_step_per_pass(load_benchmark, monkeypatch):
    gif_quality = load_benchmark("gif_quality")
    from stylizer.gif import Animation
    from stylizer.settings import StyleSettings

    calls = []
    monkeypatch.setattr(gif_quality, "run_method", lambda animation, style, settings, size: calls.append(
        (animation, settings, size)))
    frames = [np.full((20, 30, 3), value, np.uint8) for value in range(5)]
    gif = Animation(frames, [40] * 5, 0)
    for settings in (StyleSettings(iterations=40), StyleSettings(iterations=40, batch_frames=4)):
        gif_quality.warm_up(gif, None, settings, 64)
    (plain, plain_settings, size), (batched, batched_settings, _) = calls
    assert size == 64 and len(plain.frames) == 2 and plain.loop is None  # the shapes of every visit
    # a step in each of the full size's passes that 40 steps get (32 steps, visits of 2), and at half size
    assert plain_settings.iterations == StyleSettings(iterations=40).gif_passes == 16
    assert len(plain_settings.gif_levels) == 2  # both sizes' steps compiled
    assert len(batched.frames) == 4 and batched_settings.batch_frames == 4  # a full batch's shape


def test_equal_time_gives_the_seed_the_steps_that_fill_ours_wall_time(load_benchmark):
    gif_quality = load_benchmark("gif_quality")
    assert gif_quality.equal_time_steps(16, ours_s=166.0, seed_s=158.6) == 17  # 16.75: rounded in its favour
    assert gif_quality.equal_time_steps(16, ours_s=333.3, seed_s=307.3) == 18
    assert gif_quality.equal_time_steps(16, ours_s=150.0, seed_s=150.0) == 16  # exactly equal: no extra step
    assert gif_quality.equal_time_steps(40, ours_s=19.1, seed_s=6.4) == 120


def test_an_equal_time_row_is_painted_only_where_ours_took_longer(load_benchmark, monkeypatch, tmp_path):
    gif_quality = load_benchmark("gif_quality")
    from stylizer import metrics

    seconds = {("seed", 16): 10.0, ("ours", 16): 13.0, ("seed", 21): 13.2}
    painted = []

    def run_method(animation, style, settings, size):
        name = "seed" if not settings.temporal else "ours"
        painted.append((name, settings.iterations))
        frames = [np.full((size * 2 // 3, size, 3), 100 + len(painted), np.uint8) for _ in animation.frames]
        return frames, gif_quality.Stopwatch(wall_s=seconds[name, settings.iterations], cpu_s=1.0), 0.0

    # per row: warping error, still flicker, style loss (seed, ours, seed-equal-time)
    scores = itertools.cycle([0.30, 0.10, 0.40, 0.25, 0.08, 0.36, 0.29, 0.09, 0.39])
    monkeypatch.setattr(gif_quality, "run_method", run_method)
    monkeypatch.setattr(gif_quality, "fast_painting", lambda frame, styles: frame)
    monkeypatch.setattr(metrics, "animation_report", lambda *args: {
        "warping_error": next(scores), "still_flicker": next(scores)})
    monkeypatch.setattr(metrics, "style_and_content_loss", lambda *args: {"style_loss": next(scores)})
    monkeypatch.setattr(metrics, "edge_correlations", lambda work, frames: [0.8] * len(frames))
    gif = str(gif_quality.ROOT / "tests/data/muybridge_tiny.gif")
    gif_quality.main(["--gif", gif, "--size", "32", "--iterations", "16", "--equal-time", "--out", str(tmp_path)])

    assert painted == [("seed", 16), ("ours", 16), ("seed", 21)]  # ⌈16 · 13 / 10⌉ steps for the seed
    rows = json.loads((tmp_path / "gif_quality.json").read_text())["results"]["muybridge_tiny.gif"]["rows"]
    assert list(rows) == ["seed", "ours", gif_quality.EQUAL_TIME] and rows[gif_quality.EQUAL_TIME]["iterations"] == 21
    table = gif_quality.to_markdown("tiny", rows)
    assert "ratios ours/seed-equal-time: time 0.98 (CPU 1.00), warping error 0.86, still flicker 0.89" in table

    painted.clear()
    seconds[("ours", 16)] = 9.0  # ours as fast as the seed or faster: nothing to equalise
    gif_quality.main(["--gif", gif, "--size", "32", "--iterations", "16", "--equal-time", "--out", str(tmp_path)])
    assert painted == [("seed", 16), ("ours", 16)]
