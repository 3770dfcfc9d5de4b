"""Replaying upload events from the dead-letter queue (pipeline/deploy/dead_letters.py) into start_execution.

A message is either the EventBridge event itself (the rule's dead-letter queue) or Lambda's on-failure
record, which carries the event as `requestPayload`. Each event is handed to `invoke` (the deployed
start_execution, synchronously); a message is deleted only after its event started an execution, or found
one already started (start_execution is idempotent), so a replay that fails again loses nothing.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Callable

# event -> (ok, what start_execution answered or why it failed)
Invoke = Callable[[dict], tuple[bool, str]]
BATCH = 10  # SQS's most messages per receive
VISIBILITY_SECONDS = 120  # a message being replayed stays hidden from a second replay this long


class NotAnUploadEvent(ValueError):
    """A message in the queue that holds no S3 Object Created event (nothing to replay)."""


@dataclass
class ReplayReport:
    replayed: list[str] = field(default_factory=list)  # s3://bucket/key
    failed: list[str] = field(default_factory=list)  # "s3://bucket/key: reason" (message kept)
    unreadable: list[str] = field(default_factory=list)  # message ids (kept)


def upload_event(body: str) -> dict:
    """The S3 "Object Created" event a dead-letter message holds."""
    try:
        message = json.loads(body)
    except ValueError:
        raise NotAnUploadEvent("the message is not JSON") from None
    event = message.get("requestPayload", message) if isinstance(message, dict) else None
    if not isinstance(event, dict) or event.get("detail-type") != "Object Created":
        raise NotAnUploadEvent("the message holds no S3 Object Created event")
    return event


def describe(event: dict) -> str:
    detail = event.get("detail", {})
    return f"s3://{detail.get('bucket', {}).get('name', '?')}/{detail.get('object', {}).get('key', '?')}"


def replay(sqs, queue_url: str, invoke: Invoke, dry_run: bool = False, say=print) -> ReplayReport:
    """Every message currently in the queue once; see the module docstring."""
    report, seen = ReplayReport(), set()
    while True:
        messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=BATCH, WaitTimeSeconds=0,
                                       VisibilityTimeout=VISIBILITY_SECONDS).get("Messages", [])
        fresh = [m for m in messages if m["MessageId"] not in seen]
        if not fresh:
            return report
        for message in fresh:
            seen.add(message["MessageId"])
            try:
                event = upload_event(message["Body"])
            except NotAnUploadEvent as error:
                report.unreadable.append(message["MessageId"])
                say(f"kept message {message['MessageId']}: {error}")
                continue
            name = describe(event)
            if dry_run:
                say(f"would replay {name}")
                report.replayed.append(name)
                continue
            ok, answer = invoke(event)
            if ok:
                sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
                report.replayed.append(name)
                say(f"replayed {name}: {answer}")
            else:
                report.failed.append(f"{name}: {answer}")
                say(f"kept {name}: {answer}")


def lambda_invoker(lambda_client, function_name: str) -> Invoke:
    """`invoke` for the deployed start_execution: synchronous, its answer or its error message."""
    def invoke(event: dict) -> tuple[bool, str]:
        response = lambda_client.invoke(FunctionName=function_name, InvocationType="RequestResponse",
                                        Payload=json.dumps(event).encode())
        payload = response["Payload"].read().decode("utf-8", errors="replace")
        if response.get("FunctionError"):
            try:
                detail = json.loads(payload)
                payload = f"{detail.get('errorType', 'Error')}: {detail.get('errorMessage', '')}"
            except ValueError:
                pass
            return False, payload[:500]
        answer = json.loads(payload) if payload else {}
        started = "started" if answer.get("started") else "already running or done"
        return True, f"execution {answer.get('execution_name', '?')} {started}"
    return invoke
