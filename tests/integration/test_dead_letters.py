"""An upload whose event cannot start the pipeline is not lost: start_execution fails (here: the state machine it
names does not exist), Lambda's asynchronous retries fail too, the invocation record lands in the dead-letter
queue, and once the cause is fixed `nst replay`'s code (pipeline/deploy/replay.py) starts the pipeline for it."""
import json
import sys

import pytest
from gif_fixtures import FAKE_CONTAINER, make_gif

from pipeline.deploy import replay
from pipeline.local.extensions import s3_events
from pipeline.local.stack import LocalStack

MISSING_MACHINE = "arn:aws:states:us-east-1:123456789012:stateMachine:not-deployed"


@pytest.fixture
def stack(tmp_path):
    with LocalStack(tmp_path / "out", instant_retries=True, processing_command=[sys.executable, str(FAKE_CONTAINER)],
                    function_env={"start_execution": {"STATE_MACHINE_ARN": MISSING_MACHINE}}) as running:
        yield running


def messages(stack) -> list[dict]:
    sqs = stack.client("sqs")
    got = sqs.receive_message(QueueUrl=stack.dead_letter_queue_url, MaxNumberOfMessages=10,
                              VisibilityTimeout=0).get("Messages", [])
    return [json.loads(m["Body"]) for m in got]


def queued(stack) -> int:
    """Messages in the queue, visible or not (a replay hides the ones it is working on)."""
    attributes = stack.client("sqs").get_queue_attributes(
        QueueUrl=stack.dead_letter_queue_url,
        AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"])["Attributes"]
    return sum(int(value) for value in attributes.values())


def test_a_failing_start_reaches_the_dead_letter_queue_and_is_replayed(stack, tmp_path, settle):
    key = stack.upload_gif(make_gif(tmp_path / "cat.gif"), email="uploader@example.com", style="udnie")
    delivery = next(d for d in reversed(s3_events.DELIVERIES) if d.event["detail"]["object"]["key"] == key)
    assert delivery.done.wait(30)
    assert (delivery.errored, delivery.attempts, delivery.dead_lettered) == (True, 3, True), delivery.payload

    (record,) = messages(stack)
    assert record["requestContext"]["condition"] == "RetriesExhausted"
    assert record["requestContext"]["approximateInvokeCount"] == 3
    assert record["requestPayload"] == delivery.event
    assert record["responsePayload"]["errorType"] == "StateMachineDoesNotExist"
    sfn, lam = stack.client("stepfunctions"), stack.client("lambda")
    assert sfn.list_executions(stateMachineArn=stack.state_machine_arn)["executions"] == []
    assert stack.client("s3").head_object(Bucket=stack.uploads_bucket, Key=key)["ContentLength"] > 0

    # the operator fixes the cause, then replays
    function = stack.function_name("start_execution")
    variables = lam.get_function_configuration(FunctionName=function)["Environment"]["Variables"]
    lam.update_function_configuration(FunctionName=function, Environment={"Variables": {
        **variables, "STATE_MACHINE_ARN": stack.state_machine_arn}})
    said = []
    report = replay.replay(stack.client("sqs"), stack.dead_letter_queue_url, replay.lambda_invoker(lam, function),
                           say=said.append)
    assert report.replayed == [f"s3://{stack.uploads_bucket}/{key}"], said
    assert (report.failed, report.unreadable) == ([], [])
    (execution,) = sfn.list_executions(stateMachineArn=stack.state_machine_arn)["executions"]
    description = settle(stack, execution["executionArn"], timeout=60)
    assert description["status"] == "SUCCEEDED", description
    assert [m["To"] for m in stack.mails()] == ["uploader@example.com"] * 2
    assert queued(stack) == 0, "a replayed message is deleted"
    assert replay.replay(stack.client("sqs"), stack.dead_letter_queue_url, replay.lambda_invoker(lam, function),
                         say=said.append).replayed == []


def test_a_start_that_still_fails_keeps_its_message(stack, tmp_path):
    key = stack.upload_gif(make_gif(tmp_path / "dog.gif"), email="uploader@example.com", style="udnie")
    delivery = next(d for d in reversed(s3_events.DELIVERIES) if d.event["detail"]["object"]["key"] == key)
    assert delivery.done.wait(30) and delivery.dead_lettered
    lam = stack.client("lambda")
    report = replay.replay(stack.client("sqs"), stack.dead_letter_queue_url,
                           replay.lambda_invoker(lam, stack.function_name("start_execution")), say=lambda _: None)
    assert report.replayed == [] and len(report.failed) == 1
    assert "StateMachineDoesNotExist" in report.failed[0]
    assert queued(stack) == 1, "nothing is lost when a replay fails again (hidden for a while, not deleted)"


def test_an_event_for_a_missing_function_goes_to_the_queue_as_it_is(stack, tmp_path):
    """EventBridge could not deliver at all: the rule target's dead-letter queue holds the event itself."""
    (route,) = stack.runtime.upload_routes
    route.function_name = "nst-no-such-function"
    key = stack.upload_gif(make_gif(tmp_path / "owl.gif"), email="uploader@example.com", style="udnie")
    delivery = next(d for d in reversed(s3_events.DELIVERIES) if d.event["detail"]["object"]["key"] == key)
    assert delivery.done.wait(30) and delivery.dead_lettered
    assert messages(stack) == [delivery.event]
    assert replay.upload_event(json.dumps(delivery.event)) == delivery.event
