"""stylizer.serving.output: Accept negotiation, HTTP status per error, encodings."""
import io
import json

import numpy as np
import pytest
from PIL import Image

from stylizer.exceptions import CorruptInput, InputTooLarge, UnknownStyle, UnsupportedFormat
from stylizer.serving.input import AccessDenied, BadRequest, ObjectNotFound, UnsupportedMediaType
from stylizer.serving.output import (JPEG, PNG, NotAcceptable, ServiceUnavailable, choose_format, encode_image,
                                     encode_preview, error_response, reason_for, status_for)


@pytest.mark.parametrize("accept, expected", [
    (None, PNG), ("", PNG), ("*/*", PNG), ("image/*", PNG), ("image/png", PNG), ("image/jpeg", JPEG),
    ("image/png;q=0.5, image/jpeg", JPEG), ("image/jpeg;q=0.2, image/png;q=0.9", PNG),
    ("application/json, image/jpeg;q=0.1", JPEG), ("image/png;q=0, image/jpeg", JPEG),
])
def test_choose_format(accept, expected):
    assert choose_format(accept) == expected


@pytest.mark.parametrize("accept", ["application/json", "image/webp", "image/png;q=0"])
def test_choose_format_refuses(accept):
    with pytest.raises(NotAcceptable):
        choose_format(accept)


@pytest.mark.parametrize("error, status", [
    (UnsupportedMediaType("x"), 415), (UnsupportedFormat("x"), 415), (InputTooLarge("x"), 413),
    (ObjectNotFound("x"), 404), (AccessDenied("x"), 403), (NotAcceptable("x"), 406), (BadRequest("x"), 400),
    (UnknownStyle("x"), 400), (CorruptInput("x"), 400), (ServiceUnavailable("x"), 503),
    (RuntimeError("x"), 500), (MemoryError(), 500),
])
def test_status_for(error, status):
    assert status_for(error) == status


def test_internal_reasons_hide_the_message():
    reason = reason_for(RuntimeError("/secret/path s3://internal-bucket"), "req-9")
    assert "RuntimeError" in reason and "req-9" in reason and "secret" not in reason
    assert reason_for(InputTooLarge("The photo is 30 MB; the limit is 20 MB."), "r") == \
        "The photo is 30 MB; the limit is 20 MB."


def test_error_response_is_json_with_the_reason():
    body, status, headers = error_response(404, "gone", "req-1")
    assert (status, headers["Content-Type"]) == (404, "application/json")
    assert json.loads(body) == {"error": "gone", "status": 404, "request_id": "req-1"}


def test_encodings_decode_back():
    image = np.random.default_rng(0).integers(0, 255, (30, 50, 3), dtype=np.uint8)
    png = Image.open(io.BytesIO(encode_image(image, PNG)))
    assert png.format == "PNG" and np.array_equal(np.asarray(png), image)
    jpeg = Image.open(io.BytesIO(encode_image(image, JPEG)))
    assert jpeg.format == "JPEG" and jpeg.size == (50, 30)
    preview = Image.open(io.BytesIO(encode_preview(np.zeros((600, 1200, 3), np.uint8))))
    assert preview.format == "JPEG" and preview.size == (256, 128)
