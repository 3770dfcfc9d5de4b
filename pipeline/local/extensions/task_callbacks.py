"""Step Functions' callback pattern where moto differs from AWS: a closed task's token, and SendTaskFailure's cause.

moto's parser backend runs the callback pattern (`.waitForTaskToken`, SendTaskSuccess, the state's timeout as
States.Timeout: checked in tests/integration/test_confirm_upload.py). Three gaps, fixed here:
- a token that was already answered is accepted again while its execution runs (moto overwrites the outcome);
  AWS answers TaskTimedOut ("the task associated with the token has already been closed"), and so does this;
- a token of an execution that has ended (timed out, succeeded, failed) gets InvalidToken from moto, which only
  searches running executions; AWS documents InvalidToken for a token it never issued and TaskTimedOut for one
  whose task "has either expired or ... has already been closed", so tokens moto issued are remembered and
  answered TaskTimedOut. (An uploader who clicks a link after the painting is done is told it was used, not
  that it is broken; the test suite's confirm-by-mail met exactly this race when a job ended first.)
- its SendTaskFailure response handler reads only `error` and drops `cause`, so the execution's failure would
  lose the reason confirm_upload gives when the uploader declines; the replacement passes both.
"""
from __future__ import annotations

from moto.core.responses import EmptyResult
from moto.stepfunctions.parser.api import InvalidToken
from moto.stepfunctions.parser.api import TaskTimedOut as MotoTaskTimedOut
from moto.stepfunctions.parser.asl.eval.callback.callback import CallbackPoolManager
from moto.stepfunctions.parser.models import StepFunctionsParserBackend
from moto.stepfunctions.responses import StepFunctionResponse

from . import PatchSet


class TaskTimedOut(MotoTaskTimedOut):
    """moto's TaskTimedOut lacks the TYPE its JSON error needs, so it would reach the client with an empty code."""

    TYPE = "TaskTimedOut"


def send_task_failure(self: StepFunctionResponse) -> EmptyResult:
    self.stepfunction_backend.send_task_failure(self._get_param("taskToken"), error=self._get_param("error"),
                                                cause=self._get_param("cause"))
    return EmptyResult()


def install(patches: PatchSet) -> None:
    patches.replace(StepFunctionResponse, "send_task_failure", send_task_failure)
    moto_notify = CallbackPoolManager.notify

    def notify(self: CallbackPoolManager, callback_id, outcome) -> bool:
        endpoint = self.get(callback_id)
        if endpoint is not None and endpoint.get_outcome() is not None:
            raise TaskTimedOut("Task Timed Out: the task associated with the token has already been closed")
        return moto_notify(self, callback_id, outcome)

    patches.replace(CallbackPoolManager, "notify", notify)

    issued: set[str] = set()  # every token this server handed out; a few dozen bytes each, for its lifetime
    moto_add = CallbackPoolManager.add

    def add(self: CallbackPoolManager, callback_id):
        endpoint = moto_add(self, callback_id)
        issued.add(callback_id)
        return endpoint

    patches.replace(CallbackPoolManager, "add", add)
    for action in ("send_task_success", "send_task_failure", "send_task_heartbeat"):
        patches.replace(StepFunctionsParserBackend, action,
                        _closed_task_timed_out(getattr(StepFunctionsParserBackend, action), issued))


def _closed_task_timed_out(moto_action, issued: set[str]):
    """moto_action, answering TaskTimedOut instead of InvalidToken for a token that was issued."""

    def action(self, task_token, *args, **kwargs):
        try:
            return moto_action(self, task_token, *args, **kwargs)
        except InvalidToken:
            if task_token in issued:
                raise TaskTimedOut("Task Timed Out: the task associated with the token has already been closed"
                                   ) from None
            raise

    action.__name__ = moto_action.__name__
    return action
