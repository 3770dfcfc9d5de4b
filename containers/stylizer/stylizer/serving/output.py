"""The response: the stylised image as PNG (JPEG when Accept asks for it), or a JSON error.

On an async endpoint SageMaker copies a 2xx body to the output location (`<S3OutputPath>/<id>.out`) and
a non-2xx body to S3FailurePath, and reports failures on the ErrorTopic: so the error body is the failure
text people see. It names what to change, never internals (tracebacks go to the logs only).
"""
import io
import json

import numpy as np
from PIL import Image

from stylizer.exceptions import CorruptInput, InputError, InputTooLarge, UnknownStyle, UnsupportedFormat

from .input import AccessDenied, BadRequest, ObjectNotFound, UnsupportedMediaType

PNG, JPEG = "image/png", "image/jpeg"
JPEG_QUALITY = 92
PREVIEW_SIDE = 256  # the progress preview is for a browser thumbnail, not the result
PREVIEW_QUALITY = 75


class NotAcceptable(InputError):
    """Accept allows neither PNG nor JPEG (HTTP 406)."""


class ServiceUnavailable(Exception):
    """Not the sender's fault and worth retrying: model still loading, instance shutting down (HTTP 503)."""


# Most specific first: UnsupportedMediaType is an UnsupportedFormat, every input error an InputError.
STATUS_BY_ERROR = (
    (UnsupportedMediaType, 415),
    (UnsupportedFormat, 415),
    (InputTooLarge, 413),
    (ObjectNotFound, 404),
    (AccessDenied, 403),
    (NotAcceptable, 406),
    (BadRequest, 400),
    (UnknownStyle, 400),
    (CorruptInput, 400),
    (InputError, 400),
    (ServiceUnavailable, 503),
)


def status_for(error: BaseException) -> int:
    for error_type, status in STATUS_BY_ERROR:
        if isinstance(error, error_type):
            return status
    return 500


def reason_for(error: BaseException, request_id: str | None) -> str:
    """The sender-facing failure text: the error's own message for 4xx/503; for a 500 only its type,
    because an internal message can hold paths, bucket names or library internals."""
    if status_for(error) == 500:
        where = f" for request {request_id}" if request_id else ""
        return (f"Internal error ({type(error).__name__}) while stylising; the endpoint's CloudWatch logs "
                f"have the details{where}.")
    return str(error)


def error_response(status: int, reason: str, request_id: str | None) -> tuple[bytes, int, dict]:
    body = {"error": reason, "status": status}
    if request_id:
        body["request_id"] = request_id
    return json.dumps(body).encode(), status, {"Content-Type": "application/json"}


def choose_format(accept: str | None) -> str:
    """PNG unless Accept prefers JPEG; NotAcceptable when it allows neither. Checked before any work.

    A small q-value parser: SageMaker passes the caller's Accept through unchanged.
    """
    if not accept or not accept.strip():
        return PNG
    ranked = []
    for position, part in enumerate(accept.split(",")):
        media, *params = [p.strip() for p in part.split(";")]
        quality = 1.0
        for param in params:
            if param.startswith("q="):
                try:
                    quality = float(param[2:])
                except ValueError:
                    quality = 0.0
        ranked.append((-quality, position, media.lower()))
    for negative_quality, _, media in sorted(ranked):
        if negative_quality >= 0:
            break  # q=0 means "not this"
        if media in (PNG, "image/*", "*/*"):
            return PNG
        if media in (JPEG, "image/jpg"):
            return JPEG
    raise NotAcceptable(f"The result is an image/png or image/jpeg; Accept allows neither ({accept:.100}).")


def encode_image(image: np.ndarray, media_type: str = PNG) -> bytes:
    buffer = io.BytesIO()
    picture = Image.fromarray(np.ascontiguousarray(image, dtype=np.uint8))
    if media_type == JPEG:
        picture.save(buffer, format="JPEG", quality=JPEG_QUALITY)
    else:
        picture.save(buffer, format="PNG", optimize=False)  # optimize=True costs seconds for little
    return buffer.getvalue()


def encode_preview(image: np.ndarray, side: int = PREVIEW_SIDE) -> bytes:
    """A small JPEG of an intermediate image: a few kB per upload, whatever the output size."""
    picture = Image.fromarray(np.ascontiguousarray(image, dtype=np.uint8))
    picture.thumbnail((side, side), Image.Resampling.BILINEAR)
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", quality=PREVIEW_QUALITY)
    return buffer.getvalue()
