"""Runs a SageMaker Processing job as a local process, following SageMaker's container contract.

`/opt/ml/...` LocalPaths are mapped under `<work>/opt/ml` (the container finds them through `NST_OPT_ML`),
S3 inputs are downloaded before the start, outputs uploaded after a successful exit (SageMaker's `EndOfJob`
upload mode), and a failure's reason is read from `<work>/opt/ml/output/message`, as SageMaker reports it as
the job's FailureReason (truncated to 1 KiB).
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Callable, Optional

import boto3

OPT_ML = PurePosixPath("/opt/ml")
REASON_LIMIT = 1024  # SageMaker: FailureReason is "up to one KB"
REPO_ROOT = Path(__file__).resolve().parents[2]


@dataclass
class JobOutcome:
    status: str  # Completed | Failed
    failure_reason: Optional[str] = None
    exit_code: Optional[int] = None


def split_s3_uri(uri: str) -> tuple[str, str]:
    if not uri.startswith("s3://"):
        raise ValueError(f"not an S3 URI: {uri}")
    bucket, _, key = uri[5:].partition("/")
    return bucket, key


def local_path(root: Path, container_path: str) -> Path:
    """Where a container path under /opt/ml lives in this run's folder."""
    path = PurePosixPath(container_path)
    if path != OPT_ML and OPT_ML not in path.parents:
        raise ValueError(f"LocalPath {container_path} is not under {OPT_ML}")
    return root.joinpath(*path.relative_to(OPT_ML.parent).parts)  # root stands for /opt


def exit_reason(exit_code: int) -> str:
    """Why a container that wrote no message failed; a process killed by a signal (Popen gives -N) is reported
    with the shell's exit code 128+N, as a container runtime reports it (137: SIGKILL, e.g. out of memory)."""
    if exit_code < 0:
        name = signal.Signals(-exit_code).name if -exit_code in signal.valid_signals() else f"signal {-exit_code}"
        return (f"AlgorithmError: the container process was killed by {name} before it finished "
                f"(exit code {128 - exit_code})")
    return f"AlgorithmError: process exited with status {exit_code}"


def container_command(app_specification: dict, override: Optional[list[str]]) -> list[str]:
    """The process to start: the entrypoint with `python3` replaced by this interpreter, or the override."""
    arguments = [str(a) for a in app_specification.get("ContainerArguments") or []]
    if override:
        return [*override, *arguments]
    entrypoint = list(app_specification.get("ContainerEntrypoint") or [])
    if not entrypoint:
        raise ValueError("AppSpecification has no ContainerEntrypoint; the local runner cannot run an image")
    if Path(entrypoint[0]).name in {"python", "python3"}:
        entrypoint[0] = sys.executable
    return [*entrypoint, *arguments]


class LocalProcessingRunner:
    def __init__(self, endpoint_url: str, region: str, work_dir: Optional[Path] = None,
                 command_override: Optional[list[str]] = None, extra_env: Optional[dict] = None,
                 on_output: Optional[Callable[[str, str], None]] = None):
        self.s3 = boto3.client("s3", endpoint_url=endpoint_url, region_name=region,
                               aws_access_key_id="testing", aws_secret_access_key="testing")
        self.work_dir, self.command_override = work_dir, command_override
        self.extra_env, self.on_output = dict(extra_env or {}), on_output

    def run(self, request: dict) -> JobOutcome:
        name = request["ProcessingJobName"]
        if self.work_dir:
            self.work_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix=f"{name}-", dir=self.work_dir) as scratch:
            root = Path(scratch) / "opt"  # mirrors /opt: <scratch>/opt/ml/...
            opt_ml = root / "ml"
            (opt_ml / "output").mkdir(parents=True)
            # SageMaker describes the job to its container here; the stylizer finds its results' S3 prefix in it
            (opt_ml / "config").mkdir()
            (opt_ml / "config" / "processingjobconfig.json").write_text(json.dumps(request, default=str))
            try:
                for channel in request.get("ProcessingInputs") or []:
                    self._download(channel, root)
                for output in (request.get("ProcessingOutputConfig") or {}).get("Outputs") or []:
                    local_path(root, output["S3Output"]["LocalPath"]).mkdir(parents=True, exist_ok=True)
                command = container_command(request["AppSpecification"], self.command_override)
            except Exception as error:  # SageMaker fails the job before the container starts
                return JobOutcome("Failed", f"ClientError: {error}"[:REASON_LIMIT])
            exit_code, timed_out = self._execute(name, command, opt_ml, request)
            if timed_out:
                return JobOutcome("Failed", "MaxRuntimeExceeded: the job ran past "
                                  "StoppingCondition.MaxRuntimeInSeconds", exit_code)
            if exit_code != 0:
                message = opt_ml / "output" / "message"
                reason = message.read_text(errors="replace").strip() if message.is_file() else ""
                reason = reason or exit_reason(exit_code)
                return JobOutcome("Failed", reason[:REASON_LIMIT], exit_code)
            for output in (request.get("ProcessingOutputConfig") or {}).get("Outputs") or []:
                self._upload(output, root)
            return JobOutcome("Completed", None, 0)

    def _download(self, channel: dict, root: Path) -> None:
        s3_input = channel.get("S3Input")
        if not s3_input:
            raise ValueError(f"input {channel.get('InputName')}: only S3Input is supported locally")
        if s3_input.get("S3DataType", "S3Prefix") != "S3Prefix":
            raise ValueError(f"input {channel.get('InputName')}: only S3DataType S3Prefix is supported locally")
        bucket, prefix = split_s3_uri(s3_input["S3Uri"])
        target = local_path(root, s3_input["LocalPath"])
        target.mkdir(parents=True, exist_ok=True)
        found = False
        for page in self.s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
            for item in page.get("Contents", []):
                key = item["Key"]
                relative = key[len(prefix):].lstrip("/") or PurePosixPath(key).name
                destination = target.joinpath(*PurePosixPath(relative).parts)
                destination.parent.mkdir(parents=True, exist_ok=True)
                self.s3.download_file(bucket, key, str(destination))
                found = True
        if not found:
            raise ValueError(f"input {channel.get('InputName')}: no objects at {s3_input['S3Uri']}")

    def _upload(self, output: dict, root: Path) -> None:
        bucket, prefix = split_s3_uri(output["S3Output"]["S3Uri"])
        source = local_path(root, output["S3Output"]["LocalPath"])
        for path in sorted(p for p in source.rglob("*") if p.is_file()):
            key = "/".join(filter(None, [prefix.rstrip("/"), path.relative_to(source).as_posix()]))
            self.s3.upload_file(str(path), bucket, key)

    def _execute(self, name: str, command: list[str], opt_ml: Path, request: dict) -> tuple[int, bool]:
        """Run the container process, streaming its output; (exit code, killed for running too long)."""
        env = {**os.environ, **(request.get("Environment") or {}), **self.extra_env, "NST_OPT_ML": str(opt_ml),
               "PYTHONUNBUFFERED": "1"}
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
        timeout = (request.get("StoppingCondition") or {}).get("MaxRuntimeInSeconds")
        log_dir = self.work_dir or Path(tempfile.gettempdir()) / "nst-processing-logs"
        log_dir.mkdir(parents=True, exist_ok=True)
        with open(log_dir / f"{name}.log", "w") as log, subprocess.Popen(
                command, env=env, cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                text=True, bufsize=1) as process:
            killed = threading.Event()
            timer = threading.Timer(float(timeout or 0), lambda: (killed.set(), process.kill()))
            timer.daemon = True
            if timeout:
                timer.start()
            for line in process.stdout:
                log.write(line)
                if self.on_output:
                    self.on_output(name, line.rstrip("\n"))
            exit_code = process.wait()
            timer.cancel()
        return exit_code, killed.is_set()
