"""What `nst demo` prints while the pipeline runs: states as they are entered and left, frames as they finish."""
from __future__ import annotations

import json
import sys
import threading
import time
from typing import TextIO

from pipeline.executions import TERMINAL, pretty_cause, truncate


class ProgressView:
    def __init__(self, stream: TextIO = sys.stdout):
        self.stream = stream
        self._lock = threading.Lock()  # container lines arrive on the runner's thread

    def say(self, text: str) -> None:
        with self._lock:
            print(text, file=self.stream, flush=True)

    def container_line(self, job: str, line: str) -> None:
        """A stdout line of the processing container: PROGRESS events become frame lines, errors pass."""
        if line.startswith("PROGRESS "):
            try:
                event = json.loads(line[len("PROGRESS "):])
            except ValueError:
                return
            kind = event.get("kind")
            if kind == "start":
                self.say(f"      stylizer: {event.get('frames')} frames, {event.get('iterations')} iterations in all")
            elif kind == "frame":
                self.say(f"      frame {event['frame'] + 1}/{event['frames']} done ({event.get('elapsed_s', 0):.1f} s)")
            elif kind == "done":
                self.say(f"      stylizer done ({event.get('elapsed_s', 0):.1f} s)")
        elif "Error" in line or "Traceback" in line:
            self.say(f"      container: {line}")

    def history_event(self, event: dict, entered_at: dict) -> None:
        kind = event["type"]
        details = next((v for k, v in event.items() if k.endswith("EventDetails")), {})
        if kind.endswith("StateEntered"):
            entered_at[details["name"]] = event["timestamp"]
            self.say(f"  → {details['name']}")
        elif kind.endswith("StateExited"):
            started = entered_at.get(details["name"], event["timestamp"])
            self.say(f"  ✓ {details['name']} ({(event['timestamp'] - started).total_seconds():.1f} s)")
        elif kind in ("TaskFailed", "LambdaFunctionFailed"):
            self.say(f"  ✗ {details.get('error')}: {truncate(pretty_cause(details.get('cause')), 200)}")


def follow_execution(sfn, execution_arn: str, view: ProgressView, timeout: float, poll_s: float = 0.5) -> dict:
    """Print the execution's history as it grows; return DescribeExecution once it ended."""
    seen: set[int] = set()
    entered_at: dict = {}
    deadline = time.monotonic() + timeout
    while True:
        description = sfn.describe_execution(executionArn=execution_arn)
        pages = sfn.get_paginator("get_execution_history").paginate(executionArn=execution_arn)
        for event in (e for page in pages for e in page["events"]):
            if event["id"] not in seen:
                seen.add(event["id"])
                view.history_event(event, entered_at)
        if description["status"] in TERMINAL:
            return description
        if time.monotonic() > deadline:
            raise TimeoutError(f"execution still {description['status']} after {timeout:.0f} s")
        time.sleep(poll_s)
