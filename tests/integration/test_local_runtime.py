"""The local runtime's extensions, exercised through moto in server mode with fixture handlers and ASL."""
import email
import json
import time
import uuid
from email import policy

import pytest

from pipeline.executions import execution_history, state_runs, wait_for_execution
from pipeline.local import resources
from pipeline.local.extensions import s3_events
from pipeline.local.settings import UploadRoute

ROLE = "arn:aws:iam::123456789012:role/nst-local-pipeline"
BUCKET = "nst-fixture-bucket"


@pytest.fixture(scope="module")
def stack(server, aws):
    """A role, a bucket, the fixture functions."""
    role = resources.create_role(aws("iam"))
    aws("s3").create_bucket(Bucket=BUCKET)
    aws("sesv2").create_email_identity(EmailIdentity="pipeline@example.com")
    functions = {}
    for name in ("echo", "reject", "start_execution", "send_mail"):
        functions[name] = resources.create_function(
            aws("lambda"), role, f"fixture-{name}", f"nst_fixture_lambdas.handlers.{name}",
            {"GREETING": "hello from the function config", "SENDER": "pipeline@example.com"})
    return {"role": role, "functions": functions}


def run_machine(aws, stack, definition: dict, execution_input: dict | None = None, timeout: float = 30) -> dict:
    sfn = aws("stepfunctions")
    arn = resources.create_state_machine(sfn, stack["role"], f"m-{uuid.uuid4().hex[:12]}", json.dumps(definition))
    execution = sfn.start_execution(stateMachineArn=arn, name=uuid.uuid4().hex, input=json.dumps(execution_input or {}))
    return wait_for_execution(sfn, execution["executionArn"], timeout=timeout)


def task(resource: str, **fields) -> dict:
    return {"Type": "Task", "Resource": resource, **fields}


def test_lambda_runs_the_real_handler_with_its_environment_and_context(aws, stack, server):
    response = aws("lambda").invoke(FunctionName="fixture-echo", Payload=json.dumps({"n": 1}))
    payload = json.loads(response["Payload"].read())
    assert "FunctionError" not in response
    assert payload["event"] == {"n": 1}
    assert payload["greeting"] == "hello from the function config"
    assert payload["function_name"] == "fixture-echo"
    assert payload["remaining_ms"] > 0 and payload["request_id"]
    assert payload["endpoint"] == server.endpoint_url


def test_lambda_exception_comes_back_in_lambdas_error_shape(aws, stack):
    response = aws("lambda").invoke(FunctionName="fixture-reject", Payload=json.dumps({"key": "a.png"}))
    payload = json.loads(response["Payload"].read())
    assert response["FunctionError"] == "Unhandled"
    assert payload["errorType"] == "GifRejected"
    assert payload["errorMessage"] == "not a GIF: a.png"
    assert isinstance(payload["stackTrace"], list)


@pytest.mark.parametrize("resource_form", ["function_arn", "lambda_invoke"])
def test_catch_matches_the_handlers_exception_class_name(aws, stack, resource_form):
    if resource_form == "function_arn":
        rejecting = task(stack["functions"]["reject"])
    else:
        rejecting = task("arn:aws:states:::lambda:invoke",
                         Parameters={"FunctionName": stack["functions"]["reject"], "Payload.$": "$"})
    rejecting["Catch"] = [{"ErrorEquals": ["GifRejected"], "ResultPath": "$.error", "Next": "Rejected"},
                          {"ErrorEquals": ["States.ALL"], "Next": "Wrong"}]
    rejecting["End"] = True
    definition = {"StartAt": "Validate", "States": {
        "Validate": rejecting, "Rejected": {"Type": "Pass", "End": True},
        "Wrong": {"Type": "Fail", "Error": "WrongCatcher"}}}
    description = run_machine(aws, stack, definition, {"key": "a.png"})
    assert description["status"] == "SUCCEEDED", description
    error = json.loads(description["output"])["error"]
    assert error["Error"] == "GifRejected"
    assert json.loads(error["Cause"])["errorMessage"] == "not a GIF: a.png"


def test_retry_intervals_are_instant_in_tests(aws, stack):
    rejecting = task(stack["functions"]["reject"], End=True,
                     Retry=[{"ErrorEquals": ["GifRejected"], "IntervalSeconds": 3600, "MaxAttempts": 2}])
    started = time.monotonic()
    description = run_machine(aws, stack, {"StartAt": "Validate", "States": {"Validate": rejecting}})
    assert description["status"] == "FAILED" and description["error"] == "GifRejected"
    assert time.monotonic() - started < 10
    history = execution_history(aws("stepfunctions"), description["executionArn"])
    assert sum(e["type"] == "LambdaFunctionFailed" for e in history) == 3  # first try + 2 retries


def test_describe_execution_survives_timestamps_in_the_output(aws, stack):
    aws("s3").put_object(Bucket=BUCKET, Key="notes/a.txt", Body=b"x")
    head = task("arn:aws:states:::aws-sdk:s3:headObject", End=True,
                Parameters={"Bucket": BUCKET, "Key": "notes/a.txt"})
    description = run_machine(aws, stack, {"StartAt": "Head", "States": {"Head": head}})
    assert description["status"] == "SUCCEEDED"
    assert isinstance(json.loads(description["output"])["LastModified"], str)


def test_mail_sent_through_ses_lands_in_the_mail_folder_with_both_parts(aws, stack, server):
    before = set(server.runtime.mail_dir.glob("*.eml")) if server.runtime.mail_dir.exists() else set()
    response = aws("lambda").invoke(FunctionName="fixture-send_mail",
                                    Payload=json.dumps({"to": "uploader@example.com", "subject": "Your GIF"}))
    assert "FunctionError" not in response, response["Payload"].read()
    new = sorted(set(server.runtime.mail_dir.glob("*.eml")) - before)
    assert len(new) == 1
    message = email.message_from_bytes(new[0].read_bytes(), policy=policy.default)
    assert message["To"] == "uploader@example.com" and message["Subject"] == "Your GIF"
    assert message.get_body(("plain",)).get_content().strip() == "plain words"
    assert message.get_body(("html",)).get_content().strip() == "<p>rich words</p>"


def test_raw_mail_is_written_as_sent(aws, stack, server):
    raw = (b"From: pipeline@example.com\r\nTo: someone@example.com\r\nSubject: raw one\r\n"
           b"Content-Type: text/plain\r\n\r\nbody text\r\n")
    before = set(server.runtime.mail_dir.glob("*.eml")) if server.runtime.mail_dir.exists() else set()
    aws("ses").send_raw_email(Source="pipeline@example.com", RawMessage={"Data": raw})
    new = sorted(set(server.runtime.mail_dir.glob("*.eml")) - before)
    assert [p.read_bytes() for p in new] == [raw]


def test_unverified_sender_is_rejected_and_writes_nothing(aws, stack, server):
    before = set(server.runtime.mail_dir.glob("*.eml")) if server.runtime.mail_dir.exists() else set()
    with pytest.raises(aws("sesv2").exceptions.MessageRejected):
        aws("sesv2").send_email(FromEmailAddress="stranger@example.com",
                                Destination={"ToAddresses": ["a@example.com"]},
                                Content={"Simple": {"Subject": {"Data": "s"}, "Body": {"Text": {"Data": "t"}}}})
    after = set(server.runtime.mail_dir.glob("*.eml")) if server.runtime.mail_dir.exists() else set()
    assert after == before


def test_upload_event_starts_one_execution_even_when_delivered_twice(aws, stack, server):
    sfn = aws("stepfunctions")
    machine = resources.create_state_machine(sfn, stack["role"], "uploads-machine",
                                             json.dumps({"StartAt": "Done", "States": {"Done": {"Type": "Succeed"}}}))
    aws("lambda").update_function_configuration(
        FunctionName="fixture-start_execution", Environment={"Variables": {"STATE_MACHINE_ARN": machine}})
    server.runtime.upload_routes.append(UploadRoute(BUCKET, "uploads/", "fixture-start_execution"))
    try:
        first_count = len(s3_events.DELIVERIES)
        aws("s3").put_object(Bucket=BUCKET, Key="elsewhere/a.gif", Body=b"GIF89a")  # outside the route
        aws("s3").put_object(Bucket=BUCKET, Key="uploads/my cat.gif", Body=b"GIF89a")
        assert len(s3_events.DELIVERIES) == first_count + 1
        delivery = s3_events.DELIVERIES[-1]
        assert delivery.done.wait(10) and not delivery.errored, delivery.payload
        event = delivery.event
        assert event["detail-type"] == "Object Created" and event["source"] == "aws.s3"
        assert event["detail"]["object"]["key"] == "uploads/my+cat.gif"
        assert event["detail"]["object"]["size"] == 6
        again = s3_events.redeliver(event)
        assert again.done.wait(10) and not again.errored, again.payload
        assert delivery.payload["started"] and not again.payload["started"]
        assert again.payload["name"] == delivery.payload["name"]
        executions = sfn.list_executions(stateMachineArn=machine)["executions"]
        assert len(executions) == 1
        started = wait_for_execution(sfn, executions[0]["executionArn"])
        assert json.loads(started["input"]) == {"bucket": BUCKET, "key": "uploads/my cat.gif"}
    finally:
        server.runtime.upload_routes.clear()


def test_state_runs_fold_the_history_into_states(aws, stack):
    rejecting = task(stack["functions"]["reject"], Next="Never",
                     Retry=[{"ErrorEquals": ["GifRejected"], "MaxAttempts": 1}],
                     Catch=[{"ErrorEquals": ["States.ALL"], "Next": "Explain"}])
    definition = {"StartAt": "Validate", "States": {
        "Validate": rejecting, "Never": {"Type": "Succeed"},
        "Explain": {"Type": "Fail", "Error": "Rejected", "Cause": "not a GIF"}}}
    description = run_machine(aws, stack, definition, {"key": "b.png"})
    runs = state_runs(execution_history(aws("stepfunctions"), description["executionArn"]))
    assert [r.name for r in runs] == ["Validate", "Explain", "(execution)"]
    assert runs[0].error == "GifRejected" and runs[0].retries == 1 and runs[0].duration_s is not None
    assert runs[-1].error == "Rejected"
