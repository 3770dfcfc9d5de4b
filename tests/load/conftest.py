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


class MemorySampler:
    """Peak resident memory of this process and all its children (processing jobs), sampled every `every` s.
    RSS counts pages shared between processes once per process, so the figure errs on the high side."""

    def __init__(self, every: float = 0.2):
        self.every, self.peak_bytes, self.peak_processes = every, 0, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name="memory-sampler")

    def _run(self) -> None:
        me = psutil.Process()
        while not self._stop.is_set():
            total, count = 0, 0
            for process in [me, *me.children(recursive=True)]:
                try:
                    total += process.memory_info().rss
                    count += 1
                except psutil.Error:  # ended between listing and reading
                    pass
            self.peak_bytes = max(self.peak_bytes, total)
            self.peak_processes = max(self.peak_processes, count)
            self._stop.wait(self.every)

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
