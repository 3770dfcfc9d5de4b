"""The load tests: whole bursts through the local stack with the real stylizer, minutes long, so not part of
`make test`; `make load` runs them (NST_LOAD=1). Run any other way, they are reported as skipped."""
import os
import threading
import time
from pathlib import Path

import psutil
import pytest

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config, items):
    if os.environ.get("NST_LOAD") == "1":
        return
    skip = pytest.mark.skip(reason="load test: run it with `make load` (NST_LOAD=1)")
    for item in items:  # this hook sees the whole session's items: only this folder's are load tests
        if HERE in Path(item.path).parents:
            item.add_marker(skip)


def proportional_set_size(pid: int) -> int:
    """PSS of one process in bytes: its private pages plus its share of pages it shares with others."""
    with open(f"/proc/{pid}/smaps_rollup") as rollup:
        for line in rollup:
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    return 0


def memory_in_use() -> int:
    """The machine's memory in use, /proc/meminfo MemTotal - MemAvailable (every process on it, ours or not)."""
    fields = {}
    with open("/proc/meminfo") as meminfo:
        for line in meminfo:
            name, value = line.split(":", 1)
            fields[name] = int(value.split()[0]) * 1024
    return fields["MemTotal"] - fields["MemAvailable"]


class MemorySampler:
    """Peak memory of the process tree the stack runs in, sampled every `every` s: this (test) process, which
    hosts the moto server, the Lambda handlers and the state machine's threads, and all its descendants (the
    processing jobs' stylizer processes, the image-mode container).

    - `peak_pss_bytes`: the tree's proportional set size (each shared page split between the processes that
      share it), the memory the stack itself has in use; the figure held against the 8 GiB target.
    - `peak_bytes`: the tree's resident set size; pages shared between processes count once per process, so
      it errs high (the upper bound).
    - `peak_machine_delta_bytes`: MemTotal - MemAvailable above its value when sampling began; machine-wide,
      so on a shared machine it includes whatever the other processes allocated meanwhile (page cache aside).
    """

    def __init__(self, every: float = 0.2):
        self.every, self.peak_bytes, self.peak_pss_bytes, self.peak_processes = every, 0, 0, 0
        self.machine_before = memory_in_use()
        self.peak_machine_delta_bytes = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name="memory-sampler")

    def sample(self) -> None:
        me = psutil.Process()
        rss, pss, count = 0, 0, 0
        for process in [me, *me.children(recursive=True)]:
            try:
                rss += process.memory_info().rss
                pss += proportional_set_size(process.pid)
                count += 1
            except (psutil.Error, OSError):  # ended between listing and reading
                pass
        self.peak_bytes = max(self.peak_bytes, rss)
        self.peak_pss_bytes = max(self.peak_pss_bytes, pss)
        self.peak_processes = max(self.peak_processes, count)
        self.peak_machine_delta_bytes = max(self.peak_machine_delta_bytes, memory_in_use() - self.machine_before)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.every)

    def figures(self) -> dict:
        gib = 1 << 30
        return {"peak_pss_gib": round(self.peak_pss_bytes / gib, 2), "peak_rss_gib": round(self.peak_bytes / gib, 2),
                "peak_machine_delta_gib": round(self.peak_machine_delta_bytes / gib, 2),
                "peak_processes": self.peak_processes}

    def __enter__(self) -> "MemorySampler":
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._stop.set()
        self._thread.join()


@pytest.fixture
def memory():
    with MemorySampler() as sampler:
        yield sampler


@pytest.fixture
def clock():
    start = time.monotonic()
    return lambda: time.monotonic() - start
