"""A running GIF job's progress in words: "frame 12 of 36, about 2 minutes left".

The processing job writes status.json next to its results (containers/stylizer/stylizer/job_progress.py).
Where that is comes from the execution's own history: the StylizeGif task's CreateProcessingJob parameters
name the result output's S3 prefix. So `nst executions` (AWS or local) and the local page find it the same
way, with no bucket name to configure.
"""
from __future__ import annotations

import json
from typing import Optional

STATUS_NAME = "status.json"


def status_location(history: list[dict]) -> Optional[tuple[str, str]]:
    """(bucket, key) of the newest processing job's status.json in an execution's history, or None."""
    for event in reversed(history):
        if event.get("type") != "TaskScheduled":
            continue
        details = event.get("taskScheduledEventDetails") or {}
        try:
            parameters = json.loads(details.get("parameters") or "{}")
        except ValueError:
            continue
        outputs = (parameters.get("ProcessingOutputConfig") or {}).get("Outputs") or []
        for output in outputs:
            uri = (output.get("S3Output") or {}).get("S3Uri", "")
            if uri.startswith("s3://"):
                bucket, _, prefix = uri[5:].partition("/")
                return bucket, (prefix.rstrip("/") + "/" if prefix else "") + STATUS_NAME
    return None


def read_status(s3, location: Optional[tuple[str, str]]) -> Optional[dict]:
    """The job's last status, or None when there is none (yet) or it cannot be read."""
    if location is None:
        return None
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        body = s3.get_object(Bucket=location[0], Key=location[1])["Body"].read()
        return json.loads(body)
    except (ClientError, BotoCoreError, ValueError):
        return None


def time_left(seconds: Optional[float]) -> str:
    """The page's words (frontend/src/words.js formatTimeLeft)."""
    if seconds is None or seconds < 0:
        return ""
    if seconds < 55:
        return f"about {max(5, round(seconds / 5) * 5)} s left"
    minutes = round(seconds / 60)
    if minutes < 90:
        return f"about {minutes} minute{'' if minutes == 1 else 's'} left"
    return f"about {round(minutes / 60)} hours left"


def describe(status: Optional[dict]) -> Optional[str]:
    """One line for a person; None when the status says nothing yet."""
    if not status:
        return None
    state, frames = status.get("state"), status.get("frames") or 0
    if state == "started":
        return f"The painter has started on {frames} frames."
    if state == "done":
        return f"All {frames} frames painted."
    if state == "failed":
        return f"The painting failed: {status.get('reason', 'no reason given')}"
    if state != "running":
        return None
    passes = status.get("passes") or 1
    line = f"pass {status.get('pass', 1)} of {passes}, " if passes > 1 else ""
    line += f"frame {status.get('frame', 0)} of {frames}"
    left = time_left(status.get("seconds_left"))
    line += f", {left}" if left else ""
    return line[0].upper() + line[1:]
