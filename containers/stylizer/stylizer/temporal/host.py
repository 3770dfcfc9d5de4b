"""The host's cores for the temporal method's OpenCV work: flows, masks and warps run side by side.

On a GPU the gradient steps are quick and this work is most of a GIF's time: on the H200, newtonscradle's
1440 steps took 5.7 s frame by frame and the temporal method 21.3 s (docs/benchmarks.md, "On a GPU").
OpenCV's Lanczos remap and DIS run on one core each (a warp of a 256 px frame: 4.2 ms with one thread or
two), and OpenCV releases the GIL while it computes, so independent flows, masks and warps run in parallel
on a thread pool. Each task computes exactly what it computed alone: the results do not depend on the
number of threads or on their order. Tasks submitted here must not submit to the pool themselves. On the
H200's 16-core host the pool took newtonscradle from 29.1 s to 15.5 s (one call, same machine).

in_background starts one piece of work on a thread of its own, which may use the pool: the next visit's
settled sums while a visit's steps run on the device (passes.Painter.settled); only where a GPU computes
the steps (work_ahead). With 2 cores and a 15 ms step a GIF's visits then wait 0.34x as long for their
targets (the product's GPU instances have 4 vCPUs; docs/benchmarks.md, "Host work on a GPU host, measured").
"""
from __future__ import annotations

import functools
import os
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Callable, Iterable, TypeVar

T = TypeVar("T")
R = TypeVar("R")
ENV_VAR = "NST_HOST_THREADS"  # threads for the host's work (default: one per core); 1 = in the caller's thread


def thread_count() -> int:
    value = os.environ.get(ENV_VAR, "")
    return max(1, int(value)) if value.strip() else (os.cpu_count() or 1)


@functools.lru_cache(maxsize=1)
def _pool(threads: int) -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=threads, thread_name_prefix="nst-host")


def parallel_map(function: Callable[[T], R], items: Iterable[T]) -> list[R]:
    """[function(item) for item in items], the items spread over the host's threads (in order)."""
    items, threads = list(items), thread_count()
    if min(threads, len(items)) <= 1:
        return [function(item) for item in items]
    return list(_pool(threads).map(function, items))


AHEAD_ENV_VAR = "NST_WORK_AHEAD"  # 1 / 0: work ahead or not (default: where the steps run on a GPU)


@functools.lru_cache(maxsize=1)
def _has_gpu() -> bool:
    from ..precision import gpu_compute_capabilities

    return bool(gpu_compute_capabilities())


def work_ahead() -> bool:
    """Whether in_background runs anything: only where the gradient steps leave the host's cores idle (a
    GPU computes them) and the host has more than one thread. On a CPU the steps use every core, so work
    started beside them only competes with them (newtonscradle on this 2-core machine: the visits' targets
    3.0 -> 1.2 s, the steps 253 -> 259 s)."""
    value = os.environ.get(AHEAD_ENV_VAR, "").strip()
    wanted = value not in ("0", "false", "no") if value else _has_gpu()
    return wanted and thread_count() > 1


@functools.lru_cache(maxsize=1)
def _ahead() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="nst-ahead")


def in_background(function: Callable[[], R]) -> Future | None:
    """function() started on a thread of its own (it may use parallel_map), so the caller goes on with the
    device's steps; None where work_ahead() says no (the caller then does the work itself, when needed)."""
    if not work_ahead():
        return None
    return _ahead().submit(function)
