"""Run the stylisation of one request and report its progress.

Settings come from the server's defaults (environment, see `default_settings`) overridden by the
request's validated options. Progress goes to a ProgressWriter, whose uploads run on its own thread.
"""
import logging
import os
import threading
from dataclasses import dataclass

from .input import BadRequest
from .output import ServiceUnavailable, encode_preview

log = logging.getLogger(__name__)

DEFAULT_PREVIEW_EVERY = 10  # at ~0.1 s per step on a GPU: a new preview about every second


class ShuttingDown(ServiceUnavailable):
    """SIGTERM arrived mid-invocation (scale-in, deployment update); the request can simply be resent."""


@dataclass
class Prediction:
    image: object  # uint8 HxWx3
    iterations: int
    losses: dict
    seconds: float


def default_settings(environ=None):
    """The server's StyleSettings: the library defaults, a preview every NST_PREVIEW_EVERY iterations
    (default 10) and, when set, NST_COMPILE ("xla", "graph", "eager")."""
    from stylizer.settings import StyleSettings

    environ = os.environ if environ is None else environ
    overrides = {"preview_every": int(environ.get("NST_PREVIEW_EVERY", DEFAULT_PREVIEW_EVERY))}
    if environ.get("NST_COMPILE"):
        overrides["compile"] = environ["NST_COMPILE"]
    return StyleSettings(**overrides)


def settings_for(options: dict, defaults):
    try:
        return defaults.replace(**options)
    except ValueError as error:  # StyleSettings' own cross-field checks
        raise BadRequest(f"Invalid options: {error}") from None


def predict(content, styles, settings, progress=None, stylize=None,
            cancel: threading.Event | None = None) -> Prediction:
    """Stylise `content` with [(image, weight)...]; statuses every preview_every iterations (10 if 0).

    `stylize` defaults to stylizer.transfer.stylize_image (injectable so tests can make it fail).
    `cancel` is checked between iterations: when set, ShuttingDown is raised so the failure is reported
    while the process can still write it (SageMaker kills the container 30 s after SIGTERM).
    """
    if stylize is None:
        from stylizer.transfer import stylize_image as stylize
    status_every = settings.preview_every or DEFAULT_PREVIEW_EVERY
    last, losses = None, {}
    for event in stylize(content, styles, settings):
        last, losses = event, event.losses or losses  # "done" carries no losses: keep the last step's
        if cancel is not None and cancel.is_set():
            raise ShuttingDown("The endpoint instance is shutting down; the request was stopped at iteration "
                               f"{event.iteration} of {event.iterations}. Send it again.")
        # "start" carries the fast painting for methods fast and fast+full: the user's first preview
        if event.kind not in ("start", "iteration") or progress is None:
            continue
        if event.preview is not None:
            progress.preview(encode_preview(event.preview))  # before the status that points at it
        if event.preview is not None or (event.kind == "iteration" and event.iteration % status_every == 0):
            progress.status("running", iteration=event.iteration, iterations=event.iterations,
                            losses={name: round(float(v), 6) for name, v in event.losses.items()})
    if last is None or last.kind != "done" or last.image is None:
        raise RuntimeError("the stylisation ended without a result image")
    return Prediction(image=last.image, iterations=last.iteration,
                      losses={name: float(v) for name, v in losses.items()}, seconds=round(last.elapsed_s, 3))
