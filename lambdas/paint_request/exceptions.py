"""Errors of paint_request. Each carries the HTTP status the function URL answers with and a message that
tells the page's user what to change (never internals: those go to the logs)."""


class PaintRequestError(Exception):
    """Base class: a request refused before anything was sent to the endpoint."""

    status = 400
    reason = "bad_request"  # the `reason` dimension of the Rejections metric


class BadRequest(PaintRequestError):
    """Malformed body, unknown field, option out of range, unknown style (400)."""


class Forbidden(PaintRequestError):
    """Unsigned request, or an object outside the caller's own upload prefix (403)."""

    status, reason = 403, "forbidden"


class ObjectNotFound(PaintRequestError):
    """The named upload does not exist (404)."""

    status, reason = 404, "not_found"


class PayloadTooLarge(PaintRequestError):
    """The upload is larger than Limits.max_bytes (413)."""

    status, reason = 413, "too_large"


class UnsupportedMediaType(PaintRequestError):
    """The upload is not a PNG or JPEG by its magic bytes, or the body is not JSON (415)."""

    status, reason = 415, "unsupported_format"
