"""Our extension layer over moto: the AWS behaviour the pipeline needs and moto lacks.

One module per patched area; each exposes `install(patches)` and touches moto only through
`PatchSet.replace`, so `LocalMotoServer.stop()` can undo every patch (other tests in the same process may use
plain moto). Each patched attribute is pinned by tests/integration/test_moto_contracts.py.

| module | patches | why |
| --- | --- | --- |
| lambda_in_process | `awslambda.models.LambdaFunction.invoke` | run the real handler in process, no Docker |
| sagemaker_sync | `stepfunctions…state_task_factory.state_task_service_for` | `sagemaker:createProcessingJob(.sync)` |
| processing_jobs | `sagemaker.responses.SageMakerResponse.create_processing_job` | run the container locally, within the instance quota |
| retry_sleep | `stepfunctions…retry.retrier_decl.time` | Retry intervals at local speed; a capacity Retry waits for its instance |
| s3_events | `s3.models.S3Backend.put_object` | the S3 → EventBridge → Lambda hop |
| ses_mailbox | `ses.models.SESBackend.send_email`, `.send_raw_email` | mail to out/mail/*.eml |
| execution_output | `stepfunctions…backend.execution.BaseExecutionWorkerCommunication._reflect_execution_status` | DescribeExecution with timestamps in the output |
| cfn_state_machine | `stepfunctions.models.StateMachine.{create,update,delete}_from_cloudformation_json` | a stack's state machine gets its DefinitionSubstitutions and lands in the backend the API serves |
| task_callbacks | `stepfunctions.responses.StepFunctionResponse.send_task_failure`, `stepfunctions…callback.CallbackPoolManager.notify`/`.add`, `stepfunctions.parser.models.StepFunctionsParserBackend.send_task_*` | SendTaskFailure keeps its `cause`; a used token, or one of an execution that ended, answers TaskTimedOut (the callback pattern itself works in moto) |
"""
from __future__ import annotations

import logging
from typing import Any, Callable

_MISSING = object()


class PatchSet:
    """Replaces attributes and remembers the originals, so `restore()` puts moto back as it was."""

    def __init__(self) -> None:
        self._undo: list[Callable[[], None]] = []

    def replace(self, owner: Any, name: str, value: Any) -> Any:
        """Set owner.name = value; return the attribute it replaces (AttributeError if moto moved it)."""
        original = getattr(owner, name)  # fails loudly if moto renamed it
        own = vars(owner).get(name, _MISSING)

        def undo() -> None:
            if own is _MISSING:
                delattr(owner, name)
            else:
                setattr(owner, name, own)

        setattr(owner, name, value)
        self._undo.append(undo)
        return original

    def set_logger_level(self, name: str, level: int) -> None:
        logger = logging.getLogger(name)
        previous = logger.level
        logger.setLevel(level)
        self._undo.append(lambda: logger.setLevel(previous))

    def on_restore(self, undo: Callable[[], None]) -> None:
        """Run `undo` when the patches are restored (for state that is not an attribute)."""
        self._undo.append(undo)

    def restore(self) -> None:
        while self._undo:
            self._undo.pop()()


# moto.stepfunctions.parser logs an ERROR for every Fail state and every caught task failure: noise, since
# failures are expected outcomes of the pipeline (a bad GIF ends in a Fail state by design).
QUIET_LOGGERS = ("moto.stepfunctions.parser",)


def install_all(patches: PatchSet) -> None:
    from . import (cfn_state_machine, execution_output, lambda_in_process, processing_jobs, retry_sleep, s3_events,
                   sagemaker_sync, ses_mailbox, task_callbacks)

    for module in (lambda_in_process, sagemaker_sync, processing_jobs, retry_sleep, s3_events, ses_mailbox,
                   execution_output, cfn_state_machine, task_callbacks):
        module.install(patches)
    for name in QUIET_LOGGERS:
        patches.set_logger_level(name, logging.CRITICAL)
