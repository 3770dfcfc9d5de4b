"""stylizer.serving.predict with a scripted event stream: statuses, previews, cancellation, settings."""
import threading

import numpy as np
import pytest

from stylizer.events import ProgressEvent
from stylizer.serving.input import BadRequest
from stylizer.serving.predict import ShuttingDown, default_settings, predict, settings_for
from stylizer.settings import StyleSettings

CONTENT = np.zeros((8, 8, 3), np.uint8)


def scripted(iterations, preview_every, image=True):
    def stylize(content, styles, settings):
        yield ProgressEvent("start", iterations=iterations)
        for i in range(1, iterations + 1):
            preview = np.full((8, 8, 3), i, np.uint8) if i % preview_every == 0 else None
            yield ProgressEvent("iteration", iteration=i, iterations=iterations, losses={"style": 10.0 / i},
                                elapsed_s=0.1 * i, preview=preview)
        yield ProgressEvent("done", iteration=iterations, iterations=iterations, elapsed_s=0.1 * iterations,
                            image=np.full((8, 8, 3), 7, np.uint8) if image else None)
    return stylize


class Recorder:
    def __init__(self):
        self.calls = []

    def status(self, state, **fields):
        self.calls.append(("status", state, fields.get("iteration")))

    def preview(self, jpeg):
        assert jpeg[:3] == b"\xff\xd8\xff"
        self.calls.append(("preview",))


def test_statuses_and_previews_every_preview_every_iterations():
    progress = Recorder()
    settings = StyleSettings(iterations=6, preview_every=3)
    result = predict(CONTENT, [(CONTENT, 1.0)], settings, progress, stylize=scripted(6, 3))
    assert progress.calls == [("preview",), ("status", "running", 3), ("preview",), ("status", "running", 6)]
    assert result.iterations == 6 and result.losses == {"style": 10.0 / 6} and int(result.image[0, 0, 0]) == 7


def test_without_previews_a_status_still_comes_every_ten_iterations():
    progress = Recorder()
    predict(CONTENT, [], StyleSettings(iterations=25, preview_every=0), progress, stylize=scripted(25, 1000))
    assert progress.calls == [("status", "running", 10), ("status", "running", 20)]


def test_cancel_stops_at_the_next_event():
    cancel = threading.Event()
    progress = Recorder()

    def stylize(content, styles, settings):
        yield ProgressEvent("iteration", iteration=1, iterations=5)
        cancel.set()  # SIGTERM arrives during step 2
        yield ProgressEvent("iteration", iteration=2, iterations=5)
        raise AssertionError("predict must stop before asking for step 3")

    with pytest.raises(ShuttingDown, match="iteration 2 of 5"):
        predict(CONTENT, [], StyleSettings(iterations=5, preview_every=0), progress, stylize, cancel)


def test_a_stream_without_an_image_is_an_internal_error():
    with pytest.raises(RuntimeError, match="without a result image"):
        predict(CONTENT, [], StyleSettings(iterations=2), None, stylize=scripted(2, 1, image=False))


def test_settings_from_defaults_options_and_environment():
    defaults = default_settings({"NST_PREVIEW_EVERY": "5", "NST_COMPILE": "graph"})
    assert (defaults.preview_every, defaults.compile) == (5, "graph")
    assert default_settings({}).preview_every == 10
    settings = settings_for({"size": 48, "iterations": 3, "init": "noise"}, defaults)
    assert (settings.size, settings.iterations, settings.init, settings.preview_every) == (48, 3, "noise", 5)
    with pytest.raises(BadRequest, match="Invalid options"):
        settings_for({"size": 8}, defaults)  # StyleSettings' own minimum
