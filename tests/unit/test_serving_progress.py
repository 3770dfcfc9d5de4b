"""stylizer.serving.progress: newest-only background uploads, ordering, and the final status."""
import json
import threading

import boto3
import pytest

from stylizer.serving.progress import ProgressWriter


class SlowS3:
    """Records put_object calls; the first one blocks until released, so later puts pile up."""

    def __init__(self, fail_keys=()):
        self.puts, self.release, self.fail_keys = [], threading.Event(), set(fail_keys)
        self.entered = threading.Event()

    def put_object(self, Bucket, Key, Body, ContentType, CacheControl):
        self.entered.set()
        self.release.wait(5)
        if Key in self.fail_keys:
            raise ConnectionError("S3 is down")
        self.puts.append((Key, json.loads(Body) if Key.endswith(".json") else Body, ContentType))


def test_only_the_newest_pending_write_per_key_is_uploaded():
    s3 = SlowS3()
    writer = ProgressWriter(s3, "bkt", "p/r1", "r1")
    writer.status("started")
    assert s3.entered.wait(5)  # "started" is being uploaded; what follows queues behind it
    for iteration in range(1, 6):
        writer.preview(b"jpeg%d" % iteration)
        writer.status("running", iteration=iteration)
    writer.status("done", result={"width": 4})
    s3.release.set()
    writer.close()
    keys = [key for key, _, _ in s3.puts]
    states = [body["state"] for key, body, _ in s3.puts if key.endswith(".json")]
    assert states[-1] == "done" and states[0] == "started"
    assert keys == ["p/r1/status.json", "p/r1/preview.jpg", "p/r1/status.json"]  # 9 of 12 were dropped
    assert keys.count("p/r1/preview.jpg") == 1 and s3.puts[keys.index("p/r1/preview.jpg")][1] == b"jpeg5"
    final = s3.puts[-1][1]
    assert final["request_id"] == "r1" and final["preview_key"] == "p/r1/preview.jpg"
    assert final["result"] == {"width": 4} and final["updated_at"].endswith("Z")


def test_preview_is_uploaded_before_the_status_that_names_it():
    s3 = SlowS3()
    s3.release.set()
    writer = ProgressWriter(s3, "bkt", "p/", "r2")
    writer.preview(b"jpeg")
    writer.status("running", iteration=1)
    writer.close()
    assert [key for key, _, _ in s3.puts] == ["p/preview.jpg", "p/status.json"]


def test_failed_uploads_are_counted_not_raised():
    s3 = SlowS3(fail_keys={"p/preview.jpg"})
    s3.release.set()
    writer = ProgressWriter(s3, "bkt", "p/", "r3")
    writer.preview(b"jpeg")
    writer.status("failed", reason="x", status=500)
    writer.close()
    assert writer.failures == 1 and [body["state"] for _, body, _ in s3.puts] == ["failed"]


@pytest.fixture
def s3(mocked_aws):
    client = boto3.client("s3")
    client.create_bucket(Bucket="progress")
    yield client


def test_objects_land_in_s3_with_no_store(s3):
    writer = ProgressWriter(s3, "progress", "jobs/r4/", "r4")
    writer.preview(b"\xff\xd8\xffjpeg")
    writer.status("running", iteration=10, iterations=20, losses={"style": 1.5})
    writer.close()
    status = s3.get_object(Bucket="progress", Key="jobs/r4/status.json")
    assert status["ContentType"] == "application/json" and status["CacheControl"] == "no-store"
    body = json.loads(status["Body"].read())
    assert body["iteration"] == 10 and body["losses"] == {"style": 1.5} and body["elapsed_s"] >= 0
    assert s3.get_object(Bucket="progress", Key=body["preview_key"])["Body"].read() == b"\xff\xd8\xffjpeg"


def test_flush_waits_for_the_upload_in_flight():
    s3 = SlowS3()
    writer = ProgressWriter(s3, "bkt", "p/", "r5")
    writer.status("started")
    assert writer.flush(timeout=0.2) is False and s3.puts == []  # still blocked inside put_object
    s3.release.set()
    assert writer.flush(timeout=5) is True and [body["state"] for _, body, _ in s3.puts] == ["started"]
    writer.close()
