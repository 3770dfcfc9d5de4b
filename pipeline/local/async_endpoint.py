"""SageMaker asynchronous inference on the local moto server: the endpoint's container runs in this process.

moto's `InvokeEndpointAsync` only returns canned locations. `install(patches)` replaces its response handler:
for an endpoint that has a local container (registered by `create_local_endpoint`) it reads the endpoint
config's AsyncInferenceConfig from moto's SageMaker backend, answers at once with {InferenceId,
OutputLocation, FailureLocation} as AWS does, and queues the invocation. One worker thread per endpoint
runs them one at a time (MaxConcurrentInvocationsPerInstance=1) the way SageMaker's async front end does:
read the InputLocation object, POST it to the container (here `Invoker.handle_invocation`, the container's
own /invocations code, without HTTP), write a 2xx body to `<S3OutputPath>/<inference id>.out` or an error
body to `<S3FailurePath>/<inference id>-error.out`, and publish AWS's notification JSON on the success or
error topic. Endpoints without a local container fall through to moto's canned answer.

Not emulated: InvocationTimeoutSeconds and RequestTTLSeconds (a thread cannot be stopped from outside; the
container's own iteration bound keeps local runs short), scaling (the container is always "one instance").
The AWS side is the same `pipeline.endpoint` definitions; `create_local_endpoint` sends them to moto.
"""
from __future__ import annotations

import datetime
import json
import logging
import queue
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

from moto.core.exceptions import JsonRESTError
from moto.sagemaker.models import sagemaker_backends
from moto.sagemakerruntime.responses import SageMakerRuntimeResponse

from .extensions import PatchSet

log = logging.getLogger(__name__)

MODEL_READY_TIMEOUT_S = 600.0  # SageMaker's container health-check grace is of this order
ENDPOINTS: dict[str, "LocalContainer"] = {}  # endpoint name -> its local container; process-wide like moto


def utc_now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def split_s3_uri(uri: str) -> tuple[str, str]:
    if not uri.startswith("s3://"):
        raise ValueError(f"not an S3 URI: {uri}")
    bucket, _, key = uri[5:].partition("/")
    return bucket, key


@dataclass
class AsyncJob:
    endpoint_name: str
    inference_id: str
    input_location: str
    content_type: str
    accept: Optional[str]
    output_location: str
    failure_location: str
    success_topic: Optional[str]
    error_topic: Optional[str]
    region: str
    received_time: str = field(default_factory=utc_now)


def notification(job: AsyncJob, succeeded: bool, content_type: str, failure_reason: str = "") -> dict:
    """The message SageMaker publishes on the SuccessTopic / ErrorTopic (AWS docs, "Check prediction results")."""
    message = {
        "awsRegion": job.region, "eventTime": utc_now(), "receivedTime": job.received_time,
        "invocationStatus": "Completed" if succeeded else "Failed",
        "requestParameters": {"contentType": job.content_type, "endpointName": job.endpoint_name,
                              "inputLocation": job.input_location},
        "responseParameters": {"contentType": content_type},
        "inferenceId": job.inference_id, "eventVersion": "1.0", "eventSource": "aws:sagemaker",
        "eventName": "InferenceResult",
    }
    if succeeded:
        message["responseParameters"]["outputLocation"] = job.output_location
    else:
        message["failureReason"] = failure_reason
        message["responseParameters"]["failureLocation"] = job.failure_location
    return message


def failure_reason(status: Optional[int], body: bytes) -> str:
    """SageMaker's wording: the container's status and body, or why the input could not be read."""
    kind = "server" if status is None or status >= 500 else "client"
    text = body.decode("utf-8", errors="replace")[:800]
    return (f"ClientError: Received {kind} error ({status}) from primary with message \"{text}\". "
            "See the SageMaker endpoint logs for more information.")


class LocalContainer:
    """The endpoint's one "instance": the container's Invoker plus a worker thread and its queue."""

    def __init__(self, invoker: Any, client: Callable[[str], Any]):
        self.invoker, self.client = invoker, client
        self.completed = 0
        self.failed = 0
        self._queue: "queue.Queue[Optional[AsyncJob]]" = queue.Queue()
        self._idle = threading.Condition()
        self._pending = 0
        self._thread = threading.Thread(target=self._run, name="local-async-endpoint", daemon=True)
        self._thread.start()

    def submit(self, job: AsyncJob) -> None:
        with self._idle:
            self._pending += 1
        self._queue.put(job)

    def wait_idle(self, timeout: Optional[float] = None) -> bool:
        """True once every submitted invocation has finished (tests and benchmarks)."""
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, timeout)

    def stop(self, timeout: float = 30.0) -> None:
        self._queue.put(None)
        self._thread.join(timeout)

    def _run(self) -> None:
        while (job := self._queue.get()) is not None:
            try:
                self._invoke(job)
            except Exception:  # noqa: BLE001 - a bug here must not kill the instance for later requests
                log.exception("local async endpoint: invocation %s", job.inference_id)
            finally:
                with self._idle:
                    self._pending -= 1
                    self._idle.notify_all()

    def _invoke(self, job: AsyncJob) -> None:
        from botocore.exceptions import ClientError

        s3 = self.client("s3")
        # SageMaker sends traffic only once /ping says 200: wait for the model as it would.
        model = getattr(self.invoker, "model", None)
        if model is not None and hasattr(model, "wait"):
            model.wait(MODEL_READY_TIMEOUT_S)
        try:
            bucket, key = split_s3_uri(job.input_location)
            body = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
        except (ClientError, ValueError) as error:
            reason = f"ClientError: Unable to read the input at {job.input_location}: {error}"
            self._finish(s3, job, False, json.dumps({"error": reason}).encode(), "application/json", reason)
            return
        data, status, headers = self.invoker.handle_invocation(body, job.content_type, job.accept)
        content_type = headers.get("Content-Type", "application/octet-stream")
        succeeded = 200 <= status < 300
        self._finish(s3, job, succeeded, data, content_type, "" if succeeded else failure_reason(status, data))

    def _finish(self, s3, job: AsyncJob, succeeded: bool, data: bytes, content_type: str, reason: str) -> None:
        bucket, key = split_s3_uri(job.output_location if succeeded else job.failure_location)
        s3.put_object(Bucket=bucket, Key=key, Body=data, ContentType=content_type)
        if succeeded:
            self.completed += 1
        else:
            self.failed += 1
        topic = job.success_topic if succeeded else job.error_topic
        if topic:
            self.client("sns").publish(TopicArn=topic,
                                       Message=json.dumps(notification(job, succeeded, content_type, reason)))


def async_config(account_id: str, region: str, endpoint_name: str) -> dict:
    """The endpoint's AsyncInferenceConfig, as moto stored it from CreateEndpointConfig."""
    backend = sagemaker_backends[account_id][region]
    endpoint = backend.endpoints.get(endpoint_name)
    if endpoint is None:
        raise JsonRESTError("ValidationError", f"Endpoint {endpoint_name} of account {account_id} not found.")
    config = backend.endpoint_configs[endpoint.endpoint_config_name].async_inference_config or {}
    if not config.get("OutputConfig"):
        raise JsonRESTError("ValidationError", f"Endpoint {endpoint_name} is not an asynchronous endpoint "
                            "(its endpoint config has no AsyncInferenceConfig).")
    return config


def install(patches: PatchSet) -> None:
    moto_invoke = SageMakerRuntimeResponse.invoke_endpoint_async

    def invoke_endpoint_async(self: SageMakerRuntimeResponse):
        endpoint_name = self.path.split("/")[2]  # /endpoints/<name>/async-invocations, as moto parses it
        container = ENDPOINTS.get(endpoint_name)
        if container is None:
            return moto_invoke(self)
        output = async_config(self.current_account, self.region, endpoint_name)["OutputConfig"]
        input_location = self.headers.get("X-Amzn-SageMaker-InputLocation")
        if not input_location:
            raise JsonRESTError("ValidationError", "InputLocation is required.")
        inference_id = self.headers.get("X-Amzn-SageMaker-Inference-Id") or f"{time.time_ns():x}"
        topics = output.get("NotificationConfig") or {}
        output_path = output["S3OutputPath"].rstrip("/")
        failure_path = (output.get("S3FailurePath") or output_path).rstrip("/")
        job = AsyncJob(endpoint_name=endpoint_name, inference_id=inference_id, input_location=input_location,
                       content_type=self.headers.get("X-Amzn-SageMaker-Content-Type") or "application/octet-stream",
                       accept=self.headers.get("X-Amzn-SageMaker-Accept"),
                       output_location=f"{output_path}/{inference_id}.out",
                       failure_location=f"{failure_path}/{inference_id}-error.out",
                       success_topic=topics.get("SuccessTopic"), error_topic=topics.get("ErrorTopic"),
                       region=self.region)
        container.submit(job)
        headers = {"X-Amzn-SageMaker-OutputLocation": job.output_location,
                   "X-Amzn-SageMaker-FailureLocation": job.failure_location}
        return 202, headers, json.dumps({"InferenceId": inference_id})

    patches.replace(SageMakerRuntimeResponse, "invoke_endpoint_async", invoke_endpoint_async)
    patches.on_restore(stop_all)


def register(endpoint_name: str, container: LocalContainer) -> None:
    previous = ENDPOINTS.pop(endpoint_name, None)
    if previous is not None:
        previous.stop()
    ENDPOINTS[endpoint_name] = container


def stop_all() -> None:
    while ENDPOINTS:
        ENDPOINTS.popitem()[1].stop()
