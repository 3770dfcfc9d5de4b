"""A GIF job's progress as one S3 object next to its results, as image mode reports through status.json.

    <result output S3Uri>status.json   {"state": "started"|"running"|"done"|"failed", "frame", "frames",
                                        "pass", "passes", "fraction", "seconds_left", "elapsed_s", ...}

A Processing job reports nothing between "InProgress" and "Completed"; stdout goes to CloudWatch, which an
uploader never sees. The job knows where its results go from SageMaker's own description of it,
`/opt/ml/config/processingjobconfig.json` (ProcessingOutputConfig), so no extra argument or permission is
needed: the job's role already writes there. The page (local stack) and `nst executions` read it. Writes are
a courtesy: when the location is unknown or S3 refuses, the job paints on (stylizer.serving.progress).
"""
import json
import logging
import time
from pathlib import Path
from typing import Optional

from stylizer import contract

log = logging.getLogger(__name__)

CONFIG_FILE = contract.OPT_ML / "config" / "processingjobconfig.json"
CONTAINER_RESULT_PATH = "/opt/ml/processing/output/" + contract.RESULT_CHANNEL
WRITE_EVERY_S = 2.0  # a PUT per frame is enough for a person; GPU frames can take well under a second


def progress_location(config_file: Path = CONFIG_FILE) -> Optional[tuple[str, str]]:
    """(bucket, prefix) of the result output, from the job's configuration; None when not in a job."""
    try:
        config = json.loads(Path(config_file).read_text())
    except (OSError, ValueError):
        return None
    for output in (config.get("ProcessingOutputConfig") or {}).get("Outputs") or []:
        s3_output = output.get("S3Output") or {}
        uri = s3_output.get("S3Uri", "")
        if s3_output.get("LocalPath", "").rstrip("/") == CONTAINER_RESULT_PATH and uri.startswith("s3://"):
            bucket, _, prefix = uri[5:].partition("/")
            return bucket, prefix if prefix.endswith("/") or not prefix else prefix + "/"
    return None


def fraction_done(event) -> float:
    """The event's own `progress` where its source weighs the work (a GIF's sizes), else the share of all
    frame visits of all passes done, counting the current frame's steps."""
    if getattr(event, "progress", None) is not None:
        return min(1.0, event.progress)
    frames, passes = max(event.frames, 1), max(event.passes, 1)
    step = event.iteration / event.iterations if event.iterations else 0.0
    return min(1.0, (event.pass_index * frames + event.frame + step) / (passes * frames))


class JobProgress:
    """update(event) during the painting, finish(state, ...) at the end; `writer` is a ProgressWriter or None."""

    def __init__(self, writer=None):
        self.writer = writer
        self._last_write = float("-inf")

    @classmethod
    def from_environment(cls, config_file: Path = CONFIG_FILE) -> "JobProgress":
        location = progress_location(config_file)
        if location is None:
            return cls(None)
        try:
            import boto3

            from stylizer.serving.progress import ProgressWriter

            return cls(ProgressWriter(boto3.client("s3"), location[0], location[1], request_id="job"))
        except Exception as error:  # noqa: BLE001 - no progress is no reason to fail the job
            log.warning("no progress reporting: %s", error)
            return cls(None)

    def update(self, event) -> None:
        if self.writer is None or event.kind not in ("start", "iteration", "frame"):
            return
        if event.kind == "start":
            self.writer.status("started", frame=0, frames=event.frames, passes=event.passes, fraction=0.0)
            return
        now = time.monotonic()
        if now - self._last_write < WRITE_EVERY_S:
            return
        self._last_write = now
        fraction = fraction_done(event)
        left = event.elapsed_s * (1 - fraction) / fraction if fraction > 0 else None
        self.writer.status("running", frame=event.frame + 1, frames=event.frames, passes=event.passes,
                           **{"pass": event.pass_index + 1}, fraction=round(fraction, 4),
                           seconds_left=round(left, 1) if left is not None else None)

    def finish(self, state: str, **fields) -> None:
        if self.writer is None:
            return
        self.writer.status(state, fraction=1.0 if state == "done" else None, seconds_left=0 if state == "done"
                           else None, **fields)
        self.writer.close()
