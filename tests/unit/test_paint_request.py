"""paint_request: function-URL events (captured shapes in tests/events/) → validation → async invocation."""
import base64
import copy
import io
import json
import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

os.environ.setdefault("POWERTOOLS_TRACE_DISABLED", "1")
os.environ.setdefault("POWERTOOLS_METRICS_NAMESPACE", "NeuralStyle")

import boto3
import pytest
from moto import mock_aws
from PIL import Image

from lambdas.paint_request import app
from lambdas.paint_request.config import get_config
from lambdas.shared.presign import signing_client

EVENTS = Path(__file__).resolve().parents[1] / "events"
BUCKET, ENDPOINT = "nst-images", "nst-image"
IDENTITY = "us-east-1:11111111-2222-3333-4444-555555555555"
PREFIX = f"uploads/photos/{IDENTITY}/"


def png(width=40, height=32) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 120, 40)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def aws(monkeypatch):
    for name, value in {"AWS_DEFAULT_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "testing",
                        "AWS_SECRET_ACCESS_KEY": "testing", "IMAGES_BUCKET": BUCKET, "ENDPOINT_NAME": ENDPOINT,
                        "INVOCATION_TIMEOUT_SECONDS": "600", "URL_EXPIRES_SECONDS": "900"}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    get_config.cache_clear()
    with mock_aws():
        s3 = boto3.client("s3")
        s3.create_bucket(Bucket=BUCKET)
        s3.put_object(Bucket=BUCKET, Key=PREFIX + "cat.png", Body=png())
        s3.put_object(Bucket=BUCKET, Key=PREFIX + "notes.png", Body=b"shopping list: eggs, milk")
        yield s3
    get_config.cache_clear()


def event(name: str) -> dict:
    return json.loads((EVENTS / f"paint_request_{name}.json").read_text())


def call(payload: dict) -> tuple[int, dict]:
    response = app.handler(payload, None)
    assert response["headers"]["Content-Type"] == "application/json"
    return response["statusCode"], json.loads(response["body"])


def with_body(name: str, **changes) -> dict:
    payload = event(name)
    body = {**json.loads(payload["body"]), **changes}
    payload["body"] = json.dumps(body)
    return payload


def key_of(url: str) -> str:
    parsed = urlparse(url)
    path = unquote(parsed.path)[1:]
    if parsed.hostname.split(".")[0] in (BUCKET,) or parsed.hostname.startswith("sagemaker-output-"):
        return path  # virtual-hosted style: the bucket is in the host name
    return path.split("/", 1)[1]  # path style: /<bucket>/<key>


def test_happy_request_writes_the_input_and_invokes_the_endpoint(aws):
    status, body = call(event("happy"))
    assert status == 202
    request_id = body["request_id"]
    request = json.loads(aws.get_object(Bucket=BUCKET, Key=f"async-inputs/{request_id}.json")["Body"].read())
    assert request == {"request_id": request_id, "content": f"s3://{BUCKET}/{PREFIX}cat.png", "style": "starry_night",
                       "options": {"size": 48, "iterations": 3, "preserve_colors": True},
                       "progress": f"s3://{BUCKET}/progress/{IDENTITY}/{request_id}/"}
    assert body["progress"]["prefix"] == f"progress/{IDENTITY}/{request_id}/"
    assert key_of(body["progress"]["status"]) == f"progress/{IDENTITY}/{request_id}/status.json"
    assert key_of(body["progress"]["preview"]) == f"progress/{IDENTITY}/{request_id}/preview.jpg"
    assert body["expires_in"] == 900
    # SigV4 on the bucket's regional endpoint: buckets made after June 2020 refuse SigV2 query auth.
    for url in (body["progress"]["status"], body["progress"]["preview"], body["result"]["url"]):
        query = parse_qs(urlparse(url).query)
        assert query["X-Amz-Algorithm"] == ["AWS4-HMAC-SHA256"] and "AWSAccessKeyId" not in query, url
        assert query["X-Amz-Expires"] == ["900"]
    assert urlparse(body["progress"]["status"]).hostname == f"{BUCKET}.s3.us-east-1.amazonaws.com"
    # plain moto answers with its own canned OutputLocation: the URL must point at whatever the endpoint said
    assert key_of(body["result"]["url"]) == body["result"]["output_location"].split("/", 3)[3]


@pytest.mark.parametrize("name, status, words", [
    ("foreign_prefix", 403, "your own uploads"),
    ("missing_object", 404, "does not exist"),
    ("not_an_image", 415, "PNG or JPEG"),
    ("bad_options", 400, "iterations must be a whole number"),
])
def test_refusals(aws, name, status, words):
    code, body = call(event(name))
    assert (code, body["status"]) == (status, status)
    assert words in body["error"]
    assert aws.list_objects_v2(Bucket=BUCKET, Prefix="async-inputs/")["KeyCount"] == 0  # nothing was queued


def test_unsigned_or_iam_user_request_is_forbidden(aws):
    payload = event("happy")
    payload["requestContext"]["authorizer"]["iam"]["cognitoIdentity"] = None
    assert call(payload)[0] == 403
    del payload["requestContext"]["authorizer"]
    assert call(payload)[0] == 403


@pytest.mark.parametrize("content", [PREFIX + "../" + "x.png", PREFIX + "a//b.png", "uploads/photos/cat.png",
                                     f"uploads/photos/{IDENTITY}x/cat.png"])
def test_keys_that_escape_the_prefix_are_forbidden(aws, content):
    assert call(with_body("happy", content=content))[0] == 403


def test_own_style_image_becomes_an_s3_uri_and_foreign_one_is_refused(aws):
    aws.put_object(Bucket=BUCKET, Key=PREFIX + "style.jpg", Body=png())
    status, body = call(with_body("happy", style=PREFIX + "style.jpg"))
    assert status == 202
    request = json.loads(aws.get_object(Bucket=BUCKET, Key=f"async-inputs/{body['request_id']}.json")["Body"].read())
    assert request["style"] == f"s3://{BUCKET}/{PREFIX}style.jpg"
    assert call(with_body("happy", style="uploads/photos/us-east-1:99999999-8888-7777-6666-555555555555/s.jpg"))[0] == 403


def test_unknown_style_and_unknown_fields_are_bad_requests(aws):
    code, body = call(with_body("happy", style="mona_lisa"))
    assert code == 400 and "starry_night" in body["error"]  # lists the catalogue
    assert call(with_body("happy", colour="red"))[0] == 400
    assert call(with_body("happy", options={"size": 100_000}))[0] == 400
    assert call(with_body("happy", options={"temporal": True}))[0] == 400


def test_too_large_photo_is_413(aws, monkeypatch):
    monkeypatch.setenv("NST_MAX_BYTES", "100")
    get_config.cache_clear()
    code, body = call(event("happy"))
    assert code == 413 and "limit" in body["error"]


def test_base64_body_and_non_json_body(aws):
    payload = event("happy")
    payload["body"], payload["isBase64Encoded"] = base64.b64encode(payload["body"].encode()).decode(), True
    assert call(payload)[0] == 202
    payload = copy.deepcopy(event("happy"))
    payload["headers"]["content-type"] = "text/plain"
    assert call(payload)[0] == 415
    payload = event("happy")
    payload["body"] = "{not json"
    assert call(payload)[0] == 400


def test_invocation_asks_for_png_with_the_request_id_and_timeout(aws, monkeypatch):
    calls = []

    class Runtime:
        def invoke_endpoint_async(self, **request):
            calls.append(request)
            return {"InferenceId": request["InferenceId"], "OutputLocation": f"s3://{BUCKET}/async-outputs/x.out",
                    "FailureLocation": f"s3://{BUCKET}/async-failures/x-error.out"}

    from lambdas.paint_request.models import PaintBody

    accepted = app.submit(aws, signing_client(), Runtime(), get_config(), IDENTITY,
                          PaintBody(content=PREFIX + "cat.png", style="udnie"))
    (request,) = calls
    assert request == {"EndpointName": ENDPOINT, "InputLocation": f"s3://{BUCKET}/async-inputs/{accepted.request_id}.json",
                       "ContentType": "application/json", "Accept": "image/png", "InferenceId": accepted.request_id,
                       "InvocationTimeoutSeconds": 600}
    assert key_of(accepted.result.failure_url) == "async-failures/x-error.out"
