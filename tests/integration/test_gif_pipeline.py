"""The issue's scenarios, end to end on the local stack: the committed state machine, the real Lambda handlers,
the SES mail, and a fake container in place of the stylizer (test_gif_pipeline_stylizer.py runs the real one).

Limits are lowered for the module (NST_MAX_*), so tiny generated GIFs can cross each of them.
"""
import sys

import pytest
from gif_fixtures import FAKE_CONTAINER, make_gif

from pipeline.executions import execution_history
from pipeline.local.extensions import s3_events
from pipeline.local.stack import LocalStack

LIMITS = {"NST_MAX_FRAMES": "10", "NST_MAX_DURATION_MS": "5000", "NST_MAX_SCREEN_PIXELS": str(100 * 100)}


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    out = tmp_path_factory.mktemp("pipeline-out")
    with LocalStack(out, instant_retries=True, processing_command=[sys.executable, str(FAKE_CONTAINER)],
                    function_env={"validate_upload": LIMITS, "explain_failure": LIMITS}) as running:
        yield running


@pytest.fixture
def run(stack, tmp_path, settle):
    """upload(name, email, style, **gif) -> (description, mails sent by this execution, history)."""
    def upload(name="cat.gif", email="uploader@example.com", style="starry_night", data=None, **gif):
        path = tmp_path / name
        if data is not None:
            path.write_bytes(data)
        else:
            make_gif(path, **gif)
        before = len(stack.mails())
        key = stack.upload_gif(path, email=email, style=style, key=f"uploads/{tmp_path.name}/{name}")
        arn = stack.execution_for(key)
        description = settle(stack, arn, timeout=60)
        return description, stack.mails()[before:], execution_history(stack.client("stepfunctions"), arn)
    return upload


def test_happy_path_publishes_the_result_and_mails_received_then_ready(stack, run):
    description, mails, _ = run()
    assert description["status"] == "SUCCEEDED", description
    name = description["name"]
    assert {f"jobs/{name}/stylized.gif", f"jobs/{name}/metrics.json"} <= set(stack.results())
    assert [m["To"] for m in mails] == ["uploader@example.com"] * 2
    assert "got your GIF" in mails[0]["Subject"] and "ready" in mails[1]["Subject"]


@pytest.mark.parametrize("case, gif, error", [
    ("not a GIF", {"data": b"\x89PNG\r\n\x1a\n" + b"\0" * 64}, "InvalidGif"),
    ("truncated", {"truncate": True}, "InvalidGif"),
    ("too many frames", {"frames": 12, "duration_ms": 20}, "GifTooLarge"),
    ("too long", {"frames": 3, "duration_ms": 3000}, "GifTooLarge"),
    ("screen too large", {"size": (200, 150)}, "GifTooLarge"),
])
def test_invalid_gifs_are_rejected_with_a_mail_saying_why(stack, run, tmp_path, case, gif, error):
    if gif.pop("truncate", False):
        gif["data"] = make_gif(tmp_path / "whole.gif", frames=3).read_bytes()[:-40]
    description, mails, history = run(**gif)
    assert description["status"] == "FAILED"
    assert description["error"] == error, description
    assert not any(e["type"] == "TaskSubmitted" for e in history), "no processing job for a rejected upload"
    assert len(mails) == 1 and mails[0]["To"] == "uploader@example.com"
    assert description["cause"] in mails[0].get_body(("plain",)).get_content()


def test_unknown_style_is_rejected(stack, run):
    description, mails, _ = run(style="no_such_painting")
    assert (description["status"], description["error"]) == ("FAILED", "UnknownStyle")
    assert len(mails) == 1


@pytest.mark.parametrize("email", [None, "not-an-address"])
def test_missing_or_malformed_email_is_rejected_without_mail(stack, run, email):
    description, mails, _ = run(email=email)
    assert (description["status"], description["error"]) == ("FAILED", "InvalidEmail")
    assert mails == []


def test_capacity_error_that_clears_is_retried(stack, run):
    stack.runtime.processing_faults.clear()
    stack.runtime.processing_faults.refuse_next(2)
    description, _, history = run()
    assert description["status"] == "SUCCEEDED", description
    failures = [e["taskFailedEventDetails"]["error"] for e in history if e["type"] == "TaskFailed"]
    assert failures == ["SageMaker.ResourceLimitExceededException"] * 2


def test_capacity_that_never_clears_ends_in_no_capacity_with_a_mail(stack, run):
    faults = stack.runtime.processing_faults
    faults.clear()
    faults.refuse_always = True
    try:
        description, mails, history = run()
        refused = faults.refused
    finally:
        faults.clear()
    assert (description["status"], description["error"]) == ("FAILED", "NoCapacity")
    assert refused == 2 * 4  # two instance types, each the first try and 3 retries
    assert [e["stateEnteredEventDetails"]["name"] for e in history if e["type"] == "TaskStateEntered"
            ].count("StylizeGif") == 2
    assert len(mails) == 2 and "waiting for a free GPU" in mails[1]["Subject"]


def test_stylizer_crash_fails_the_job_with_an_apology(stack, run):
    stack.runtime.processing_command = [sys.executable, str(FAKE_CONTAINER), "--mode", "crash"]
    try:
        description, mails, _ = run()
    finally:
        stack.runtime.processing_command = [sys.executable, str(FAKE_CONTAINER)]
    assert len(mails) == 2 and "failed" in mails[1]["Subject"]
    assert "AlgorithmError: process exited with status 1" in mails[1].get_body(("plain",)).get_content()
    assert (description["status"], description["error"]) == ("FAILED", "StylizerFailed"), description
    assert "AlgorithmError: process exited with status 1" in description["cause"]


def test_duplicate_s3_event_starts_one_execution(stack, run):
    description, _, _ = run()
    delivery = next(d for d in reversed(s3_events.DELIVERIES) if d.payload.get("execution_name") == description["name"])
    again = s3_events.redeliver(delivery.event)
    assert again.done.wait(10) and not again.errored, again.payload
    assert again.payload["started"] is False
    names = [e["name"] for e in stack.client("stepfunctions").list_executions(
        stateMachineArn=stack.state_machine_arn)["executions"]]
    assert names.count(description["name"]) == 1


def test_executions_command_shows_the_states_and_the_failure(stack, run, capsys):
    from pipeline.cli import main

    description, _, _ = run(style="no_such_painting")
    assert main(["executions", "--endpoint", stack.endpoint_url, "list"]) == 0
    assert description["name"] in capsys.readouterr().out
    assert main(["executions", "--endpoint", stack.endpoint_url, "show", description["name"]]) == 0
    shown = capsys.readouterr().out
    for state in ("ValidateUpload", "ExplainRejection", "NotifyInvalidInput", "RejectUpload"):
        assert state in shown
    assert "UnknownStyle" in shown and "failed: UnknownStyle" in shown
