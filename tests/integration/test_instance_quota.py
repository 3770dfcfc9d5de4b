"""The local SageMaker's instance quota: refusals as SageMaker words them, and the state machine's own Retry
waiting them out, on the committed GIF pipeline with a fake container that holds its instance until told."""
import sys
import time
from pathlib import Path

import boto3
import pytest
from botocore.exceptions import ClientError
from gif_fixtures import FAKE_CONTAINER, make_gif

from pipeline.executions import execution_history
from pipeline.local.instance_quota import InstanceQuota, default_limit, machine_capacity, parse
from pipeline.local.server import LocalMotoServer
from pipeline.local.settings import RuntimeSettings
from pipeline.local.stack import LocalStack

GIB = 1 << 30
CAPACITY_ERROR = "SageMaker.ResourceLimitExceededException"


def until(condition, timeout=30.0, what="condition"):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} not reached within {timeout} s")
        time.sleep(0.05)


def test_the_default_follows_the_machine_cores_and_memory():
    assert machine_capacity(cores=2, memory_bytes=24 * GIB) == 2
    assert machine_capacity(cores=16, memory_bytes=8 * GIB) == 6  # memory-bound: 1 GiB a job, 2 GiB kept
    assert machine_capacity(cores=8, memory_bytes=2 * GIB) == 1  # never 0: one job always runs
    # shared by the pipeline's two default instance types, which all run on this one machine
    assert default_limit(cores=16, memory_bytes=64 * GIB) == 8
    assert default_limit(cores=2, memory_bytes=24 * GIB) == 1


def test_the_environment_variable_sets_every_type_or_some():
    assert parse("") == (None, {})
    assert parse("3") == (3, {})
    assert parse("2, ml.g5.xlarge=0") == (2, {"ml.g5.xlarge": 0})
    quota = InstanceQuota(*parse("ml.g4dn.xlarge=4"))
    assert quota.limit("ml.g4dn.xlarge") == 4 and quota.limit("ml.g5.xlarge") == quota.every >= 1
    for bad in ("two", "-1", "g5=1", "ml.g5.xlarge=x"):
        with pytest.raises(ValueError, match="NST_LOCAL_INSTANCE_QUOTA"):
            parse(bad)


def test_instances_go_to_the_queued_jobs_in_arrival_order():
    quota = InstanceQuota(1)
    assert quota.acquire("ml.g4dn.xlarge", "a") is None
    assert quota.acquire("ml.g4dn.xlarge", "b") is not None  # b queues
    assert quota.acquire("ml.g4dn.xlarge", "c") is not None  # c queues behind b
    quota.release("ml.g4dn.xlarge")
    assert quota.acquire("ml.g4dn.xlarge", "c") is not None, "c may not overtake b"
    assert quota.wait_for_turn("ml.g4dn.xlarge", "b", 1, at_least=0, timeout=1)
    assert quota.acquire("ml.g4dn.xlarge", "b") is None
    assert quota.acquire("ml.g5.xlarge", "d") is None, "each type has its own quota"
    assert quota.peak == {"ml.g4dn.xlarge": 1, "ml.g5.xlarge": 1}


def test_a_queued_job_that_stops_asking_gives_up_its_turn(monkeypatch):
    from pipeline.local import instance_quota

    monkeypatch.setattr(instance_quota, "STALE_SECONDS", 0.2)
    quota = InstanceQuota(1)
    quota.acquire("ml.g4dn.xlarge", "a")
    quota.acquire("ml.g4dn.xlarge", "gone")  # queued, then its execution went elsewhere
    quota.release("ml.g4dn.xlarge")
    time.sleep(0.3)
    assert quota.acquire("ml.g4dn.xlarge", "next") is None


def test_create_processing_job_over_the_quota_answers_resource_limit_exceeded():
    with LocalMotoServer(RuntimeSettings(instance_quota=InstanceQuota(0))) as server:
        sagemaker = boto3.client("sagemaker", endpoint_url=server.endpoint_url, region_name="us-east-1",
                                 aws_access_key_id="testing", aws_secret_access_key="testing")
        with pytest.raises(ClientError) as refused:
            sagemaker.create_processing_job(
                ProcessingJobName="over-quota", RoleArn="arn:aws:iam::123456789012:role/r",
                AppSpecification={"ImageUri": "nst-stylizer:local"}, ProcessingResources={"ClusterConfig": {
                    "InstanceCount": 1, "InstanceType": "ml.g5.xlarge", "VolumeSizeInGB": 30}})
        assert sagemaker.list_processing_jobs()["ProcessingJobSummaries"] == []
    error = refused.value.response
    assert error["Error"]["Code"] == "ResourceLimitExceeded"
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert error["Error"]["Message"].startswith(
        "The account-level service limit 'ml.g5.xlarge for processing job usage' is 0 Instances, with current "
        "utilization of 0 Instances and a request delta of 1 Instances. Please use AWS Service Quotas")


@pytest.fixture
def held_stack(tmp_path):
    """The GIF pipeline with a quota of 1 instance per type; processing jobs run until `release` exists."""
    gate = tmp_path / "release"
    with LocalStack(tmp_path / "out", instant_retries=True, instance_quota=InstanceQuota(1),
                    processing_command=[sys.executable, str(FAKE_CONTAINER)],
                    processing_env={"NST_FIXTURE_HOLD_UNTIL": str(gate)}) as stack:
        yield stack, gate


def test_with_a_quota_of_one_two_uploads_at_once_both_succeed_after_a_capacity_retry(held_stack, tmp_path, settle):
    stack, gate = held_stack
    quota = stack.runtime.instance_quota
    keys = [stack.upload_gif(make_gif(tmp_path / f"{n}.gif"), email=f"{n}@example.com", style="udnie",
                             key=f"uploads/{n}.gif") for n in ("first", "second")]
    arns = [stack.execution_for(key) for key in keys]
    for arn in arns:  # both uploaders confirm by the link in their first mail
        assert stack.confirm(arn).status == 200
    until(lambda: quota.refused >= 1, what="the second job refused")  # one job holds the instance
    gate.touch()
    descriptions = [settle(stack, arn, timeout=60) for arn in arns]
    assert [d["status"] for d in descriptions] == ["SUCCEEDED"] * 2, descriptions

    sfn = stack.client("stepfunctions")
    histories = [execution_history(sfn, arn) for arn in arns]
    failures = [e["taskFailedEventDetails"] for h in histories for e in h if e["type"] == "TaskFailed"]
    assert [f["error"] for f in failures] == [CAPACITY_ERROR], failures
    assert ("The account-level service limit 'ml.g4dn.xlarge for processing job usage' is 1 Instances, with "
            "current utilization of 1 Instances") in failures[0]["cause"]
    assert "Error Code: ResourceLimitExceeded" in failures[0]["cause"]
    # the Retry waited for the instance of the same type instead of falling through to the next type
    jobs = [e["taskScheduledEventDetails"]["parameters"] for h in histories for e in h
            if e["type"] == "TaskScheduled" and e["taskScheduledEventDetails"]["resourceType"] == "sagemaker"]
    assert len(jobs) == 3 and all('"ml.g4dn.xlarge"' in job for job in jobs)
    assert quota.peak == {"ml.g4dn.xlarge": 1} and quota.in_use == {"ml.g4dn.xlarge": 0}
    assert len(stack.mails()) == 4
    assert stack.client("s3").list_objects_v2(Bucket=stack.uploads_bucket)["KeyCount"] == 2  # uploads kept


def test_a_type_without_quota_falls_through_to_the_next_type(tmp_path, settle):
    quota = InstanceQuota(1, {"ml.g4dn.xlarge": 0})
    with LocalStack(tmp_path, instant_retries=True, instance_quota=quota,
                    processing_command=[sys.executable, str(FAKE_CONTAINER)]) as stack:
        key = stack.upload_gif(make_gif(tmp_path / "cat.gif"), email="me@example.com", style="udnie")
        description = settle(stack, stack.execution_for(key), timeout=60)
    assert description["status"] == "SUCCEEDED", description
    assert quota.refused == 4  # the first try and the ASL's 3 retries, none of them queued forever
    assert quota.peak == {"ml.g5.xlarge": 1}


def test_retry_intervals_are_scaled_locally(monkeypatch):
    """Without instant_retries, the ASL's intervals are slept at `retry_interval_scale` (60 s -> 1 s)."""
    from pipeline.local import settings
    from pipeline.local.extensions import retry_sleep

    slept = []
    monkeypatch.setattr(retry_sleep.real_time, "sleep", slept.append)
    monkeypatch.setattr(settings, "ACTIVE", settings.RuntimeSettings(instance_quota=InstanceQuota(1)))
    retry_sleep.retry_sleep(60)
    assert slept == [pytest.approx(1.0)]
