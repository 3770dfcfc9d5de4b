"""Image mode through the local moto stack: paint_request Lambda → InvokeEndpointAsync → the container's serving
code in process → result/failure objects, SNS notifications, progress objects. Real stylizer, tiny images."""
import io
import json
import time

import numpy as np
import pytest
from PIL import Image

from pipeline.local import paint_client
from pipeline.local.image_mode import build_container, install_image_mode, notifications
from pipeline.local.server import LocalMotoServer
from pipeline.local.settings import RuntimeSettings
from stylizer.settings import StyleSettings

pytestmark = pytest.mark.slow  # loads VGG19 once (several seconds on a CPU)

# "graph" skips XLA's compile on CPU; a preview every iteration so a 3-iteration run shows "running".
DEFAULTS = StyleSettings(preview_every=1, compile="graph")


def png(width, height) -> bytes:
    rng = np.random.default_rng(width * height)
    buffer = io.BytesIO()
    Image.fromarray(rng.integers(0, 255, (height, width, 3), dtype=np.uint8)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture(scope="module")
def image_mode(tmp_path_factory):
    with LocalMotoServer(RuntimeSettings()) as server:
        mode = install_image_mode(server)
        container = build_container(mode.client, defaults=DEFAULTS)
        with install_image_mode(server, container=container) as resources:
            # versioning keeps every status.json the container wrote, so the whole sequence can be checked
            resources.client("s3").put_bucket_versioning(
                Bucket=resources.bucket, VersioningConfiguration={"Status": "Enabled"})
            resources.successes = notifications(resources.client, resources.success_topic_arn)
            resources.errors = notifications(resources.client, resources.error_topic_arn)
            yield resources


def statuses(resources, prefix: str) -> list[dict]:
    s3 = resources.client("s3")
    versions = s3.list_object_versions(Bucket=resources.bucket, Prefix=prefix + "status.json")["Versions"]
    ordered = sorted(versions, key=lambda v: v["LastModified"])  # same-second writes: fall back to the body
    bodies = [json.loads(s3.get_object(Bucket=resources.bucket, Key=v["Key"], VersionId=v["VersionId"])["Body"]
                         .read()) for v in ordered]
    return sorted(bodies, key=lambda b: b["updated_at"])


def receive(subscription, count=1, timeout=10.0) -> list[dict]:
    got, deadline = [], time.monotonic() + timeout
    while len(got) < count and time.monotonic() < deadline:
        got += subscription.receive(wait_s=1)
    return got


def test_request_through_the_lambda_ends_in_a_result_and_a_success_notification(image_mode):
    client = image_mode.client
    identity = paint_client.local_identity(client, image_mode.identity_pool_id)
    key = f"uploads/photos/{identity}/cat.png"
    client("s3").put_object(Bucket=image_mode.bucket, Key=key, Body=png(48, 32))
    status, accepted = paint_client.submit(client, image_mode.function_name, paint_client.function_url_event(
        identity, {"content": key, "style": "starry_night", "options": {"size": 48, "iterations": 3}}))
    assert status == 202, accepted
    seen = []
    final = paint_client.watch(accepted, seen.append, timeout=120)
    assert final["state"] == "done" and final["iterations"] == 3
    result = Image.open(io.BytesIO(paint_client.result(accepted)))
    assert (result.format, result.size) == ("PNG", (48, 32))

    request_id = accepted["request_id"]
    assert accepted["result"]["output_location"] == f"s3://{image_mode.bucket}/async-outputs/{request_id}.out"
    (message,) = receive(image_mode.successes)
    assert message["invocationStatus"] == "Completed" and message["inferenceId"] == request_id
    assert message["responseParameters"] == {"contentType": "image/png",
                                             "outputLocation": accepted["result"]["output_location"]}
    assert message["requestParameters"]["inputLocation"] == (
        f"s3://{image_mode.bucket}/async-inputs/{request_id}.json")

    states = [s["state"] for s in statuses(image_mode, accepted["progress"]["prefix"])]
    assert states[0] == "started" and states[-1] == "done" and "running" in states
    assert paint_client.fetch(accepted["progress"]["preview"])[:3] == b"\xff\xd8\xff"  # a JPEG preview
    assert accepted["progress"]["prefix"].startswith(f"progress/{identity}/")


def test_failing_request_bypassing_the_lambda_fails_with_notification_and_failure_object(image_mode):
    client, bucket = image_mode.client, image_mode.bucket
    s3 = client("s3")
    s3.put_object(Bucket=bucket, Key="uploads/photos/x/notes.png", Body=b"not an image at all")
    request = {"request_id": "bad-1", "content": f"s3://{bucket}/uploads/photos/x/notes.png",
               "style": "udnie", "progress": f"s3://{bucket}/progress/x/bad-1/"}
    s3.put_object(Bucket=bucket, Key="async-inputs/bad-1.json", Body=json.dumps(request).encode())
    response = client("sagemaker-runtime").invoke_endpoint_async(
        EndpointName=image_mode.endpoint_name, InputLocation=f"s3://{bucket}/async-inputs/bad-1.json",
        ContentType="application/json", InferenceId="bad-1")
    assert response["InferenceId"] == "bad-1"
    assert response["FailureLocation"] == f"s3://{bucket}/async-failures/bad-1-error.out"
    assert image_mode.container.wait_idle(60)

    (message,) = receive(image_mode.errors)
    assert message["invocationStatus"] == "Failed" and message["inferenceId"] == "bad-1"
    assert message["responseParameters"]["failureLocation"] == response["FailureLocation"]
    assert "(415)" in message["failureReason"]
    failure = json.loads(s3.get_object(Bucket=bucket, Key="async-failures/bad-1-error.out")["Body"].read())
    assert failure["status"] == 415 and "PNG" in failure["error"]
    assert statuses(image_mode, "progress/x/bad-1/")[-1]["state"] == "failed"
    assert s3.list_objects_v2(Bucket=bucket, Prefix="async-outputs/bad-1")["KeyCount"] == 0


def test_unreadable_input_location_is_a_failure_too(image_mode):
    response = image_mode.client("sagemaker-runtime").invoke_endpoint_async(
        EndpointName=image_mode.endpoint_name, InputLocation=f"s3://{image_mode.bucket}/async-inputs/none.json",
        ContentType="application/json", InferenceId="none-1")
    assert image_mode.container.wait_idle(30)
    (message,) = receive(image_mode.errors)
    assert message["inferenceId"] == "none-1" and "Unable to read the input" in message["failureReason"]
    assert response["FailureLocation"].endswith("/none-1-error.out")


def test_unknown_endpoint_is_a_validation_error(image_mode):
    from botocore.exceptions import ClientError

    sagemaker = image_mode.client("sagemaker")
    # a registered container whose endpoint was deleted in moto
    sagemaker.delete_endpoint(EndpointName=image_mode.endpoint_name)
    try:
        with pytest.raises(ClientError, match="ValidationError"):
            image_mode.client("sagemaker-runtime").invoke_endpoint_async(
                EndpointName=image_mode.endpoint_name, InputLocation=f"s3://{image_mode.bucket}/x.json")
    finally:
        sagemaker.create_endpoint(EndpointName=image_mode.endpoint_name,
                                  EndpointConfigName=f"{image_mode.endpoint_name}-config")
