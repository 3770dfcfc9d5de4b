"""Step Functions: SendTaskFailure keeps its `cause`, as AWS does.

moto's parser backend runs the callback pattern (`.waitForTaskToken`, SendTaskSuccess, the state's timeout as
States.Timeout, InvalidToken for a token it does not hold: checked in tests/integration/test_confirm_upload.py),
but its SendTaskFailure response handler reads only `error` and drops `cause`, so the execution's failure would
lose the reason confirm_upload gives when the uploader declines. The replacement passes both.
"""
from __future__ import annotations

from moto.core.responses import EmptyResult
from moto.stepfunctions.responses import StepFunctionResponse

from . import PatchSet


def send_task_failure(self: StepFunctionResponse) -> EmptyResult:
    self.stepfunction_backend.send_task_failure(self._get_param("taskToken"), error=self._get_param("error"),
                                                cause=self._get_param("cause"))
    return EmptyResult()


def install(patches: PatchSet) -> None:
    patches.replace(StepFunctionResponse, "send_task_failure", send_task_failure)
