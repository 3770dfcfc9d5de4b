"""Step Functions: the sleep between Retry attempts, at local speed and aware of the local instance quota.

moto's `RetrierDecl._eval_body` calls `time.sleep(interval)` through the `time` module it imported; that module
global is replaced by a stand-in whose `sleep` consults the active settings. Nothing else in retrier_decl uses
`time`. The ASL (and what deploys to AWS) is unchanged; locally:

- every interval is scaled by `RuntimeSettings.retry_interval_scale` (the capacity Retry's 60 s becomes 1 s),
  or skipped with `instant_retries`;
- when the attempt that failed was a CreateProcessingJob refused by the local quota (sagemaker_sync's
  `_handle_retry` names the job with `expect_capacity_wait` around the Retry's evaluation), the sleep also lasts
  until that job's turn for an instance (instance_quota.py). AWS frees capacity on its own clock and the
  ASL's long intervals wait for it; locally capacity frees exactly when a local job ends, so waiting for that
  moment lets a burst larger than the quota queue in arrival order on one Retry attempt each, instead of
  burning the attempts in seconds and ending in NoCapacity. Refusals injected by `processing_faults` (not the
  quota) are not queued, so they still exhaust the attempts and reach the Catch as in AWS.
"""
from __future__ import annotations

import threading
import time as real_time
from types import SimpleNamespace
from typing import Optional

from moto.stepfunctions.parser.asl.component.common.retry import retrier_decl

from .. import settings
from . import PatchSet

_pending = threading.local()  # the refused job whose Retry this execution thread is evaluating


def expect_capacity_wait(instance_type: str, job_name: str, count: int) -> None:
    _pending.job = (instance_type, job_name, count)


def clear_capacity_wait() -> None:
    _pending.job = None


def _take_pending() -> Optional[tuple[str, str, int]]:
    job, _pending.job = getattr(_pending, "job", None), None
    return job


def retry_sleep(seconds: float) -> None:
    runtime = settings.ACTIVE
    capacity_job = _take_pending()
    if runtime is None:
        real_time.sleep(seconds)
        return
    interval = 0.0 if runtime.instant_retries else seconds * runtime.retry_interval_scale
    if capacity_job is None:
        real_time.sleep(interval)
        return
    instance_type, job_name, count = capacity_job
    runtime.instance_quota.wait_for_turn(instance_type, job_name, count, at_least=interval,
                                         timeout=max(interval, runtime.capacity_wait_seconds))


def install(patches: PatchSet) -> None:
    patches.replace(retrier_decl, "time", SimpleNamespace(sleep=retry_sleep))
