"""The operator's view of pipeline executions, the same against the local stack and a real AWS account.

Everything here takes a boto3 Step Functions client, so the endpoint decides where it looks.
`state_runs(history)` turns GetExecutionHistory into one row per state entered: when, how long, its input and
output, and the error and cause when it failed.
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any, Iterable, Optional

TERMINAL = {"SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"}


@dataclass
class StateRun:
    name: str
    type: str
    entered: Any  # datetime
    exited: Any = None
    input: Optional[str] = None
    output: Optional[str] = None
    error: Optional[str] = None
    cause: Optional[str] = None
    retries: int = 0
    events: list[str] = field(default_factory=list)

    @property
    def duration_s(self) -> Optional[float]:
        return (self.exited - self.entered).total_seconds() if self.exited else None


def resolve_execution_arn(sfn, name_or_arn: str, state_machine_arn: Optional[str] = None) -> str:
    if name_or_arn.startswith("arn:"):
        return name_or_arn
    for execution in list_executions(sfn, state_machine_arn):
        if execution["name"] == name_or_arn:
            return execution["executionArn"]
    raise LookupError(f"no execution named {name_or_arn}")


def list_executions(sfn, state_machine_arn: Optional[str] = None, limit: int = 100) -> list[dict]:
    """Newest first, across all state machines unless one is given."""
    if state_machine_arn:
        machines = [state_machine_arn]
    else:
        machines = [m["stateMachineArn"] for page in sfn.get_paginator("list_state_machines").paginate()
                    for m in page["stateMachines"]]
    executions = []
    for arn in machines:
        for page in sfn.get_paginator("list_executions").paginate(stateMachineArn=arn):
            executions.extend(page["executions"])
    executions.sort(key=lambda e: e["startDate"], reverse=True)
    return executions[:limit]


def wait_for_execution(sfn, execution_arn: str, timeout: float = 60.0, poll_s: float = 0.1) -> dict:
    """DescribeExecution once the execution ended; TimeoutError (with the last description) otherwise."""
    deadline = time.monotonic() + timeout
    while True:
        description = sfn.describe_execution(executionArn=execution_arn)
        if description["status"] in TERMINAL:
            return description
        if time.monotonic() > deadline:
            raise TimeoutError(f"{execution_arn} still {description['status']} after {timeout:.0f} s")
        time.sleep(poll_s)


def execution_history(sfn, execution_arn: str) -> list[dict]:
    events = []
    for page in sfn.get_paginator("get_execution_history").paginate(executionArn=execution_arn):
        events.extend(page["events"])
    return events


def _details(event: dict) -> dict:
    return next((value for key, value in event.items() if key.endswith("EventDetails")), {})


def state_runs(history: Iterable[dict]) -> list[StateRun]:
    """One StateRun per StateEntered, with exit, I/O, failures and retries folded in (top-level order)."""
    runs: list[StateRun] = []
    open_runs: dict[str, StateRun] = {}
    for event in history:
        kind, details = event["type"], _details(event)
        if kind.endswith("StateEntered"):
            run = StateRun(details.get("name", "?"), kind[: -len("StateEntered")], event["timestamp"],
                           input=details.get("input"))
            runs.append(run)
            open_runs[run.name] = run
        elif kind.endswith("StateExited"):
            run = open_runs.pop(details.get("name", "?"), None)
            if run:
                run.exited, run.output = event["timestamp"], details.get("output")
        elif kind.endswith(("Failed", "TimedOut")) and not kind.startswith("Execution"):
            # the task (or Lambda, or Map) that failed belongs to the innermost open state
            if runs:
                target = runs[-1]
                if target.error is not None:
                    target.retries += 1
                target.error, target.cause = details.get("error"), details.get("cause")
                target.events.append(kind)
        elif kind.startswith("Execution") and kind.endswith(("Failed", "TimedOut", "Aborted")):
            runs.append(StateRun("(execution)", kind, event["timestamp"], exited=event["timestamp"],
                                 error=details.get("error"), cause=details.get("cause")))
    return runs


def truncate(text: Optional[str], limit: int = 300) -> str:
    if text is None:
        return ""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def pretty_cause(cause: Optional[str]) -> str:
    """Causes are often JSON (Lambda error shape, SageMaker job description): show the telling field."""
    try:
        value = json.loads(cause or "")
    except ValueError:
        return cause or ""
    if isinstance(value, dict):
        for key in ("errorMessage", "FailureReason", "ExitMessage", "message"):
            if value.get(key):
                return str(value[key])
    return cause or ""


def output_changes(state_input: Optional[str], state_output: Optional[str]) -> Optional[str]:
    """The top-level fields a state added or changed (its ResultPath), which is what an operator looks for."""
    try:
        before, after = json.loads(state_input or "null"), json.loads(state_output or "null")
    except ValueError:
        return state_output
    if isinstance(before, dict) and isinstance(after, dict):
        changed = {k: v for k, v in after.items() if before.get(k) != v}
        return json.dumps(changed, default=str) if changed else "(unchanged)"
    return state_output


def render_execution(description: dict, runs: list[StateRun], width: int = 300, full: bool = False) -> str:
    lines = [f"{description['name']}  {description['status']}  started {description['startDate']:%Y-%m-%d %H:%M:%S}"
             + (f"  stopped {description['stopDate']:%H:%M:%S}" if description.get("stopDate") else ""),
             f"  input: {truncate(description.get('input'), width)}"]
    for run in runs:
        took = f"{run.duration_s:7.2f}s" if run.duration_s is not None else "   ...  "
        retry = f" (retried {run.retries}x)" if run.retries else ""
        lines.append(f"  {run.entered:%H:%M:%S} {took}  {run.type:<10} {run.name}{retry}")
        if full and run.input is not None:
            lines.append(f"      in:  {truncate(run.input, width)}")
        if full and run.output is not None:
            lines.append(f"      out: {truncate(run.output, width)}")
        elif run.output is not None:
            lines.append(f"      out: {truncate(output_changes(run.input, run.output), width)}")
        if run.error:
            lines.append(f"      error: {run.error}: {truncate(pretty_cause(run.cause), width)}")
    if description.get("error"):
        lines.append(f"  failed: {description['error']}: {truncate(pretty_cause(description.get('cause')), width)}")
    if description.get("output"):
        lines.append(f"  output: {truncate(description['output'], width)}")
    return "\n".join(lines)
