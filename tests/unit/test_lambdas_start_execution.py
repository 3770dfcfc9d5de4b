"""start_execution: EventBridge S3 event → one execution, named from bucket/key/ETag; duplicates start nothing."""
import json
import os
from pathlib import Path

os.environ.setdefault("POWERTOOLS_TRACE_DISABLED", "1")
os.environ.setdefault("POWERTOOLS_METRICS_NAMESPACE", "NeuralStyle")

import boto3
import pytest
from moto import mock_aws

from lambdas.shared import naming
from lambdas.start_execution import app
from lambdas.start_execution.config import get_config
from lambdas.start_execution.exceptions import NotAnUpload

EVENTS = Path(__file__).resolve().parents[1] / "events"
CONFIRM_URL = "https://abc.lambda-url.us-east-1.on.aws/"
PASS_MACHINE = json.dumps({"StartAt": "Wait", "States": {"Wait": {"Type": "Wait", "Seconds": 3600, "End": True}}})


@pytest.fixture
def machine(monkeypatch):
    for name, value in {"AWS_DEFAULT_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "testing",
                        "AWS_SECRET_ACCESS_KEY": "testing", "INSTANCE_TYPES": "ml.g4dn.xlarge,ml.p2.xlarge",
                        "STYLE_SIZE": "256", "STYLE_ITERATIONS": "50",
                        "CONFIRM_URL": CONFIRM_URL, "CONFIRM_TIMEOUT_SECONDS": "600"}.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        sfn = boto3.client("stepfunctions")
        arn = sfn.create_state_machine(name="gif-pipeline", definition=PASS_MACHINE,
                                       roleArn="arn:aws:iam::123456789012:role/sfn")["stateMachineArn"]
        monkeypatch.setenv("STATE_MACHINE_ARN", arn)
        get_config.cache_clear()
        yield sfn, arn
    get_config.cache_clear()


def event() -> dict:
    return json.loads((EVENTS / "eventbridge_object_created.json").read_text())


def test_starts_one_execution_with_plain_input(machine):
    sfn, arn = machine
    result = app.handler(event(), None)
    assert result["started"] is True
    (execution,) = sfn.list_executions(stateMachineArn=arn)["executions"]
    assert execution["name"] == result["execution_name"]
    payload = json.loads(sfn.describe_execution(executionArn=execution["executionArn"])["input"])
    assert payload == {
        "bucket": "nst-uploads", "key": "uploads/horse in motion.gif",  # URL-decoded
        "etag": "b21b84d653bb07b05b1e6b33684dc11b", "size": 9828,
        "instance_types": ["ml.g4dn.xlarge", "ml.p2.xlarge"], "settings": {"size": 256, "iterations": 50},
        "received_at": "2026-11-02T10:15:30+00:00",
        "confirm": {"required": True, "timeout_seconds": 600, "url": CONFIRM_URL}}


def test_unset_style_settings_are_the_stylizers_own_measured_defaults(machine, monkeypatch):
    from stylizer.settings import StyleSettings

    monkeypatch.delenv("STYLE_SIZE")
    monkeypatch.setenv("STYLE_ITERATIONS", "")  # an empty CloudFormation value is unset too
    get_config.cache_clear()
    sfn, arn = machine
    app.handler(event(), None)
    (execution,) = sfn.list_executions(stateMachineArn=arn)["executions"]
    payload = json.loads(sfn.describe_execution(executionArn=execution["executionArn"])["input"])
    gif = StyleSettings().for_gif()  # what the container paints when not told: 256 px, 40 steps
    assert payload["settings"] == {"size": gif.size, "iterations": gif.iterations} == {"size": 256, "iterations": 40}


def test_confirmation_can_be_turned_off_and_is_never_on_without_a_link(machine, monkeypatch):
    sfn, arn = machine
    monkeypatch.setenv("CONFIRM_UPLOADS", "false")
    monkeypatch.delenv("CONFIRM_URL")
    get_config.cache_clear()
    started = app.handler(event(), None)
    payload = json.loads(sfn.describe_execution(executionArn=started["execution_arn"])["input"])
    assert payload["confirm"]["required"] is False
    monkeypatch.setenv("CONFIRM_UPLOADS", "true")  # on without a URL: refuse to start rather than skip it
    get_config.cache_clear()
    with pytest.raises(ValueError, match="CONFIRM_URL"):
        get_config()
    monkeypatch.setenv("CONFIRM_UPLOADS", "maybe")
    get_config.cache_clear()
    with pytest.raises(ValueError, match="true or false"):
        get_config()


def test_duplicate_event_while_running_is_the_same_execution(machine):
    # AWS (and moto) answer a same-name, same-input StartExecution of a running execution with that execution
    sfn, arn = machine
    first = app.handler(event(), None)
    second = app.handler(event(), None)
    assert second["execution_name"] == first["execution_name"]
    assert second.get("execution_arn", first["execution_arn"]) == first["execution_arn"]
    assert len(sfn.list_executions(stateMachineArn=arn)["executions"]) == 1


def test_duplicate_event_after_the_execution_ended_starts_nothing(machine):
    sfn, arn = machine
    first = app.handler(event(), None)
    sfn.stop_execution(executionArn=first["execution_arn"])  # closed: StartExecution → ExecutionAlreadyExists
    assert app.handler(event(), None) == {"execution_name": first["execution_name"], "started": False}
    assert len(sfn.list_executions(stateMachineArn=arn)["executions"]) == 1


def test_new_etag_is_a_new_execution(machine):
    sfn, arn = machine
    changed = event()
    changed["detail"]["object"]["etag"] = "ffffffffffffffffffffffffffffffff"
    assert app.handler(event(), None)["execution_name"] != app.handler(changed, None)["execution_name"]
    assert len(sfn.list_executions(stateMachineArn=arn)["executions"]) == 2


def test_key_outside_uploads_is_refused(machine):
    other = event()
    other["detail"]["object"]["key"] = "results/x.gif"
    with pytest.raises(NotAnUpload, match="not under uploads/"):
        app.handler(other, None)


@pytest.mark.parametrize("key", ["uploads/" + "ä very long name " * 10 + ".gif", "uploads/....gif",
                                 "uploads/a/b/c<>|.gif"])
def test_execution_name_is_valid_and_short(key):
    name = naming.execution_name("bucket", key, '"etag"')
    assert len(name) <= 80 and all(c.isascii() and (c.isalnum() or c in "-_") for c in name)
    assert name == naming.execution_name("bucket", key, "etag")  # quotes around the ETag do not matter
    job = naming.job_name_prefix(name) + "-9"
    assert len(job) <= 63 and all(c.isascii() and (c.isalnum() or c == "-") for c in job)


def test_distinct_uploads_get_distinct_names():
    names = {naming.execution_name(b, k, e) for b in ("b1", "b2") for k in ("uploads/x.gif", "uploads/y.gif")
             for e in ("e1", "e2")}
    assert len(names) == 8


def page_upload(identity: str, name: str) -> dict:
    changed = event()
    changed["detail"]["object"]["key"] = f"uploads/{identity}/{name}.gif"
    return changed


@pytest.fixture
def throttled(machine, monkeypatch):
    dynamodb = boto3.client("dynamodb")
    dynamodb.create_table(TableName="counters", BillingMode="PAY_PER_REQUEST",
                          AttributeDefinitions=[{"AttributeName": "identity_hour", "AttributeType": "S"}],
                          KeySchema=[{"AttributeName": "identity_hour", "KeyType": "HASH"}])
    monkeypatch.setenv("THROTTLE_TABLE", "counters")
    monkeypatch.setenv("UPLOADS_PER_HOUR", "2")
    get_config.cache_clear()
    return machine


def test_an_identity_over_its_hourly_uploads_starts_nothing(throttled):
    sfn, arn = throttled
    visitor, other = "us-east-1:11111111-2222-3333-4444-555555555555", "us-east-1:99999999-8888-7777-6666-555555555555"
    answers = [app.handler(page_upload(visitor, f"gif-{i}"), None) for i in range(3)]
    assert [a["started"] for a in answers] == [True, True, False] and answers[2]["throttled"] is True
    assert app.handler(page_upload(other, "gif-0"), None)["started"] is True  # counted per identity
    assert len(sfn.list_executions(stateMachineArn=arn)["executions"]) == 3


def test_operator_uploads_straight_under_the_prefix_are_not_throttled(throttled):
    sfn, arn = throttled
    for etag in ("e1", "e2", "e3"):
        changed = event()
        changed["detail"]["object"]["etag"] = etag
        assert app.handler(changed, None)["started"] is True


def test_the_counter_is_per_clock_hour_and_expires():
    from datetime import datetime, timezone

    from lambdas.start_execution import throttle

    calls = []

    class Table:
        def update_item(self, **request):
            calls.append(request)

    now = datetime(2026, 12, 1, 10, 59, tzinfo=timezone.utc)
    assert throttle.admit(Table(), "t", "id", 5, now)
    (request,) = calls
    assert request["Key"] == {"identity_hour": {"S": "id#2026-12-01T10"}}
    assert int(request["ExpressionAttributeValues"][":expires"]["N"]) == int(now.timestamp()) + 7200
    assert throttle.identity_of("uploads/abc/x.gif", "uploads/") == "abc"
    assert throttle.identity_of("uploads/x.gif", "uploads/") is None
