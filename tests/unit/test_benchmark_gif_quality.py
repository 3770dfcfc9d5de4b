"""benchmarks/gif_quality.py's warm-up: each row's compilation paid before its clock starts."""
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
    assert plain_settings.iterations == plain_settings.passes  # one step per pass: every pass compiled once
    assert len(batched.frames) == 4 and batched_settings.batch_frames == 4  # a full batch's shape
