"""Knobs of the local runtime, shared by the server and its extensions.

moto's backends are process-wide, so the runtime settings are too: one `RuntimeSettings` is active while a
`LocalMotoServer` runs (`ACTIVE`), and the extensions read it at call time.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

from .instance_quota import InstanceQuota

# (job name, one line of the container's stdout without its newline)
OutputCallback = Callable[[str, str], None]


@dataclass
class UploadRoute:
    """EventBridge rule stand-in: objects created under `prefix` in `bucket` invoke `function_name`
    asynchronously, with Lambda's `retries` for a failed invocation; an event that still fails goes to the SQS
    queue `on_failure_queue_url` (the function's on-failure destination / the rule target's dead-letter queue)."""

    bucket: str
    prefix: str
    function_name: str
    on_failure_queue_url: Optional[str] = None
    retries: int = 2  # Lambda's default MaximumRetryAttempts for asynchronous invocation


@dataclass
class ProcessingFaults:
    """Fault injection for `CreateProcessingJob`, the way SageMaker refuses work when instance quota is gone.

    `refuse_next(n)` makes the next n calls fail with ResourceLimitExceeded (capacity that clears);
    `refuse_always = True` keeps refusing (capacity that never clears).
    """

    refuse_always: bool = False
    error_code: str = "ResourceLimitExceeded"
    message: str = ("The account-level service limit 'ml.g4dn.xlarge for processing job usage' is 0 Instances, "
                    "with current utilization of 0 Instances and a request delta of 1 Instances.")
    _remaining: int = 0
    refused: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def refuse_next(self, count: int) -> None:
        with self._lock:
            self._remaining = count

    def take(self) -> bool:
        """True when this call must be refused (and counts it)."""
        with self._lock:
            if self.refuse_always or self._remaining > 0:
                self._remaining = max(0, self._remaining - 1)
                self.refused += 1
                return True
            return False

    def clear(self) -> None:
        with self._lock:
            self.refuse_always, self._remaining, self.refused = False, 0, 0


@dataclass
class RuntimeSettings:
    region: str = "us-east-1"
    endpoint_url: str = ""  # set by the server once it listens
    # Where SES mail is written as .eml; None keeps mail only in moto.
    mail_dir: Optional[Path] = None
    # Retry intervals of the state machine: the ASL's intervals times `retry_interval_scale` (60 s -> 1 s, so
    # the capacity path takes seconds locally), or none at all with `instant_retries` (tests).
    instant_retries: bool = False
    retry_interval_scale: float = 1 / 60
    # Processing instances per type that may run at once (NST_LOCAL_INSTANCE_QUOTA, default from the machine);
    # a capacity Retry waits at most `capacity_wait_seconds` for its turn (the ASL's MaxRuntimeInSeconds).
    instance_quota: InstanceQuota = field(default_factory=InstanceQuota.from_environment)
    capacity_wait_seconds: float = 7200.0
    # The processing container's command; None = the job's ContainerEntrypoint with "python3" replaced by
    # this interpreter. Tests point it at a small fake container script.
    processing_command: Optional[list[str]] = None
    # Extra environment for every processing job (after the job's own Environment).
    processing_env: dict[str, str] = field(default_factory=dict)
    # Folder for processing job logs and scratch space; None = a temp folder per job.
    work_dir: Optional[Path] = None
    # Called for each stdout line of a processing container (the demo shows frames from it).
    on_processing_output: Optional[OutputCallback] = None
    upload_routes: list[UploadRoute] = field(default_factory=list)
    processing_faults: ProcessingFaults = field(default_factory=ProcessingFaults)


ACTIVE: Optional[RuntimeSettings] = None


def active() -> RuntimeSettings:
    if ACTIVE is None:
        raise RuntimeError("no LocalMotoServer is running in this process")
    return ACTIVE
