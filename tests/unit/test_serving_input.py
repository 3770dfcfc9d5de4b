"""stylizer.serving.input: request parsing, option bounds, S3 downloads and photo checks."""
import io

import boto3
import numpy as np
import pytest
from PIL import Image

from stylizer.exceptions import CorruptInput, InputTooLarge, UnknownStyle, UnsupportedFormat
from stylizer.limits import Limits
from stylizer.serving import input as serving_input
from stylizer.serving.input import (AccessDenied, BadRequest, ObjectNotFound, S3Location,
                                    UnsupportedMediaType, parse_json, parse_request, progress_target)

LIMITS = Limits()
VALID = {"request_id": "req-1", "content": "s3://photos/in/cat.jpg", "style": "starry_night",
         "progress": "s3://photos/progress/req-1"}


def png_bytes(width=40, height=30) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(np.full((height, width, 3), 120, np.uint8)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_valid_request_is_parsed_with_progress_as_a_prefix():
    request = parse_request(dict(VALID), LIMITS)
    assert request.request_id == "req-1"
    assert request.content == S3Location("photos", "in/cat.jpg")
    assert [(s.name, s.weight, s.location) for s in request.styles] == [("starry_night", 1.0, None)]
    assert request.progress == S3Location("photos", "progress/req-1/")
    assert request.options == {}


@pytest.mark.parametrize("body, content_type, error", [
    (b"{not json", "application/json", BadRequest),
    (b"[1, 2]", "application/json", BadRequest),
    (b"\xff\xfe", None, BadRequest),
    (b"{}", "text/plain", UnsupportedMediaType),
])
def test_parse_json_rejects(body, content_type, error):
    with pytest.raises(error):
        parse_json(body, content_type)


def test_parse_json_accepts_charset_and_missing_content_type():
    assert parse_json(b'{"a": 1}', "application/json; charset=utf-8") == {"a": 1}
    assert parse_json(b'{"a": 1}', None) == {"a": 1}


@pytest.mark.parametrize("change, message", [
    ({"request_id": None}, "request_id"),
    ({"request_id": "has space"}, "request_id"),
    ({"request_id": "x" * 65}, "request_id"),
    ({"content": None}, "content"),
    ({"content": "https://example.com/cat.jpg"}, "s3://"),
    ({"content": "s3://photos/"}, "s3://"),
    ({"style": None}, "style"),
    ({"style": "../etc/passwd"}, "catalogue name"),
    ({"styles": [{"style": "udnie"}]}, "exactly one"),
    ({"extra": 1}, "Unknown field"),
    ({"progress": "photos/progress"}, "progress"),
    ({"options": {"size": 2048}}, "size must be a whole number from 16 to 1024"),
    ({"options": {"iterations": 0}}, "iterations"),
    ({"options": {"iterations": 10**6}}, "iterations"),
    ({"options": {"iterations": True}}, "iterations"),
    ({"options": {"style_weight": -1}}, "style_weight"),
    ({"options": {"tv_weight": float("nan")}}, "tv_weight"),
    ({"options": {"laplacian_weight": -1}}, "laplacian_weight must be a number from 0"),
    ({"options": {"preserve_colors": "yes"}}, "preserve_colors"),
    ({"options": {"init": "random"}}, "init"),
    ({"options": {"learning_rate": 1}}, "Unknown option"),
    ({"options": [1]}, "options"),
])
def test_bad_requests_say_what_is_wrong(change, message):
    payload = {key: value for key, value in {**VALID, **change}.items() if value is not None}
    with pytest.raises(BadRequest, match=message.replace("(", r"\(")):
        parse_request(payload, LIMITS)


def test_size_bound_follows_limits():
    with pytest.raises(BadRequest, match="16 to 64"):
        parse_request({**VALID, "options": {"size": 65}}, Limits(max_side=64))
    assert parse_request({**VALID, "options": {"size": 64}}, Limits(max_side=64)).options == {"size": 64}


def test_blend_weights_are_normalised_and_checked():
    payload = {key: value for key, value in VALID.items() if key != "style"}
    payload["styles"] = [{"style": "udnie", "weight": 3}, {"style": "s3://mine/wave.png", "weight": 1}]
    styles = parse_request(payload, LIMITS).styles
    assert [s.weight for s in styles] == [0.75, 0.25]
    assert styles[1].location == S3Location("mine", "wave.png")
    for bad in ([], [{"style": "udnie", "weight": 0}], [{"weight": 1}], [{"style": "udnie"}] * 5,
                [{"style": "udnie", "weight": 1, "colour": "red"}]):
        with pytest.raises(BadRequest):
            parse_request({**payload, "styles": bad}, LIMITS)


def test_options_keep_types():
    options = {"size": 48, "iterations": 3, "content_weight": 2, "style_weight": 0.5, "tv_weight": 0,
               "laplacian_weight": 0, "preserve_colors": True, "seed": 7, "init": "noise"}
    parsed = parse_request({**VALID, "options": options}, LIMITS).options
    assert parsed == {**options, "content_weight": 2.0, "tv_weight": 0.0, "laplacian_weight": 0.0}
    assert isinstance(parsed["content_weight"], float)


def test_progress_target_survives_an_otherwise_bad_request():
    assert progress_target({"request_id": "r1", "progress": "s3://bkt/p/", "options": "junk"}) == \
        ("r1", S3Location("bkt", "p/"))
    assert progress_target({"request_id": "bad id!", "progress": "nope"}) == (None, None)


@pytest.fixture
def s3(mocked_aws):
    client = boto3.client("s3")
    client.create_bucket(Bucket="photos")
    yield client


def test_download_reads_an_object_and_reports_missing_ones(s3):
    s3.put_object(Bucket="photos", Key="in/a.png", Body=b"12345")
    assert serving_input.download(s3, S3Location("photos", "in/a.png"), LIMITS, "photo") == b"12345"
    with pytest.raises(ObjectNotFound, match="s3://photos/in/none.png does not exist"):
        serving_input.download(s3, S3Location("photos", "in/none.png"), LIMITS, "photo")
    with pytest.raises(ObjectNotFound):
        serving_input.download(s3, S3Location("no-such-bucket", "a.png"), LIMITS, "photo")


def test_download_refuses_an_object_over_max_bytes(s3):
    s3.put_object(Bucket="photos", Key="in/big.png", Body=b"x" * 2000)
    with pytest.raises(InputTooLarge, match="limit is 1,000 bytes"):
        serving_input.download(s3, S3Location("photos", "in/big.png"), Limits(max_bytes=1000), "photo")


def test_download_maps_access_denied():
    class Denying:
        def get_object(self, **_):
            from botocore.exceptions import ClientError
            raise ClientError({"Error": {"Code": "AccessDenied", "Message": "no"}}, "GetObject")

    with pytest.raises(AccessDenied, match="may not read"):
        serving_input.download(Denying(), S3Location("b", "k"), LIMITS, "photo")


def test_decode_image_checks_magic_bytes_and_pixels():
    image = serving_input.decode_image(png_bytes(40, 30), LIMITS, "photo")
    assert image.shape == (30, 40, 3) and image.dtype == np.uint8
    with pytest.raises(UnsupportedFormat, match="photo is not an image format"):
        serving_input.decode_image(b"%PDF-1.7 not a photo", LIMITS, "photo")
    with pytest.raises(UnsupportedFormat, match="WebP"):
        serving_input.decode_image(b"RIFF\x00\x00\x00\x00WEBPVP8 ", LIMITS, "photo")
    with pytest.raises(InputTooLarge, match="megapixels"):
        serving_input.decode_image(png_bytes(40, 30), Limits(max_image_pixels=1000), "photo")
    with pytest.raises(CorruptInput):
        serving_input.decode_image(png_bytes()[:60], LIMITS, "photo")


def test_load_styles_from_catalogue_and_s3(s3):
    s3.put_object(Bucket="photos", Key="styles/mine.png", Body=png_bytes(20, 20))
    payload = {key: value for key, value in VALID.items() if key != "style"}
    payload["styles"] = [{"style": "udnie", "weight": 1}, {"style": "s3://photos/styles/mine.png", "weight": 1}]
    styles = serving_input.load_styles(s3, parse_request(payload, LIMITS), LIMITS)
    assert [described["name"] for _, _, described in styles] == ["udnie", "s3://photos/styles/mine.png"]
    assert styles[0][2]["credit"].startswith("Francis Picabia")
    assert styles[1][0].shape == (20, 20, 3)
    with pytest.raises(UnknownStyle, match="starry_night"):
        serving_input.load_styles(s3, parse_request({**VALID, "style": "mona_lisa"}, LIMITS), LIMITS)

