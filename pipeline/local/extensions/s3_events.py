"""The S3 → EventBridge → Lambda hop, which moto cannot make (its EventBridge starts neither Lambda nor SFN).

Emulated by hooking moto's `S3Backend.put_object` (every object creation passes through it: PutObject, POST
uploads, CopyObject, CompleteMultipartUpload) rather than polling: after the object is stored, objects under
a configured route (`RuntimeSettings.upload_routes`: bucket + prefix → function) produce the EventBridge
"Object Created" event, delivered to the function in a background thread — asynchronous, as EventBridge is.
Keys are URL-encoded in the event as S3 encodes them (`quote_plus`, "/" kept); consumers `unquote_plus` them.
`redeliver(event)` sends an event again: EventBridge delivers at least once, so duplicates must be harmless.

Failures as in AWS: a function that fails is invoked again `route.retries` times (Lambda's asynchronous retries,
after 1 and 2 minutes, scaled by `retry_interval_scale`, none with `instant_retries`), then its invocation
record (Lambda's on-failure destination format, the event as `requestPayload`) goes to
`route.on_failure_queue_url`; an event that cannot be delivered at all (no such function) goes there as it is,
as to a rule target's dead-letter queue. `nst replay` (pipeline/deploy/replay.py) reads both shapes.
"""
from __future__ import annotations

import datetime
import json
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any, Optional
from urllib.parse import quote_plus

import boto3
from moto.awslambda.models import lambda_backends
from moto.s3.models import S3Backend

from .. import settings
from ..settings import UploadRoute
from . import PatchSet
from .lambda_in_process import run_handler


@dataclass
class Delivery:
    event: dict
    route: UploadRoute
    account_id: str
    region: str
    done: threading.Event = field(default_factory=threading.Event)
    payload: Any = None
    errored: Optional[bool] = None
    attempts: int = 0
    dead_lettered: bool = False  # sent to the route's on-failure queue

    @property
    def function_name(self) -> str:
        return self.route.function_name


DELIVERIES: list[Delivery] = []  # every event sent while the server runs, in order (tests wait on them)


def object_created_event(bucket: Any, key: Any, reason: str) -> dict:
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "Object Created",
        "source": "aws.s3",
        "account": bucket.account_id,
        "time": now,
        "region": bucket.region_name,
        "resources": [f"arn:aws:s3:::{bucket.name}"],
        "detail": {
            "version": "0",
            "bucket": {"name": bucket.name},
            "object": {"key": quote_plus(key.name, safe="/"), "size": key.size, "etag": key.etag.strip('"'),
                       "version-id": key.version_id, "sequencer": f"{uuid.uuid4().int % 16**18:018X}"},
            "request-id": uuid.uuid4().hex[:16].upper(),
            "requester": bucket.account_id,
            "source-ip-address": "127.0.0.1",
            "reason": reason,
        },
    }


def retry_delay(attempt: int) -> float:
    """Seconds before retry `attempt` (1, 2, ...): Lambda waits about 1 minute, then 2."""
    runtime = settings.ACTIVE
    if runtime is None or runtime.instant_retries:
        return 0.0
    return 60.0 * 2 ** (attempt - 1) * runtime.retry_interval_scale


def invocation_record(delivery: Delivery, function_arn: str) -> dict:
    """What Lambda sends to an on-failure destination once the retries are exhausted."""
    return {
        "version": "1.0",
        "timestamp": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="milliseconds")
        .replace("+00:00", "Z"),
        "requestContext": {"requestId": str(uuid.uuid4()), "functionArn": f"{function_arn}:$LATEST",
                           "condition": "RetriesExhausted", "approximateInvokeCount": delivery.attempts},
        "requestPayload": delivery.event,
        "responseContext": {"statusCode": 200, "executedVersion": "$LATEST", "functionError": "Unhandled"},
        "responsePayload": delivery.payload,
    }


def dead_letter(delivery: Delivery, body: dict) -> None:
    runtime = settings.ACTIVE
    if runtime is None or not delivery.route.on_failure_queue_url:
        return
    sqs = boto3.client("sqs", endpoint_url=runtime.endpoint_url, region_name=delivery.region,
                       aws_access_key_id="testing", aws_secret_access_key="testing")
    sqs.send_message(QueueUrl=delivery.route.on_failure_queue_url, MessageBody=json.dumps(body))
    delivery.dead_lettered = True


def deliver(delivery: Delivery) -> None:
    try:
        try:
            function = lambda_backends[delivery.account_id][delivery.region].get_function(delivery.function_name)
        except Exception as error:  # e.g. the function does not exist: EventBridge counts a failed invocation
            delivery.payload, delivery.errored = {"errorType": type(error).__name__, "errorMessage": str(error)}, True
            dead_letter(delivery, delivery.event)
            return
        for attempt in range(1 + max(0, delivery.route.retries)):
            if attempt:
                time.sleep(retry_delay(attempt))
            delivery.attempts += 1
            payload, delivery.errored = run_handler(function, delivery.event)
            delivery.payload = json.loads(payload) if payload else None
            if not delivery.errored:
                return
        dead_letter(delivery, invocation_record(delivery, function.function_arn))
    finally:
        delivery.done.set()


def send(event: dict, route: UploadRoute) -> Delivery:
    delivery = Delivery(event, route, event["account"], event["region"])
    DELIVERIES.append(delivery)
    threading.Thread(target=deliver, args=(delivery,), daemon=True,
                     name=f"eventbridge-{route.function_name}").start()
    return delivery


def redeliver(event: dict) -> Delivery:
    """Send an event again, to every route that matches it (EventBridge's at-least-once delivery)."""
    bucket, key = event["detail"]["bucket"]["name"], event["detail"]["object"]["key"]
    deliveries = [send(event, route) for route in settings.active().upload_routes
                  if route.bucket == bucket and key.startswith(quote_plus(route.prefix, safe="/"))]
    if not deliveries:
        raise ValueError(f"no upload route matches s3://{bucket}/{key}")
    return deliveries[0]


def install(patches: PatchSet) -> None:
    moto_put_object = S3Backend.put_object

    def put_object(self: S3Backend, bucket_name: str, key_name: str, *args: Any, **kwargs: Any):
        key = moto_put_object(self, bucket_name, key_name, *args, **kwargs)
        runtime = settings.ACTIVE
        routes = [r for r in (runtime.upload_routes if runtime else [])
                  if r.bucket == bucket_name and key_name.startswith(r.prefix)]
        if routes:
            reason = "CompleteMultipartUpload" if kwargs.get("multipart") is not None else "PutObject"
            event = object_created_event(self.get_bucket(bucket_name), key, reason)
            for route in routes:
                send(event, route)
        return key

    patches.replace(S3Backend, "put_object", put_object)
    patches.on_restore(DELIVERIES.clear)
