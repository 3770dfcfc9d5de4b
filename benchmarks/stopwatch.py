"""Wall time, CPU time and the host's steal for one timed block: the figures a noisy shared machine needs.

These machines are virtual and share their host's cores: the same painting has taken 67 s and 103 s of
wall time an hour apart. A block's process CPU time (all threads: TensorFlow's pool included) counts only
the time the work ran, and steal, the share of the cores' time the hypervisor gave to other guests while
the block ran (/proc/stat), says how far its wall time can be trusted. A ratio of two rows is read from
CPU seconds when their steal differs.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

PROC_STAT = Path("/proc/stat")


def cpu_ticks() -> tuple[int, int] | None:
    """(steal ticks, all ticks) of every core together since boot, or None where /proc/stat is absent."""
    try:
        fields = PROC_STAT.read_text().split("\n", 1)[0].split()
    except OSError:
        return None
    # cpu user nice system idle iowait irq softirq steal guest guest_nice; guest time is inside user
    ticks = [int(value) for value in fields[1:9]]
    return (ticks[7] if len(ticks) > 7 else 0), sum(ticks)


@dataclass
class Stopwatch:
    """`with Stopwatch() as watch: ...`, then watch.wall_s, watch.cpu_s and watch.steal (0..1 or None)."""

    wall_s: float = 0.0
    cpu_s: float = 0.0
    steal: float | None = None

    def __enter__(self) -> "Stopwatch":
        self._wall, self._cpu, self._ticks = time.perf_counter(), time.process_time(), cpu_ticks()
        return self

    def __exit__(self, *exc) -> None:
        self.wall_s = time.perf_counter() - self._wall
        self.cpu_s = time.process_time() - self._cpu
        ticks = cpu_ticks()
        if self._ticks is not None and ticks is not None and ticks[1] > self._ticks[1]:
            self.steal = (ticks[0] - self._ticks[0]) / (ticks[1] - self._ticks[1])
