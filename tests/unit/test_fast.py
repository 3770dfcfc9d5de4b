"""Fast mode (stylizer.fast, Ghiasi et al. 2017): sizes, style blending, strength, model errors, GIF smoothing.

Tiny inputs: the feed-forward network paints each at a longest side of 384 px in a few tens of ms.
"""
import cv2
import numpy as np
import pytest

from stylizer import fast, fast_model
from stylizer.animation import stylize_animation
from stylizer.exceptions import ModelError, StylizerError
from stylizer.gif import Animation
from stylizer.metrics import still_flicker
from stylizer.settings import StyleSettings
from stylizer.transfer import stylize_image

pytest.importorskip("onnxruntime")


def texture(height, width, seed, sigma=2.0):
    noise = np.random.default_rng(seed).uniform(0, 255, (height, width, 3)).astype(np.float32)
    return np.clip(cv2.GaussianBlur(noise, (0, 0), sigma) * 3 - 255, 0, 255).astype(np.uint8)


def stripes(height, width, period, colours):
    """A style image of diagonal stripes in two colours: a strong, distinctive texture."""
    y, x = np.mgrid[:height, :width]
    return np.where(((x + y) // period % 2)[..., None] == 0, colours[0], colours[1]).astype(np.uint8)


STYLE_A = stripes(64, 64, 4, ((20, 30, 200), (250, 240, 40)))
STYLE_B = np.full((64, 64, 3), 20, np.uint8)
STYLE_B[::8], STYLE_B[:, ::8] = (255, 60, 60), (60, 255, 60)  # a red and green grid on black
CONTENT = texture(31, 50, seed=1, sigma=3.0)


def distance(a, b):
    return float(np.mean(np.abs(a.astype(np.float32) - b.astype(np.float32))))


@pytest.mark.parametrize("shape", [(23, 37), (31, 50), (50, 31), (5, 9)])
def test_any_odd_size_keeps_its_size_and_aspect(shape):
    content = texture(*shape, seed=2)
    out = fast.fast_stylize(content, [(STYLE_A, 1.0)])
    assert out.shape == content.shape and out.dtype == np.uint8
    assert fast.fast_stylize(content, [(STYLE_A, 1.0)], size=2 * max(shape)).shape[:2] == (2 * shape[0], 2 * shape[1])


def test_the_painting_depends_on_the_style():
    assert distance(fast.fast_stylize(CONTENT, [(STYLE_A, 1.0)]), fast.fast_stylize(CONTENT, [(STYLE_B, 1.0)])) > 5


def test_blending_moves_away_from_style_a_monotonically_with_b_weight():
    pure_a, pure_b = (fast.fast_stylize(CONTENT, [(style, 1.0)]) for style in (STYLE_A, STYLE_B))
    outputs = [fast.fast_stylize(CONTENT, [(STYLE_A, 1.0 - w), (STYLE_B, w)]) for w in (0.0, 0.25, 0.5, 0.75, 1.0)]
    to_a = [distance(out, pure_a) for out in outputs]
    to_b = [distance(out, pure_b) for out in outputs]
    assert to_a[0] == 0.0 and to_b[-1] == 0.0
    assert all(later > earlier for earlier, later in zip(to_a, to_a[1:])), to_a
    assert all(later < earlier for earlier, later in zip(to_b, to_b[1:])), to_b


def test_strength_zero_stays_closer_to_the_content_than_full_strength():
    weak = fast.fast_stylize(CONTENT, [(STYLE_A, 1.0)], strength=0.0)
    strong = fast.fast_stylize(CONTENT, [(STYLE_A, 1.0)], strength=1.0)
    half = fast.fast_stylize(CONTENT, [(STYLE_A, 1.0)], strength=0.5)
    assert distance(weak, CONTENT) < distance(half, CONTENT) < distance(strong, CONTENT)


def test_style_vectors_are_computed_once_per_style(monkeypatch):
    fast.style_vector(STYLE_A)
    calls = []
    monkeypatch.setattr(fast, "_run", lambda *args: calls.append(args))
    assert fast.style_vector(STYLE_A.copy()).shape == (100,)
    assert calls == []


@pytest.fixture
def model_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("NST_FAST_MODEL_DIR", str(tmp_path))
    return tmp_path


def test_a_missing_model_file_is_a_clear_error(model_dir):
    with pytest.raises(ModelError, match=r"arbitrary_predict\.onnx is missing.*NST_FAST_MODEL_DIR"):
        fast.fast_stylize(CONTENT, [(texture(40, 40, seed=99), 1.0)])


@pytest.mark.parametrize("damage", [lambda data: data[: len(data) // 3], lambda data: b"not a model" * 50])
def test_a_corrupt_model_file_is_a_clear_error(model_dir, damage):
    installed = {name: _installed(name) for name in (fast_model.PREDICT, fast_model.TRANSFORM)}
    (model_dir / fast_model.PREDICT).write_bytes(installed[fast_model.PREDICT])
    (model_dir / fast_model.TRANSFORM).write_bytes(damage(installed[fast_model.TRANSFORM]))
    with pytest.raises(ModelError, match="arbitrary_transform.onnx cannot be loaded; it is corrupt") as caught:
        fast.paint(CONTENT, np.zeros(100, np.float32))
    assert isinstance(caught.value, StylizerError)


def _installed(name):
    import importlib.metadata
    return next(f for f in importlib.metadata.files(fast_model.PACKAGE) if f.name == name).locate().read_bytes()


def test_image_method_fast_previews_at_start_and_fast_full_starts_from_it():
    events = list(stylize_image(CONTENT, [(STYLE_A, 1.0)], StyleSettings(size=48, method="fast")))
    assert [e.kind for e in events] == ["start", "done"]
    assert events[0].preview is not None and np.array_equal(events[0].preview, events[1].image)
    assert events[1].image.shape == (30, 48, 3)


def moving_square(frames=10, size=40):
    """A textured square sliding right over a still textured background."""
    background, square = texture(size, size, seed=3), texture(12, 12, seed=4)
    out = []
    for t in range(frames):
        frame = background.copy()
        frame[14:26, 2 + 2 * t:14 + 2 * t] = square
        out.append(frame)
    return Animation(out, [100] * frames, 0)  # gif.Animation(frames, durations_ms, loop)


def test_fast_gif_temporal_branch_lowers_still_flicker():
    anim = moving_square()
    results = {}
    for temporal in (False, True):
        settings = StyleSettings(size=40, method="fast", temporal=temporal)
        events = list(stylize_animation(anim, [(STYLE_B, 1.0)], settings))
        frames = [e.image for e in events if e.kind == "frame"]
        assert len(frames) == 10 and frames[0].shape == (40, 40, 3)
        results[temporal] = still_flicker(anim.frames, frames)
    # measured 6.3 vs 8.6: the square's motion shifts the network's instance-norm statistics, so even the
    # still background flickers per frame; the flow-guided blend keeps 70% of the warped past there
    assert results[True] < 0.8 * results[False], results


def test_fast_full_starts_the_optimisation_from_the_fast_painting(monkeypatch):
    from stylizer import transfer

    started_from = []

    def optimise(pixels, state, targets, settings, iterations, rates=None):  # records the start, no step
        started_from.append(np.asarray(pixels)[0])
        yield 1, pixels, state, {"content": 0.0, "style": 0.0, "tv": 0.0, "temporal": 0.0}

    monkeypatch.setattr(transfer, "optimise", optimise)
    monkeypatch.setattr(transfer, "make_targets", lambda *args, **kwargs: {})
    monkeypatch.setattr(transfer, "style_targets", lambda *args, **kwargs: {})
    monkeypatch.setattr(transfer, "adam_init", lambda pixels: None)
    events = list(stylize_image(CONTENT, [(STYLE_A, 1.0)], StyleSettings(size=48, iterations=1, method="fast+full", optimizer="adam")))
    painting = fast.fast_stylize(CONTENT, [(STYLE_A, 1.0)], size=48)
    assert np.array_equal(events[0].preview, painting)
    assert np.array_equal(started_from[0], painting.astype(np.float32))
    list(stylize_image(CONTENT, [(STYLE_A, 1.0)], StyleSettings(size=48, iterations=1, method="full", optimizer="adam")))
    assert distance(started_from[1], painting) > 10  # "full" starts from the content


def test_the_endpoint_sends_the_fast_painting_as_the_first_preview():
    from stylizer.serving.predict import predict

    class Progress:
        def __init__(self):
            self.calls = []

        def preview(self, jpeg):
            self.calls.append("preview")

        def status(self, state, **fields):
            self.calls.append(f"{state} {fields['iteration']}")

    progress = Progress()
    result = predict(CONTENT, [(STYLE_A, 1.0)], StyleSettings(size=48, method="fast"), progress)
    assert progress.calls == ["preview", "running 0"]
    assert result.image.shape == (30, 48, 3)


def test_the_request_and_the_command_line_accept_method():
    import argparse

    from stylizer.limits import Limits
    from stylizer.options import add_style_arguments, settings_from_args
    from stylizer.serving.input import BadRequest, parse_options

    assert parse_options({"method": "fast"}, Limits()) == {"method": "fast"}
    with pytest.raises(BadRequest, match="method must be one of full, fast, fast\\+full"):
        parse_options({"method": "quick"}, Limits())
    parser = argparse.ArgumentParser()
    add_style_arguments(parser)
    assert settings_from_args(parser.parse_args(["--method", "fast"])).method == "fast"
    assert settings_from_args(parser.parse_args([])).method == StyleSettings().method
