"""The WSGI app SageMaker talks to: `GET /ping` and `POST /invocations` (bring-your-own-container contract).

`handle_invocation` is the whole request as a function of (body, Content-Type, Accept), so tests and the
local async-endpoint emulation can call it without HTTP; the Flask routes only adapt it.
"""
import logging
import threading
import time

from flask import Flask, Response, request
from werkzeug.exceptions import HTTPException

from stylizer.limits import Limits

from .input import load_content, load_styles, parse_json, parse_request, progress_target
from .model import Model
from .output import (ServiceUnavailable, choose_format, encode_image, error_response, reason_for,
                     status_for)
from .predict import default_settings, predict, settings_for
from .progress import ProgressWriter

log = logging.getLogger(__name__)

MAX_REQUEST_BYTES = 64 * 1024  # the request holds URIs and options; images travel through S3


class Invoker:
    """What one invocation needs: the model state, an S3 client, the limits and the server's defaults."""

    def __init__(self, model: Model, s3=None, limits: Limits | None = None, defaults=None, stylize=None):
        self.model, self._s3, self.stylize = model, s3, stylize
        self.limits = limits or Limits.from_env()
        self.defaults = defaults or default_settings()
        self._client_lock = threading.Lock()

    @property
    def s3(self):
        """boto3's default credential chain and AWS_ENDPOINT_URL (the local moto server), made on first use
        so that the app can be built before credentials or a mock are in place."""
        with self._client_lock:
            if self._s3 is None:
                import boto3

                self._s3 = boto3.client("s3")
            return self._s3

    def handle_invocation(self, body: bytes, content_type: str | None, accept: str | None):
        """-> (body bytes, HTTP status, headers). Never raises: every failure becomes a 4xx/5xx JSON body and,
        where the request named a valid progress prefix, a final {"state": "failed"} status."""
        request_id, progress, started = None, None, time.monotonic()
        try:
            payload = parse_json(body, content_type)
            request_id, target = progress_target(payload)
            if target is not None:
                progress = ProgressWriter(self.s3, target.bucket, target.key, request_id or "unknown")
            media_type = choose_format(accept)
            if not self.model.ready:
                raise ServiceUnavailable(f"The model is {self.model.state()}; send the request again shortly.")
            invocation = parse_request(payload, self.limits)
            settings = settings_for(invocation.options, self.defaults)
            if progress is not None:
                progress.status("started", iteration=0, iterations=settings.photo_iterations)
                progress.flush()
            content = load_content(self.s3, invocation, self.limits)
            styles = load_styles(self.s3, invocation, self.limits)
            prediction = predict(content, [(image, weight) for image, weight, _ in styles], settings,
                                 progress, self.stylize, self.model.shutting_down)
            data = encode_image(prediction.image, media_type)
            height, width = prediction.image.shape[:2]
            result = {"content_type": media_type, "bytes": len(data), "width": int(width), "height": int(height),
                      "iterations": prediction.iterations, "seconds": prediction.seconds,
                      "styles": [described for _, _, described in styles]}
            if progress is not None:
                progress.status("done", iteration=prediction.iterations, iterations=settings.photo_iterations,
                                losses=prediction.losses, result=result)
            log.info("request %s: 200, %dx%d, %.1f s", request_id, width, height, time.monotonic() - started)
            return data, 200, {"Content-Type": media_type}
        except Exception as error:  # noqa: BLE001 - SageMaker must get a reason, not a dropped connection
            status, reason = status_for(error), reason_for(error, request_id)
            if status >= 500:
                log.exception("request %s: %d", request_id, status)
            else:
                log.info("request %s: %d %s", request_id, status, reason)
            if progress is not None:
                progress.status("failed", reason=reason, status=status)
            return error_response(status, reason, request_id)
        finally:
            if progress is not None:
                progress.close()


def create_app(model: Model | None = None, s3=None, limits: Limits | None = None, defaults=None,
               stylize=None) -> Flask:
    """The app; starts loading the model (unless an already started Model is passed)."""
    model = (model or Model()).start()
    invoker = Invoker(model, s3, limits, defaults, stylize)
    app = Flask("stylizer.serving")
    app.config["MAX_CONTENT_LENGTH"] = MAX_REQUEST_BYTES
    app.extensions["stylizer"] = invoker
    # One invocation at a time per instance: a second one would halve the speed of both and double the
    # GPU memory. The endpoint config's MaxConcurrentInvocationsPerInstance=1 keeps SageMaker from sending
    # one; this lock queues it if something does. /ping is not behind it (gunicorn runs threads), so health
    # checks answer while an invocation runs.
    one_at_a_time = threading.Lock()

    @app.get("/ping")
    def ping():
        status = 200 if model.ready else 503
        return {"status": model.state()}, status

    @app.post("/invocations")
    def invocations():
        try:
            body = request.get_data(cache=False)
        except HTTPException as error:  # over MAX_CONTENT_LENGTH
            data, status, headers = error_response(error.code or 400, error.description, None)
            return Response(data, status, headers)
        with one_at_a_time:
            data, status, headers = invoker.handle_invocation(body, request.content_type,
                                                              request.headers.get("Accept"))
        return Response(data, status, headers)

    return app
