"""Step Functions: DescribeExecution fails (HTTP 500) when an execution's output holds timestamps.

moto keeps the output as Python objects and `StepFunctionResponse.describe_execution` serialises it with plain
`json.dumps`, which rejects the datetimes that SDK integrations (S3 HeadObject, CopyObject, ...) put in results.
Step Functions itself holds JSON text, so the output is normalised once, when the execution ends, through the
parser's own encoder (datetimes as ISO 8601) — the wrapped method is where moto stores the output.
"""
from __future__ import annotations

import json

from moto.stepfunctions.parser.asl.utils.encoding import to_json_str
from moto.stepfunctions.parser.backend.execution import BaseExecutionWorkerCommunication

from . import PatchSet


def install(patches: PatchSet) -> None:
    moto_reflect = BaseExecutionWorkerCommunication._reflect_execution_status

    def reflect_execution_status(self: BaseExecutionWorkerCommunication) -> None:
        moto_reflect(self)
        if self.execution.output is not None and not isinstance(self.execution.output, str):
            self.execution.output = json.loads(to_json_str(self.execution.output))

    patches.replace(BaseExecutionWorkerCommunication, "_reflect_execution_status", reflect_execution_status)
