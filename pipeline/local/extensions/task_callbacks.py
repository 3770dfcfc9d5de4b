"""Step Functions' callback pattern where moto differs from AWS: a used token, and SendTaskFailure's cause.

moto's parser backend runs the callback pattern (`.waitForTaskToken`, SendTaskSuccess, the state's timeout as
States.Timeout, InvalidToken for a token of an execution that ended: checked in
tests/integration/test_confirm_upload.py). Two gaps, fixed here:
- a token that was already answered is accepted again while its execution runs (moto overwrites the outcome);
  AWS answers TaskTimedOut ("the task associated with the token has already been closed"), and so does this;
- its SendTaskFailure response handler reads only `error` and drops `cause`, so the execution's failure would
  lose the reason confirm_upload gives when the uploader declines; the replacement passes both.
"""
from __future__ import annotations

from moto.core.responses import EmptyResult
from moto.stepfunctions.parser.api import TaskTimedOut as MotoTaskTimedOut
from moto.stepfunctions.parser.asl.eval.callback.callback import CallbackPoolManager
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
