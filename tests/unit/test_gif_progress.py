"""A GIF job's progress through S3: the container writes status.json next to its results (job_progress), the
page and `nst executions` find it from the execution's history and say it in words (gif_progress)."""
import json

import boto3

from pipeline import gif_progress
from stylizer.events import ProgressEvent
from stylizer.job_progress import CONTAINER_RESULT_PATH, JobProgress, fraction_done, progress_location

JOB_CONFIG = {"ProcessingJobName": "nst-abc", "ProcessingOutputConfig": {"Outputs": [{
    "OutputName": "result", "S3Output": {"S3Uri": "s3://results/jobs/exec-1/", "LocalPath": CONTAINER_RESULT_PATH,
                                         "S3UploadMode": "EndOfJob"}}]}}


def test_the_job_finds_its_results_prefix_in_sagemakers_job_config(tmp_path):
    config = tmp_path / "processingjobconfig.json"
    config.write_text(json.dumps(JOB_CONFIG))
    assert progress_location(config) == ("results", "jobs/exec-1/")
    assert progress_location(tmp_path / "missing.json") is None  # not in a job: no progress, no failure


def test_fraction_counts_frames_passes_and_steps():
    event = ProgressEvent("iteration", frame=9, frames=36, iteration=5, iterations=10)
    assert fraction_done(event) == (9 + 0.5) / 36
    second_pass = ProgressEvent("iteration", frame=0, frames=10, iteration=0, iterations=4, pass_index=1, passes=2)
    assert fraction_done(second_pass) == 0.5
    # a source that weighs its steps (a GIF's half-size steps cost a quarter) says how far it is itself
    assert fraction_done(ProgressEvent("iteration", frame=0, frames=10, pass_index=8, passes=24, progress=0.06)) == 0.06


def test_status_written_by_the_job_reads_as_words(mocked_aws, tmp_path):
    s3 = boto3.client("s3")
    s3.create_bucket(Bucket="results")
    config = tmp_path / "processingjobconfig.json"
    config.write_text(json.dumps(JOB_CONFIG))
    progress = JobProgress.from_environment(config)
    progress.update(ProgressEvent("start", frames=36, iterations=7200))
    progress.update(ProgressEvent("iteration", frame=11, frames=36, iteration=5, iterations=10, elapsed_s=57.5))
    progress.writer.flush()

    history = [{"type": "TaskScheduled", "taskScheduledEventDetails": {
        "resourceType": "sagemaker", "resource": "createProcessingJob.sync", "parameters": json.dumps(JOB_CONFIG)}}]
    location = gif_progress.status_location(history)
    assert location == ("results", "jobs/exec-1/status.json")
    status = gif_progress.read_status(s3, location)
    assert status["state"] == "running" and status["frame"] == 12 and status["frames"] == 36
    # 11.5 of 36 frames in 57.5 s: 24.5 frames to go at 5 s each
    assert gif_progress.describe(status) == "Frame 12 of 36, about 2 minutes left"

    progress.finish("done", frames=36, seconds=180.0)
    assert gif_progress.describe(gif_progress.read_status(s3, location)) == "All 36 frames painted."


def test_words_for_each_state():
    assert gif_progress.describe(None) is None
    assert gif_progress.describe({"state": "started", "frames": 15}) == "The painter has started on 15 frames."
    assert gif_progress.describe({"state": "running", "frame": 3, "frames": 15, "pass": 2, "passes": 2,
                                  "seconds_left": 20}) == "Pass 2 of 2, frame 3 of 15, about 20 s left"
    assert gif_progress.describe({"state": "running", "frame": 1, "frames": 15, "seconds_left": None}) == \
        "Frame 1 of 15"
    assert gif_progress.describe({"state": "failed", "reason": "CapacityError: no GPU"}) == \
        "The painting failed: CapacityError: no GPU"
    assert gif_progress.status_location([{"type": "LambdaFunctionScheduled"}]) is None
