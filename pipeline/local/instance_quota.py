"""The local SageMaker's instance quota: how many processing instances of each type may run at once.

In AWS an account-level quota per instance type ("ml.g4dn.xlarge for processing job usage") makes
CreateProcessingJob answer `ResourceLimitExceeded` when a burst of uploads would exceed it, and the state
machine's Retry waits it out. Locally every job is a TensorFlow process on this machine, so the same quota is
what keeps a burst from exhausting memory: the default is derived from the machine's cores and memory.

    NST_LOCAL_INSTANCE_QUOTA=2                          # every type
    NST_LOCAL_INSTANCE_QUOTA=ml.g4dn.xlarge=1,ml.g5.xlarge=2
    NST_LOCAL_INSTANCE_QUOTA=2,ml.g5.xlarge=0           # 2 for each type but ml.g5.xlarge

A refused job is remembered in a first-come first-served queue per type; when instances free up they go to
the queue's head, so a burst larger than the quota runs in arrival order (see extensions/retry_sleep.py for
how the Retry's sleep waits for that turn). A queued job that stops asking (its execution moved on) drops
out after `STALE_SECONDS`, so it cannot hold instances it will never use.
"""
from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass, field
from typing import Optional

ENVIRONMENT_VARIABLE = "NST_LOCAL_INSTANCE_QUOTA"
JOB_MEMORY_BYTES = 1 << 30  # one stylizer process (TensorFlow + tiny frames) stays under 1 GiB
RESERVED_MEMORY_BYTES = 2 << 30  # the moto server, the handlers and the rest of the machine
STALE_SECONDS = 10.0


def machine_capacity(cores: int, memory_bytes: int) -> int:
    """How many stylizer processes this machine holds at once: one per core, as many as memory allows."""
    return max(1, min(cores, (memory_bytes - RESERVED_MEMORY_BYTES) // JOB_MEMORY_BYTES))


def default_limit(cores: Optional[int] = None, memory_bytes: Optional[int] = None) -> int:
    """Per instance type: the machine's capacity shared by the pipeline's default instance types, which all
    run on this one machine (so a job that falls through to the next type cannot overload it either)."""
    from pipeline.workflow import DEFAULT_INSTANCE_TYPES

    cores = cores or len(os.sched_getaffinity(0))
    memory_bytes = memory_bytes or os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    return max(1, machine_capacity(cores, memory_bytes) // len(DEFAULT_INSTANCE_TYPES))


def parse(text: str) -> tuple[Optional[int], dict[str, int]]:
    """'N' and/or 'type=N' entries, comma-separated -> (limit for every type or None, per-type limits)."""
    every, per_type = None, {}
    for entry in filter(None, (part.strip() for part in text.split(","))):
        name, _, value = entry.rpartition("=")
        try:
            number = int(value)
        except ValueError:
            number = -1
        if number < 0 or (name and not name.startswith("ml.")):
            raise ValueError(f"{ENVIRONMENT_VARIABLE}: '{entry}' is not N or ml.<type>=N (N a whole number >= 0)")
        if name:
            per_type[name] = number
        else:
            every = number
    return every, per_type


@dataclass
class _Waiter:
    job_name: str
    count: int
    touched: float = field(default_factory=time.monotonic)
    sleeping: bool = False


class InstanceQuota:
    def __init__(self, every: Optional[int] = None, per_type: Optional[dict[str, int]] = None):
        self.every = default_limit() if every is None else every
        self.per_type = dict(per_type or {})
        self.in_use: dict[str, int] = {}
        self.peak: dict[str, int] = {}  # the most instances of each type in use at once (tests, load figures)
        self.refused = 0
        self._waiters: dict[str, list[_Waiter]] = {}
        self._changed = threading.Condition()

    @classmethod
    def from_environment(cls) -> "InstanceQuota":
        return cls(*parse(os.environ.get(ENVIRONMENT_VARIABLE, "")))

    def limit(self, instance_type: str) -> int:
        return self.per_type.get(instance_type, self.every)

    def acquire(self, instance_type: str, job_name: str, count: int = 1) -> Optional[str]:
        """Take `count` instances for the job: None when granted, else SageMaker's ResourceLimitExceeded message."""
        with self._changed:
            if self._admissible(instance_type, job_name, count):
                self._queue(instance_type)[:] = [w for w in self._queue(instance_type) if w.job_name != job_name]
                self.in_use[instance_type] = self.in_use.get(instance_type, 0) + count
                self.peak[instance_type] = max(self.peak.get(instance_type, 0), self.in_use[instance_type])
                return None
            self.refused += 1
            if count <= self.limit(instance_type):  # a request that can never fit is not queued
                waiter = self._waiter(instance_type, job_name)
                if waiter is None:
                    self._queue(instance_type).append(_Waiter(job_name, count))
                else:
                    waiter.touched = time.monotonic()
            return (f"The account-level service limit '{instance_type} for processing job usage' is "
                    f"{self.limit(instance_type)} Instances, with current utilization of "
                    f"{self.in_use.get(instance_type, 0)} Instances and a request delta of {count} Instances. "
                    "Please use AWS Service Quotas to request an increase for this quota. If AWS Service Quotas "
                    "is not available, contact AWS support to request an increase for this quota.")

    def release(self, instance_type: str, count: int = 1) -> None:
        with self._changed:
            self.in_use[instance_type] = max(0, self.in_use.get(instance_type, 0) - count)
            self._changed.notify_all()

    def wait_for_turn(self, instance_type: str, job_name: str, count: int, at_least: float,
                      timeout: float) -> bool:
        """Sleep `at_least` seconds, then, if the job is queued, until its next acquire would be granted (or
        `timeout`). A job that is not queued (a request that can never fit) only sleeps `at_least`."""
        start = time.monotonic()
        with self._changed:
            waiter = self._waiter(instance_type, job_name)
            if waiter is not None:
                waiter.sleeping = True
            try:
                while (left := at_least - (time.monotonic() - start)) > 0:
                    self._changed.wait(left)
                if waiter is None:
                    return self._admissible(instance_type, job_name, count)
                while not self._admissible(instance_type, job_name, count):
                    if (left := timeout - (time.monotonic() - start)) <= 0:
                        return False
                    self._changed.wait(min(left, 1.0))  # wake now and then: a stale waiter ahead drops out
                return True
            finally:
                if waiter is not None:
                    waiter.sleeping, waiter.touched = False, time.monotonic()

    # -- under the lock ---------------------------------------------------------------------------------------
    def _queue(self, instance_type: str) -> list[_Waiter]:
        return self._waiters.setdefault(instance_type, [])

    def _waiter(self, instance_type: str, job_name: str) -> Optional[_Waiter]:
        return next((w for w in self._queue(instance_type) if w.job_name == job_name), None)

    def _admissible(self, instance_type: str, job_name: str, count: int) -> bool:
        """Free instances for this job once every job queued before it has had its turn."""
        now = time.monotonic()
        queue = self._queue(instance_type)
        queue[:] = [w for w in queue if w.sleeping or now - w.touched < STALE_SECONDS]
        ahead = 0
        for waiter in queue:
            if waiter.job_name == job_name:
                break
            ahead += waiter.count
        return self.in_use.get(instance_type, 0) + ahead + count <= self.limit(instance_type)
