"""`sagemaker:createProcessingJob.sync` on the local runtime: the job runs a fake container as a local process."""
import json
import uuid

import pytest

from pipeline.executions import execution_history, wait_for_execution
from pipeline.local import resources

BUCKET = "nst-processing-fixtures"
CAPACITY_ERROR = "SageMaker.ResourceLimitExceededException"


@pytest.fixture(scope="module")
def machine(server, aws):
    role = resources.create_role(aws("iam"))
    aws("s3").create_bucket(Bucket=BUCKET)
    aws("s3").put_object(Bucket=BUCKET, Key="uploads/cat.gif", Body=b"GIF89a-fixture")
    stylize = {
        "Type": "Task", "Resource": "arn:aws:states:::sagemaker:createProcessingJob.sync",
        "Parameters": {
            "ProcessingJobName.$": "$.job", "RoleArn": role,
            "AppSpecification": {"ImageUri": "nst-stylizer:local",
                                 "ContainerEntrypoint": ["python3", "-m", "stylizer.process"],
                                 "ContainerArguments.$": "$.args"},
            "ProcessingResources": {"ClusterConfig": {"InstanceCount": 1, "InstanceType": "ml.g4dn.xlarge",
                                                      "VolumeSizeInGB": 30}},
            "ProcessingInputs": [{"InputName": "gif", "S3Input": {
                "S3Uri.$": "$.gif", "LocalPath": "/opt/ml/processing/input/gif", "S3DataType": "S3Prefix",
                "S3InputMode": "File"}}],
            "ProcessingOutputConfig": {"Outputs": [{"OutputName": "result", "S3Output": {
                "S3Uri.$": "$.out", "LocalPath": "/opt/ml/processing/output/result", "S3UploadMode": "EndOfJob"}}]},
            "Environment": {"NST_FIXTURE_ENV": "from-the-job"},
            "StoppingCondition": {"MaxRuntimeInSeconds": 600},
        },
        "Retry": [{"ErrorEquals": [CAPACITY_ERROR], "IntervalSeconds": 600, "MaxAttempts": 3, "BackoffRate": 2}],
        "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Caught"}],
        "End": True,
    }
    definition = {"StartAt": "Stylize", "States": {"Stylize": stylize, "Caught": {"Type": "Pass", "End": True}}}
    return resources.create_state_machine(aws("stepfunctions"), role, "processing", json.dumps(definition))


def run_job(aws, machine, *args, gif="uploads/cat.gif", job=None):
    job = job or f"job-{uuid.uuid4().hex[:10]}"
    execution_input = {"job": job, "args": list(args), "gif": f"s3://{BUCKET}/{gif}", "out": f"s3://{BUCKET}/results/{job}"}
    sfn = aws("stepfunctions")
    started = sfn.start_execution(stateMachineArn=machine, name=uuid.uuid4().hex, input=json.dumps(execution_input))
    description = wait_for_execution(sfn, started["executionArn"], timeout=60)
    assert description["status"] == "SUCCEEDED", description
    return job, json.loads(description["output"]), execution_history(sfn, started["executionArn"])


def test_completed_job_downloads_inputs_runs_the_container_and_uploads_outputs(aws, machine, server):
    lines = []
    server.runtime.on_processing_output = lambda job, line: lines.append((job, line))
    try:
        job, output, _ = run_job(aws, machine, "--mode", "ok", "--frames", "3")
    finally:
        server.runtime.on_processing_output = None
    assert "error" not in output, output["error"]
    assert output["ProcessingJobStatus"] == "Completed"
    assert output["Environment"] == {"NST_FIXTURE_ENV": "from-the-job"}
    assert isinstance(output["CreationTime"], int)  # epoch milliseconds, as Step Functions renders them
    s3 = aws("s3")
    assert s3.get_object(Bucket=BUCKET, Key=f"results/{job}/stylized.gif")["Body"].read() == b"GIF89a-fixture"
    metrics = json.loads(s3.get_object(Bucket=BUCKET, Key=f"results/{job}/metrics.json")["Body"].read())
    assert metrics == {"env": "from-the-job"}
    frames = [json.loads(line.split(" ", 1)[1]) for j, line in lines if j == job and line.startswith("PROGRESS")]
    assert [f["frame"] for f in frames] == [0, 1, 2]
    assert (server.runtime.work_dir / f"{job}.log").read_text().count("PROGRESS") == 3


def test_failed_job_fails_the_task_with_the_failure_message_in_the_cause(aws, machine):
    job, output, _ = run_job(aws, machine, "--mode", "fail")
    assert output["error"]["Error"] == "States.TaskFailed"
    cause = json.loads(output["error"]["Cause"])
    assert cause["ProcessingJobStatus"] == "Failed"
    assert cause["FailureReason"] == "Unknown style 'nope'. Known styles: udnie, starry_night"
    assert "stylized.gif" not in str(aws("s3").list_objects_v2(Bucket=BUCKET, Prefix=f"results/{job}"))


def test_crash_without_a_message_reports_the_exit_status(aws, machine):
    _, output, _ = run_job(aws, machine, "--mode", "crash")
    cause = json.loads(output["error"]["Cause"])
    assert cause["FailureReason"] == "AlgorithmError: process exited with status 1"


def test_missing_input_fails_the_job_before_the_container_starts(aws, machine):
    _, output, _ = run_job(aws, machine, "--mode", "ok", gif="uploads/absent.gif")
    assert output["error"]["Error"] == "States.TaskFailed"
    assert json.loads(output["error"]["Cause"])["FailureReason"].startswith("ClientError: input gif: no objects")


def test_capacity_that_clears_is_retried_until_the_job_runs(aws, machine, server):
    faults = server.runtime.processing_faults
    faults.clear()
    faults.refuse_next(2)
    _, output, history = run_job(aws, machine, "--mode", "ok")
    assert output["ProcessingJobStatus"] == "Completed"
    failures = [e["taskFailedEventDetails"] for e in history if e["type"] == "TaskFailed"]
    assert [f["error"] for f in failures] == [CAPACITY_ERROR] * 2
    assert "Error Code: ResourceLimitExceeded" in failures[0]["cause"]
    assert faults.refused == 2


def test_capacity_that_never_clears_exhausts_the_retries(aws, machine, server):
    faults = server.runtime.processing_faults
    faults.clear()
    faults.refuse_always = True
    try:
        _, output, history = run_job(aws, machine, "--mode", "ok")
    finally:
        faults.clear()
    assert output["error"]["Error"] == CAPACITY_ERROR
    assert sum(e["type"] == "TaskFailed" for e in history) == 4  # the first try and 3 retries


def test_a_reused_job_name_is_refused_as_sagemaker_does(aws, machine):
    job, _, _ = run_job(aws, machine, "--mode", "ok")
    _, output, _ = run_job(aws, machine, "--mode", "ok", job=job)
    assert output["error"]["Error"] == "SageMaker.AmazonSageMakerException"
    assert "already exists" in output["error"]["Cause"]
