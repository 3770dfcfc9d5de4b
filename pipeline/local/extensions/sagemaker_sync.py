"""Step Functions: the SageMaker service integration `arn:aws:states:::sagemaker:createProcessingJob[.sync]`.

moto lists "sagemaker" as unsupported (`.sync` fails with States.Runtime, which Catch cannot handle). This
integration behaves as AWS documents for `.sync` ("Run a Job"): call CreateProcessingJob, then poll
DescribeProcessingJob until the job is Completed, Failed or Stopped.

- Completed: the task's result is the DescribeProcessingJob response (timestamps as epoch milliseconds, as
  Step Functions renders them).
- Failed / Stopped: the task fails with error `States.TaskFailed` and the DescribeProcessingJob response as
  JSON in Cause (so `FailureReason` is inside it). This is what AWS does for the SageMaker `.sync` pattern
  (moto's Glue `.sync` integration mirrors the same AWS behaviour); it is not `SageMaker.AmazonSageMakerException`,
  which AWS reports only when an API call itself fails.
- An API call that fails (e.g. no capacity): error `SageMaker.<Code>Exception` — `ResourceLimitExceeded` becomes
  `SageMaker.ResourceLimitExceededException`, the name AWS's guide retries on — and for codes SageMaker's SDK
  does not model (ValidationException) `SageMaker.AmazonSageMakerException`; Cause as AWS formats it.
"""
from __future__ import annotations

import datetime
from typing import Any, Callable

from botocore.exceptions import ClientError
from moto.stepfunctions.parser.api import HistoryEventType, TaskFailedEventDetails
from moto.stepfunctions.parser.asl.component.common.error_name.custom_error_name import CustomErrorName
from moto.stepfunctions.parser.asl.component.common.error_name.failure_event import (
    FailureEvent, FailureEventException)
from moto.stepfunctions.parser.asl.component.common.error_name.states_error_name import StatesErrorName
from moto.stepfunctions.parser.asl.component.common.error_name.states_error_name_type import StatesErrorNameType
from moto.stepfunctions.parser.asl.component.state.exec.state_task import state_task_factory
from moto.stepfunctions.parser.asl.component.state.exec.state_task.service.resource import ResourceCondition
from moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service_callback import \
    StateTaskServiceCallback
from moto.stepfunctions.parser.asl.eval.event.event_detail import EventDetails
from moto.stepfunctions.parser.asl.utils.boto_client import boto_client_for
from moto.stepfunctions.parser.asl.utils.encoding import to_json_str

from . import PatchSet, retry_sleep

SUPPORTED_ACTIONS = {"createProcessingJob"}
TERMINAL_STATUSES = {"Completed", "Failed", "Stopped"}
# Error codes that SageMaker's SDK models as their own exception class; others surface as AmazonSageMakerException.
MODELLED_ERRORS = {"ResourceLimitExceeded", "ResourceInUse", "ResourceNotFound", "ConflictException"}


def epoch_millis(value: Any) -> Any:
    """Step Functions renders SDK timestamps as epoch milliseconds; recurse through the response."""
    if isinstance(value, datetime.datetime):
        return int(value.timestamp() * 1000)
    if isinstance(value, dict):
        return {k: epoch_millis(v) for k, v in value.items()}
    if isinstance(value, list):
        return [epoch_millis(v) for v in value]
    return value


def error_name_for(code: str) -> str:
    if code not in MODELLED_ERRORS:
        return "SageMaker.AmazonSageMakerException"
    return f"SageMaker.{code}" if code.endswith("Exception") else f"SageMaker.{code}Exception"


class StateTaskServiceSageMaker(StateTaskServiceCallback):
    def __init__(self):
        # AWS supports both patterns for SageMaker; listing WaitForTaskToken also matters to moto's base class,
        # which only creates the callback endpoint its `.sync` code path relies on when the pattern is listed.
        super().__init__(supported_integration_patterns={ResourceCondition.Sync, ResourceCondition.WaitForTaskToken})

    def _validate_service_integration_is_supported(self):
        if self.resource.api_action not in SUPPORTED_ACTIONS:
            raise ValueError(f"The local runtime supports sagemaker:{sorted(SUPPORTED_ACTIONS)}, "
                             f"not {self.resource.resource_arn}")

    def _client(self, region: str, credentials: Any):
        return boto_client_for(service="sagemaker", region=region, state_credentials=credentials)

    def _eval_service_task(self, env, resource_runtime_part, normalised_parameters, state_credentials):
        client = self._client(resource_runtime_part.region, state_credentials)
        try:
            response = client.create_processing_job(**normalised_parameters)
        except ClientError as error:
            if error.response["Error"]["Code"] == "ResourceLimitExceeded":  # for the Retry: which job waits
                cluster = (normalised_parameters.get("ProcessingResources") or {}).get("ClusterConfig") or {}
                error.capacity_request = (cluster.get("InstanceType", ""), normalised_parameters["ProcessingJobName"],
                                          int(cluster.get("InstanceCount", 1)))
            raise
        response.pop("ResponseMetadata", None)
        env.stack.append(response)

    def _build_sync_resolver(self, env, resource_runtime_part, normalised_parameters,
                             state_credentials) -> Callable[[], Any]:
        env.stack.pop()  # CreateProcessingJob's response; the job is named in the parameters
        job_name = normalised_parameters["ProcessingJobName"]
        client = self._client(resource_runtime_part.region, state_credentials)

        def poll() -> Any:
            description = client.describe_processing_job(ProcessingJobName=job_name)
            description.pop("ResponseMetadata", None)
            if description["ProcessingJobStatus"] not in TERMINAL_STATUSES:
                return None  # the callback base class polls again after a short delay
            description = epoch_millis(description)
            if description["ProcessingJobStatus"] == "Completed":
                return description
            raise FailureEventException(self._task_failed(env, "States.TaskFailed", to_json_str(description),
                                                          StatesErrorName(typ=StatesErrorNameType.StatesTaskFailed)))

        return poll

    def _task_failed(self, env, error: str, cause: str, error_name) -> FailureEvent:
        return FailureEvent(
            env=env,
            error_name=error_name,
            event_type=HistoryEventType.TaskFailed,
            event_details=EventDetails(taskFailedEventDetails=TaskFailedEventDetails(
                error=error, cause=cause, resource=self._get_sfn_resource(),
                resourceType=self._get_sfn_resource_type())),
        )

    def _from_error(self, env, ex: Exception) -> FailureEvent:
        if isinstance(ex, ClientError):
            code = ex.response["Error"]["Code"]
            metadata = ex.response.get("ResponseMetadata", {})
            error = error_name_for(code)
            cause = (f"{ex.response['Error'].get('Message', '')} (Service: AmazonSageMaker; "
                     f"Status Code: {metadata.get('HTTPStatusCode', 400)}; Error Code: {code}; "
                     f"Request ID: {metadata.get('RequestId', '')}; Proxy: null)")
            failure = self._task_failed(env, error, cause, CustomErrorName(error))
            failure.capacity_request = getattr(ex, "capacity_request", None)
            return failure
        return super()._from_error(env=env, ex=ex)

    def _handle_retry(self, env, failure_event: FailureEvent):
        # The state runs in a thread of its own, the Retry in the execution's thread (this one): hand the refused
        # job to retry_sleep for exactly this Retry's sleep.
        request = getattr(failure_event, "capacity_request", None)
        if request is None:
            return super()._handle_retry(env, failure_event)
        retry_sleep.expect_capacity_wait(*request)
        try:
            return super()._handle_retry(env, failure_event)
        finally:
            retry_sleep.clear_capacity_wait()


def install(patches: PatchSet) -> None:
    # state_task_factory imported state_task_service_for by name, so the factory module's binding is the one
    # the parser calls; wrap it so every other service still gets moto's own integration.
    moto_factory = state_task_factory.state_task_service_for

    def state_task_service_for(service_name: str):
        if service_name == "sagemaker":
            return StateTaskServiceSageMaker()
        return moto_factory(service_name=service_name)

    patches.replace(state_task_factory, "state_task_service_for", state_task_service_for)
