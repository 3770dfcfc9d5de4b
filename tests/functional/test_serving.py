"""The endpoint app end to end against moto S3: WSGI test client -> S3 inputs -> real stylizer -> response
and progress objects. Tiny images and a few iterations; VGG19 is loaded once for the module."""
import io
import json
import threading

import boto3
import numpy as np
import pytest
from PIL import Image

from stylizer.limits import Limits
from stylizer.serving.app import create_app
from stylizer.serving.model import Model, load_features
from stylizer.settings import StyleSettings

BUCKET = "nst-test"
# "graph" skips XLA's compile (seconds per new image size on a CPU); preview every iteration.
DEFAULTS = StyleSettings(preview_every=1, compile="graph")


# A bounded wait: the first load may convert the weights on a busy machine, but never this long.
LOAD_TIMEOUT_S = 120


@pytest.fixture(scope="module")
def loaded_model():
    """One real, loaded model per module (each test that needs it gets it ready, whatever ran before)."""
    model = Model(loader=lambda: load_features(DEFAULTS)).start()
    assert model.wait(LOAD_TIMEOUT_S), f"VGG19 not loaded after {LOAD_TIMEOUT_S} s: {model.state()}"
    return model


@pytest.fixture
def s3(mocked_aws):
    client = boto3.client("s3")
    client.create_bucket(Bucket=BUCKET)
    # Versioning keeps every status.json written, so the tests can check the whole sequence.
    client.put_bucket_versioning(Bucket=BUCKET, VersioningConfiguration={"Status": "Enabled"})
    client.put_object(Bucket=BUCKET, Key="in/photo.png", Body=image_bytes(48, 32, "PNG"))
    client.put_object(Bucket=BUCKET, Key="in/photo.jpg", Body=image_bytes(40, 40, "JPEG"))
    client.put_object(Bucket=BUCKET, Key="in/notes.txt", Body=b"shopping list: eggs")
    client.put_object(Bucket=BUCKET, Key="in/huge.png", Body=image_bytes(200, 100, "PNG"))
    yield client


def image_bytes(width, height, format) -> bytes:
    rng = np.random.default_rng(width * height)
    buffer = io.BytesIO()
    Image.fromarray(rng.integers(0, 255, (height, width, 3), dtype=np.uint8)).save(buffer, format=format)
    return buffer.getvalue()


def client_for(model, **kwargs):
    return create_app(model=model, s3=boto3.client("s3"), defaults=DEFAULTS, **kwargs).test_client()


def invoke(client, request_id, accept=None, **fields):
    """POST a valid request changed by `fields` (a None value drops the field)."""
    payload = {"request_id": request_id, "content": f"s3://{BUCKET}/in/photo.png", "style": "starry_night",
               "options": {"size": 40, "iterations": 3}, "progress": f"s3://{BUCKET}/progress/{request_id}/",
               **fields}
    payload = {key: value for key, value in payload.items() if value is not None}
    headers = {"Accept": accept} if accept else {}
    return client.post("/invocations", data=json.dumps(payload), content_type="application/json", headers=headers)


def statuses(s3, request_id) -> list[dict]:
    """Every version of the request's status.json, oldest first."""
    key = f"progress/{request_id}/status.json"
    versions = s3.list_object_versions(Bucket=BUCKET, Prefix=key).get("Versions", [])
    assert versions and versions[0]["IsLatest"]  # S3 lists the versions of a key newest first
    return [json.loads(s3.get_object(Bucket=BUCKET, Key=key, VersionId=v["VersionId"])["Body"].read())
            for v in reversed(versions)]


def test_ping_is_503_until_the_model_is_loaded(s3):
    release = threading.Event()
    model = Model(loader=lambda: release.wait(5)).start()
    client = client_for(model)
    assert client.get("/ping").status_code == 503
    release.set()
    assert model.wait(5), model.state()
    assert client.get("/ping").status_code == 200


@pytest.mark.slow
def test_invocation_happy_path(loaded_model, s3):
    client = client_for(loaded_model)
    assert client.get("/ping").status_code == 200

    response = invoke(client, "happy-1")
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.content_type == "image/png"
    assert Image.open(io.BytesIO(response.data)).size == (40, 27)  # 48x32 scaled to a 40 px longest side

    history = statuses(s3, "happy-1")
    assert history[0]["state"] == "started" and history[-1]["state"] == "done"
    assert {s["state"] for s in history} <= {"started", "running", "done"}
    final = history[-1]
    assert final["result"]["width"] == 40 and final["result"]["height"] == 27
    assert final["result"]["bytes"] == len(response.data) and final["iteration"] == 3
    assert final["result"]["styles"][0]["name"] == "starry_night" and set(final["losses"]) >= {"style"}
    preview = s3.get_object(Bucket=BUCKET, Key=final["preview_key"])
    assert preview["ContentType"] == "image/jpeg" and Image.open(preview["Body"]).format == "JPEG"


@pytest.mark.slow
def test_jpeg_when_accept_asks_and_a_blend_of_styles(loaded_model, s3):
    s3.put_object(Bucket=BUCKET, Key="styles/mine.png", Body=image_bytes(30, 30, "PNG"))
    response = invoke(client_for(loaded_model), "blend-1", accept="image/jpeg", style=None,
                      content=f"s3://{BUCKET}/in/photo.jpg",
                      styles=[{"style": "udnie", "weight": 1}, {"style": f"s3://{BUCKET}/styles/mine.png"}])
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.content_type == "image/jpeg" and Image.open(io.BytesIO(response.data)).size == (40, 40)
    assert [s["weight"] for s in statuses(s3, "blend-1")[-1]["result"]["styles"]] == [0.5, 0.5]


@pytest.mark.parametrize("fields, status, reason", [
    ({"options": {"size": 40, "iterations": 3, "sharpness": 2}}, 400, "Unknown option"),
    ({"options": {"iterations": 100000}}, 400, "iterations must be"),
    ({"style": "mona_lisa"}, 400, "Unknown style 'mona_lisa'"),
    ({"content": f"s3://{BUCKET}/in/missing.png"}, 404, "does not exist"),
    ({"content": f"s3://{BUCKET}/in/notes.txt"}, 415, "not an image format"),
    ({"content": f"s3://{BUCKET}/in/huge.png"}, 413, "megapixels"),
    ({"extra": True}, 400, "Unknown field"),
])
def test_bad_requests_get_4xx_and_a_failed_status(s3, fields, status, reason):
    model = Model(loader=lambda: None).start()  # these fail before the model is used
    assert model.wait(5)
    client = create_app(model=model, s3=boto3.client("s3"), defaults=DEFAULTS,
                        limits=Limits(max_image_pixels=10_000)).test_client()
    response = invoke(client, "bad-1", **fields)
    assert response.status_code == status
    assert reason in response.get_json()["error"] and response.get_json()["request_id"] == "bad-1"
    final = statuses(s3, "bad-1")[-1]
    assert (final["state"], final["status"]) == ("failed", status) and reason in final["reason"]


def test_malformed_bodies_get_4xx(s3):
    model = Model(loader=lambda: None).start()
    client = create_app(model=model, s3=boto3.client("s3")).test_client()
    assert client.post("/invocations", data=b"{oops", content_type="application/json").status_code == 400
    assert client.post("/invocations", data=b"x", content_type="text/csv").status_code == 415
    assert client.post("/invocations", data=b"x" * 100_000, content_type="application/json").status_code == 413
    assert invoke(client, "r", accept="application/json").status_code == 406
    assert invoke(client, None).get_json()["error"].startswith("request_id is required")


def test_invocation_before_the_model_is_loaded_is_503_with_a_failed_status(s3):
    model = Model(loader=lambda: threading.Event().wait(10))
    response = invoke(client_for(model), "early-1")
    assert response.status_code == 503 and "loading" in response.get_json()["error"]
    assert statuses(s3, "early-1")[-1]["state"] == "failed"


def test_internal_failure_is_500_and_reported_without_internals(s3):
    def exploding(content, styles, settings):
        from stylizer.events import ProgressEvent
        yield ProgressEvent("start", iterations=settings.iterations)
        raise FloatingPointError("NaN in /opt/ml/model/vgg19.weights.h5")

    model = Model(loader=lambda: None).start()
    assert model.wait(5)
    response = invoke(client_for(model, stylize=exploding), "boom-1")
    assert response.status_code == 500
    error = response.get_json()["error"]
    assert "FloatingPointError" in error and "boom-1" in error and "/opt/ml" not in error
    history = statuses(s3, "boom-1")
    assert [s["state"] for s in history][0] == "started"
    assert (history[-1]["state"], history[-1]["status"]) == ("failed", 500)
