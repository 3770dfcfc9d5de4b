"""With confirmation off (deploy parameter ConfirmUploads=false, here LocalStack(confirm_uploads=False)) the first
mail is the plain "received" one and the job runs at once. A module of its own: one local server per process."""
import sys

from gif_fixtures import FAKE_CONTAINER, make_gif

from pipeline.executions import execution_history
from pipeline.local.stack import LocalStack


def test_with_confirmation_off_the_job_runs_after_the_received_mail(tmp_path):
    with LocalStack(tmp_path, instant_retries=True, confirm_uploads=False,
                    processing_command=[sys.executable, str(FAKE_CONTAINER)]) as stack:
        key = stack.upload_gif(make_gif(tmp_path / "own.gif"), email="me@example.com", style="udnie")
        description = stack.wait_for_execution(stack.execution_for(key), timeout=60)
        assert description["status"] == "SUCCEEDED", description
        first = stack.mails()[0]
        assert "token=" not in first.get_body(("plain",)).get_content()
        entered = [e["stateEnteredEventDetails"]["name"] for e in execution_history(
            stack.client("stepfunctions"), description["executionArn"]) if "stateEnteredEventDetails" in e]
        assert "SendReceivedEmail" in entered and "AskToConfirm" not in entered
