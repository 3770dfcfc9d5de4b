"""nst replay: dead-lettered upload events (both shapes: the rule's DLQ holds the event, Lambda's on-failure
destination a record around it) go back to the real start_execution handler; a message goes only once its
upload has an execution, so a replay that fails again loses nothing."""
import copy
import json
import os
from pathlib import Path

os.environ.setdefault("POWERTOOLS_TRACE_DISABLED", "1")
os.environ.setdefault("POWERTOOLS_METRICS_NAMESPACE", "NeuralStyle")

import boto3
import pytest

from lambdas.start_execution import app as start_execution
from lambdas.start_execution.config import get_config
from pipeline.deploy import replay

EVENT = json.loads((Path(__file__).resolve().parents[1] / "events" / "eventbridge_object_created.json").read_text())
WAIT = json.dumps({"StartAt": "Wait", "States": {"Wait": {"Type": "Wait", "Seconds": 3600, "End": True}}})


def on_failure_record(event: dict) -> dict:
    """What Lambda's on-failure destination sends (its documented invocation record)."""
    return {"version": "1.0", "timestamp": "2026-12-01T10:00:00.000Z",
            "requestContext": {"requestId": "r-1", "functionArn": "arn:aws:lambda:us-east-1:123456789012:function:s",
                               "condition": "RetriesExhausted", "approximateInvokeCount": 3},
            "requestPayload": event, "responseContext": {"statusCode": 200, "functionError": "Unhandled"},
            "responsePayload": {"errorType": "ClientError", "errorMessage": "Rate exceeded"}}


def with_key(key: str) -> dict:
    event = copy.deepcopy(EVENT)
    event["detail"]["object"]["key"] = key
    return event


@pytest.fixture
def queue(mocked_aws, monkeypatch):
    sfn = boto3.client("stepfunctions")
    machine = sfn.create_state_machine(name="gif", definition=WAIT, roleArn="arn:aws:iam::123456789012:role/s")
    monkeypatch.setenv("STATE_MACHINE_ARN", machine["stateMachineArn"])
    monkeypatch.setenv("CONFIRM_URL", "https://confirm.lambda-url.us-east-1.on.aws/")
    get_config.cache_clear()
    sqs = boto3.client("sqs")
    url = sqs.create_queue(QueueName="dead-letters")["QueueUrl"]
    yield sqs, url, sfn, machine["stateMachineArn"]
    get_config.cache_clear()


def handler_invoke(event: dict) -> tuple[bool, str]:
    """The real handler in process, as `lambda_invoker` reports a deployed one."""
    try:
        answer = start_execution.handler(event, None)
    except Exception as error:
        return False, f"{type(error).__name__}: {error}"
    return True, answer["execution_name"]


def test_both_message_shapes_start_executions_and_failures_stay(queue):
    sqs, url, sfn, machine = queue
    bodies = [EVENT, on_failure_record(with_key("uploads/other.gif")), with_key("elsewhere/x.gif"),
              {"not": "an event"}]
    for body in bodies:
        sqs.send_message(QueueUrl=url, MessageBody=json.dumps(body))
    lines = []
    report = replay.replay(sqs, url, handler_invoke, say=lines.append)
    assert sorted(report.replayed) == sorted([replay.describe(EVENT), replay.describe(with_key("uploads/other.gif"))])
    assert len(report.failed) == 1 and "NotAnUpload" in report.failed[0] and len(report.unreadable) == 1
    assert len(sfn.list_executions(stateMachineArn=machine)["executions"]) == 2
    left = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages",
                                                                  "ApproximateNumberOfMessagesNotVisible"])
    assert sum(map(int, left["Attributes"].values())) == 2  # the failure and the unreadable one are kept


def test_replaying_twice_starts_nothing_new(queue):
    sqs, url, sfn, machine = queue
    start_execution.handler(EVENT, None)  # the first delivery did start it; only the report was lost
    sqs.send_message(QueueUrl=url, MessageBody=json.dumps(on_failure_record(EVENT)))
    report = replay.replay(sqs, url, handler_invoke)
    assert len(report.replayed) == 1 and not report.failed
    assert len(sfn.list_executions(stateMachineArn=machine)["executions"]) == 1


def test_dry_run_changes_nothing(queue):
    sqs, url, sfn, machine = queue
    sqs.send_message(QueueUrl=url, MessageBody=json.dumps(EVENT))
    report = replay.replay(sqs, url, lambda event: pytest.fail("dry run invoked"), dry_run=True)
    assert report.replayed == [replay.describe(EVENT)]
    assert sfn.list_executions(stateMachineArn=machine)["executions"] == []


def test_the_lambda_invoker_reads_function_errors():
    class Payload:
        def __init__(self, data):
            self.data = data

        def read(self):
            return self.data

    class FakeLambda:
        def __init__(self, response):
            self.response = response

        def invoke(self, **request):
            assert request["InvocationType"] == "RequestResponse" and json.loads(request["Payload"]) == EVENT
            return self.response

    failed = replay.lambda_invoker(FakeLambda({"FunctionError": "Unhandled", "Payload": Payload(
        b'{"errorType": "NotAnUpload", "errorMessage": "not under uploads/"}')}), "f")(EVENT)
    assert failed == (False, "NotAnUpload: not under uploads/")
    ok = replay.lambda_invoker(FakeLambda({"Payload": Payload(b'{"execution_name": "cat-1", "started": true}')}),
                               "f")(EVENT)
    assert ok == (True, "execution cat-1 started")


def test_the_command_refuses_a_stack_without_the_queue(mocked_aws, capsys):
    from pipeline.cli import main

    assert main(["replay", "--stack", "nope", "--region", "us-east-1"]) == 2
    assert "nst replay: no stack nope" in capsys.readouterr().err
