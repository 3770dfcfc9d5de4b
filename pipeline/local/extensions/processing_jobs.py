"""SageMaker: `CreateProcessingJob` starts the job as a local process (moto only records it as Completed).

The replaced response handler lets moto create its record, then sets it InProgress and runs
`pipeline.local.processing_runner` in a thread, which sets Completed or Failed (with FailureReason and
ExitMessage). moto's backend drops `Environment` and `ProcessingResources`, so they are read here from the
request and added to the record (DescribeProcessingJob returns them, as AWS does).

Capacity: a job is granted its instances by `RuntimeSettings.instance_quota` (per instance type, from
`ProcessingResources.ClusterConfig`) and gives them back when it ends; over the quota the call is refused with
`ResourceLimitExceeded` and SageMaker's message, which the Step Functions integration reports as
`SageMaker.ResourceLimitExceededException`. Fault injection (`RuntimeSettings.processing_faults`) refuses
calls the same way whatever the quota says. `PROVISIONING` is the other way a shortage shows on AWS: the job
is accepted and starts, then fails with FailureReason "CapacityError: ..." (no container runs).
"""
from __future__ import annotations

import json
import threading
from typing import Any

from moto.core.utils import utcnow
from moto.sagemaker.exceptions import SagemakerClientError
from moto.sagemaker.responses import SageMakerResponse

from .. import settings
from ..processing_runner import LocalProcessingRunner
from . import PatchSet

# The job's request fields the runner needs, as the API names them.
REQUEST_FIELDS = ("ProcessingJobName", "AppSpecification", "ProcessingInputs", "ProcessingOutputConfig",
                  "Environment", "StoppingCondition", "ProcessingResources")


CAPACITY_FAILURE = ("CapacityError: Unable to provision requested ML compute capacity. Please retry using a "
                    "different ML instance type.")


class ProvisioningFailures:
    """Jobs SageMaker accepts and then cannot provision: `fail_next(instance_type, n)` makes the next n jobs on
    that type end Failed with CAPACITY_FAILURE; `clear()` undoes it. Process-wide, like moto's backends."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._remaining: dict[str, int] = {}

    def fail_next(self, instance_type: str, count: int = 1) -> None:
        with self._lock:
            self._remaining[instance_type] = count

    def take(self, instance_type: str) -> bool:
        with self._lock:
            left = self._remaining.get(instance_type, 0)
            if left > 0:
                self._remaining[instance_type] = left - 1
            return left > 0

    def clear(self) -> None:
        with self._lock:
            self._remaining.clear()


PROVISIONING = ProvisioningFailures()


def cluster_of(request: dict) -> tuple[str, int]:
    cluster = (request.get("ProcessingResources") or {}).get("ClusterConfig") or {}
    return cluster.get("InstanceType", ""), int(cluster.get("InstanceCount", 1))


def run_job(job: Any, request: dict, runtime: settings.RuntimeSettings) -> None:
    try:
        _run(job, request, runtime)
    finally:
        runtime.instance_quota.release(*cluster_of(request))


def _run(job: Any, request: dict, runtime: settings.RuntimeSettings) -> None:
    if PROVISIONING.take(cluster_of(request)[0]):
        job.failure_reason = job.exit_message = CAPACITY_FAILURE
        job.processing_end_time = job.last_modified_time = utcnow()
        job.processing_job_status = "Failed"
        return
    try:
        runner = LocalProcessingRunner(runtime.endpoint_url, runtime.region, runtime.work_dir,
                                       runtime.processing_command, runtime.processing_env,
                                       runtime.on_processing_output)
        outcome = runner.run(request)
    except Exception as error:  # a bug of ours must still end the job, or the .sync task polls forever
        outcome_status, reason = "Failed", f"InternalServerError: local runner: {error!r}"[:1024]
    else:
        outcome_status, reason = outcome.status, outcome.failure_reason
    job.failure_reason = reason
    job.exit_message = reason
    job.processing_end_time = job.last_modified_time = utcnow()
    job.processing_job_status = outcome_status  # last: pollers act on the status


def install(patches: PatchSet) -> None:
    moto_create = SageMakerResponse.create_processing_job

    def create_processing_job(self: SageMakerResponse):
        runtime = settings.active()
        if runtime.processing_faults.take():
            raise SagemakerClientError(runtime.processing_faults.error_code, runtime.processing_faults.message)
        request = {name: self._get_param(name) for name in REQUEST_FIELDS}
        existing = self.sagemaker_backend.processing_jobs.get(request["ProcessingJobName"])
        if existing is not None:  # moto would silently replace it; SageMaker refuses
            raise SagemakerClientError("ValidationException", "Job name must be unique within an AWS account and "
                                       f"region, and a job with this name already exists ({existing.arn})")
        instance_type, count = cluster_of(request)
        refusal = runtime.instance_quota.acquire(instance_type, request["ProcessingJobName"], count)
        if refusal is not None:
            raise SagemakerClientError("ResourceLimitExceeded", refusal)
        try:
            result = moto_create(self)
        except BaseException:
            runtime.instance_quota.release(instance_type, count)
            raise
        job = self.sagemaker_backend.processing_jobs[request["ProcessingJobName"]]
        job.environment = request["Environment"]
        job.processing_resources = request["ProcessingResources"]
        job.processing_start_time = utcnow()
        job.processing_end_time = None  # moto's record says it ended at creation
        job.processing_job_status = "InProgress"
        threading.Thread(target=run_job, args=(job, json.loads(json.dumps(request)), runtime), daemon=True,
                         name=f"processing-{request['ProcessingJobName']}").start()
        return result

    patches.replace(SageMakerResponse, "create_processing_job", create_processing_job)
