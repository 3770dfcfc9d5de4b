"""Confirm by link (issue 11, point 10) on the local stack: the committed state machine waits on AskToConfirm's
task token; confirm_upload, reached through the link in the first mail (the local function-URL route), answers
it. Nothing is painted before a POST of the page's form; a link that has expired or was used says so.

moto's parser runs the callback pattern itself (`.waitForTaskToken`, TimeoutSecondsPath → States.Timeout,
SendTaskSuccess, InvalidToken); our extension layer (task_callbacks) keeps SendTaskFailure's cause and answers a
used token with TaskTimedOut, as AWS does.
"""
import sys
import time

import pytest
from gif_fixtures import FAKE_CONTAINER, make_gif

from pipeline.executions import execution_history
from pipeline.local.confirm import confirm_link, follow, http_fetch
from pipeline.local.stack import LocalStack

LINK_SECONDS = 30  # the module's links; the expiry test shortens it


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    with LocalStack(tmp_path_factory.mktemp("confirm"), instant_retries=True, confirm_timeout_seconds=LINK_SECONDS,
                    processing_command=[sys.executable, str(FAKE_CONTAINER)]) as running:
        yield running


@pytest.fixture
def upload(stack, tmp_path):
    """upload() -> (execution ARN, upload key, its confirm mail)."""
    def run(name="cat.gif", style="the_scream"):
        key = stack.upload_gif(make_gif(tmp_path / name), email="uploader@example.com", style=style,
                               key=f"uploads/{tmp_path.name}/{name}")
        arn = stack.execution_for(key)
        return arn, key, stack.confirm_mail(arn, timeout=30)
    return run


def entered(stack, arn) -> list[str]:
    return [e["stateEnteredEventDetails"]["name"] for e in execution_history(stack.client("stepfunctions"), arn)
            if "stateEnteredEventDetails" in e]


def no_job_ran(stack, arn) -> bool:
    history = execution_history(stack.client("stepfunctions"), arn)
    scheduled = [e for e in history if e["type"] == "TaskScheduled"
                 and e["taskScheduledEventDetails"]["resourceType"] == "sagemaker"]
    return not scheduled and "StylizeGif" not in entered(stack, arn)


def test_confirming_by_the_link_runs_the_job(stack, upload):
    arn, key, mail = upload()
    assert "Confirm" in mail["Subject"] and "works for 30 seconds" in mail.get_body(("plain",)).get_content()
    visit = follow(confirm_link(mail))
    assert visit.question == "Paint cat.gif in The Scream?"
    assert (visit.status, visit.outcome) == (200, "Thank you: it is being painted"), visit
    description = stack.wait_for_execution(arn, timeout=60)
    assert description["status"] == "SUCCEEDED", description
    assert f"jobs/{description['name']}/stylized.gif" in stack.results()
    assert entered(stack, arn)[:4] == ["ValidateUpload", "ConfirmationRequired", "AskToConfirm", "InitCapacity"]


def test_opening_the_link_confirms_nothing_and_the_link_then_expires(stack, upload):
    lam = stack.client("lambda")
    starter = stack.function_name("start_execution")
    variables = lam.get_function_configuration(FunctionName=starter)["Environment"]["Variables"]
    lam.update_function_configuration(FunctionName=starter, Environment={"Variables": {
        **variables, "CONFIRM_TIMEOUT_SECONDS": "3"}})
    try:
        arn, key, mail = upload(name="scanned.gif")
    finally:
        lam.update_function_configuration(FunctionName=starter, Environment={"Variables": variables})
    link = confirm_link(mail)
    for _ in range(3):  # a mail scanner and a link preview fetch it; a person looks at it
        status, page = http_fetch("GET", link, None)
        assert status == 200 and "Paint scanned.gif in The Scream?" in page
    sfn = stack.client("stepfunctions")
    assert sfn.describe_execution(executionArn=arn)["status"] == "RUNNING"
    description = stack.wait_for_execution(arn, timeout=30)  # bounded: 3 s link + slack
    assert (description["status"], description["error"]) == ("FAILED", "NotConfirmed"), description
    assert "did not confirm" in description["cause"] and "upload is kept" in description["cause"]
    assert stack.client("s3").head_object(Bucket=stack.uploads_bucket, Key=key)["ContentLength"] > 0
    assert no_job_ran(stack, arn)
    assert not stack.client("sagemaker").list_processing_jobs(NameContains="scanned")["ProcessingJobSummaries"]
    late = follow(link)  # the page still asks; the answer says it is too late (AWS: TaskTimedOut, not InvalidToken)
    assert (late.status, late.outcome) == (410, "This link cannot be used"), late
    assert "expired" in late.text


def test_a_used_link_says_so_and_changes_nothing(stack, upload):
    arn, _, mail = upload(name="twice.gif")
    link = confirm_link(mail)
    assert follow(link).status == 200
    again = follow(link)
    # AWS answers TaskTimedOut for a closed task (moto accepted it again: task_callbacks fixes that)
    assert again.status == 410 and again.outcome == "This link cannot be used", again
    assert "expired or was already used" in again.text
    assert stack.wait_for_execution(arn, timeout=60)["status"] == "SUCCEEDED"


def test_a_link_used_after_the_painting_is_done_says_it_was_used(stack, upload):
    """The execution has ended, so moto's running executions no longer know the token (InvalidToken there);
    AWS answers TaskTimedOut for a closed task, and the page says so instead of calling the link broken."""
    arn, _, mail = upload(name="done.gif")
    link = confirm_link(mail)
    assert follow(link).status == 200
    assert stack.wait_for_execution(arn, timeout=60)["status"] == "SUCCEEDED"
    for answer in ("confirm", "decline"):  # SendTaskSuccess and SendTaskFailure alike
        late = follow(link, answer=answer)
        assert (late.status, late.outcome) == (410, "This link cannot be used"), late
    assert stack.client("stepfunctions").describe_execution(executionArn=arn)["status"] == "SUCCEEDED"


def test_not_me_cancels_without_painting(stack, upload):
    arn, key, mail = upload(name="notme.gif")
    visit = follow(confirm_link(mail), answer="decline")
    assert (visit.status, visit.outcome) == (200, "Cancelled"), visit
    description = stack.wait_for_execution(arn, timeout=30)
    assert (description["status"], description["error"]) == ("FAILED", "UploadDeclined"), description
    assert "Not me" in description["cause"]  # moto's SendTaskFailure keeps the cause (task_callbacks)
    assert no_job_ran(stack, arn)
    assert stack.client("s3").head_object(Bucket=stack.uploads_bucket, Key=key)


@pytest.mark.parametrize("query", ["", "?file=cat.gif", "?token="])
def test_a_link_without_its_token_is_refused_with_a_page(stack, query):
    status, page = http_fetch("GET", stack.confirm_url + query, None)
    assert status == 400 and "incomplete" in page and "<form" not in page


def test_a_forged_token_is_refused(stack):
    status, page = http_fetch("POST", stack.confirm_url, b"token=not-a-token&answer=confirm")
    assert status == 400 and "not valid" in page

