"""The pipeline runs on what the deployed template created: the second half of "the template deployed into moto
creates what moto supports, and the pipeline runs on what it created".

The real template (pipeline.deploy.template, cut down by deploy_moto_filter.py) is created with create_stack in a
LocalMotoServer (our extension layer; cfn_state_machine makes moto honour DefinitionSubstitutions). Nothing is
then created by hand except stand-ins for resources the filter removed (the SES sender identity) and the
S3 → EventBridge hop, which is routed from the deployed rule's own event pattern and target. Every other name
comes from the stack: buckets, the functions (their Handler and Environment as deployed, run in process) and the
state machine (its definition with the stack's ARNs). So a wrong env var name, ARN or bucket in the template
fails here. The stylizer is tests/integration/fixtures/fake_container.py.
"""
import email
import io
import json
import sys
import time
from email import policy
from pathlib import Path

import boto3
import pytest
from PIL import Image

from deploy_moto_filter import for_moto
from pipeline.deploy import package, template
from pipeline.executions import execution_history, wait_for_execution
from pipeline.local.confirm import confirm_link, follow, invoker
from pipeline.local.extensions import s3_events
from pipeline.local.server import LocalMotoServer
from pipeline.local.settings import RuntimeSettings, UploadRoute

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("deployed_stack")]

REGION = "us-east-1"
FAKE_CONTAINER = Path(__file__).parents[1] / "integration" / "fixtures" / "fake_container.py"
SENDER = "pipeline@example.com"
PARAMETERS = {"ImageUri": "123456789012.dkr.ecr.us-east-1.amazonaws.com/nst-stylizer:v1",
              "SenderEmail": SENDER, "ArtefactsBucket": "artefacts",
              "PowertoolsLayerArn": "arn:aws:lambda:us-east-1:017000801446:layer:Powertools:1",
              # 'user' needs the link signer's secret, a type moto's CloudFormation lacks (filtered out).
              "LinkSigner": "role"}


def make_gif(path: Path, frames: int = 3) -> Path:
    images = [Image.new("RGB", (32, 24), (40 * i % 255, 90, 160)) for i in range(frames)]
    buffer = io.BytesIO()
    images[0].save(buffer, format="GIF", save_all=True, append_images=images[1:], duration=100, loop=0)
    path.write_bytes(buffer.getvalue())
    return path


def upload_route(events, rule_name: str) -> UploadRoute:
    """The deployed EventBridge rule as the local S3 → EventBridge hop: its bucket, key prefix and target."""
    rule = events.describe_rule(Name=rule_name)
    pattern = json.loads(rule["EventPattern"])
    assert (pattern["source"], pattern["detail-type"]) == (["aws.s3"], ["Object Created"])
    (bucket,) = pattern["detail"]["bucket"]["name"]
    (prefix,) = [p["prefix"] for p in pattern["detail"]["object"]["key"]]
    (target,) = events.list_targets_by_rule(Rule=rule_name)["Targets"]
    return UploadRoute(bucket, prefix, target["Arn"])


@pytest.fixture(scope="module")
def deployed(tmp_path_factory):
    work = tmp_path_factory.mktemp("deployed-stack")
    runtime = RuntimeSettings(region=REGION, mail_dir=work / "mail", instant_retries=True, work_dir=work / "jobs",
                              processing_command=[sys.executable, str(FAKE_CONTAINER)])
    filtered, removed = for_moto(template.build())
    with LocalMotoServer(runtime) as server:
        def client(service):
            return boto3.client(service, endpoint_url=server.endpoint_url, region_name=REGION,
                                aws_access_key_id="testing", aws_secret_access_key="testing")

        s3, cfn = client("s3"), client("cloudformation")
        s3.create_bucket(Bucket="artefacts")
        code = package.build_zip()
        key = package.code_key(code, "nst/")
        s3.put_object(Bucket="artefacts", Key=key, Body=code)
        assert "SenderIdentity" in removed  # AWS::SES::EmailIdentity: moto lacks it, so stand in for it
        client("ses").verify_email_identity(EmailAddress=SENDER)
        cfn.create_stack(StackName="nst", TemplateBody=json.dumps(filtered), Capabilities=["CAPABILITY_IAM"],
                         Parameters=[{"ParameterKey": k, "ParameterValue": v}
                                     for k, v in {**PARAMETERS, "CodeKey": key}.items()])
        assert cfn.describe_stacks(StackName="nst")["Stacks"][0]["StackStatus"] == "CREATE_COMPLETE"
        # by logical id (moto lists a few entries without one, e.g. for AWS::Lambda::Permission)
        physical = {r["LogicalResourceId"]: r.get("PhysicalResourceId")
                    for r in cfn.describe_stack_resources(StackName="nst")["StackResources"]
                    if "LogicalResourceId" in r}
        runtime.upload_routes.append(upload_route(client("events"), physical["UploadRule"]))
        yield {"client": client, "runtime": runtime, "resources": physical}


@pytest.fixture
def run(deployed, tmp_path):
    """upload(style) -> (description, mails of this execution, history), through the deployed resources."""
    client, resources = deployed["client"], deployed["resources"]

    def upload(style: str, address: str = "uploader@example.com"):
        before = set(deployed["runtime"].mail_dir.glob("*.eml"))
        key = f"uploads/{tmp_path.name}/cat.gif"
        client("s3").put_object(Bucket=resources["UploadsBucket"], Key=key, ContentType="image/gif",
                                Body=make_gif(tmp_path / "cat.gif").read_bytes(),
                                Metadata={"email": address, "style": style})
        delivery = next(d for d in reversed(s3_events.DELIVERIES) if d.event["detail"]["object"]["key"] == key)
        assert delivery.done.wait(30) and not delivery.errored, delivery.payload
        # the deployed start_execution, from the rule's target
        assert delivery.function_name.endswith(":function:" + resources["StartExecutionFunction"])
        arn = delivery.payload["execution_arn"]
        sfn = client("stepfunctions")
        assert arn.startswith(resources["GifPipeline"].replace(":stateMachine:", ":execution:") + ":")
        # The uploader confirms by the first mail's link, through the deployed confirm_upload (moto has no
        # function URLs: the link's host is a stand-in, the request goes to the function as its URL would send it).
        deadline = time.monotonic() + 60
        while sfn.describe_execution(executionArn=arn)["status"] == "RUNNING" and time.monotonic() < deadline:
            waiting = [e for e in execution_history(sfn, arn) if e["type"] == "TaskSubmitted"
                       and e["taskSubmittedEventDetails"]["resource"] == "invoke.waitForTaskToken"]
            mails = [email.message_from_bytes(p.read_bytes(), policy=policy.default)
                     for p in sorted(set(deployed["runtime"].mail_dir.glob("*.eml")) - before)]
            if waiting and mails:
                visit = follow(confirm_link(mails[0]), fetch=invoker(client, resources["ConfirmUploadFunction"]))
                assert visit.status == 200, visit
                break
            time.sleep(0.2)
        description = wait_for_execution(sfn, arn, timeout=60)
        paths = sorted(set(deployed["runtime"].mail_dir.glob("*.eml")) - before)
        mails = [email.message_from_bytes(p.read_bytes(), policy=policy.default) for p in paths]
        return description, mails, execution_history(sfn, arn)
    return upload


def test_the_deployed_state_machine_has_the_stacks_arns(deployed):
    sfn = deployed["client"]("stepfunctions")
    resources = deployed["resources"]
    definition = sfn.describe_state_machine(stateMachineArn=resources["GifPipeline"])["definition"]
    assert "${" not in definition
    for logical in ("ValidateUploadFunction", "SendEmailFunction", "PublishResultFunction", "ExplainFailureFunction",
                    "ResultsBucket", "SageMakerRole"):
        assert resources[logical] in definition, logical


def test_a_gif_runs_through_the_deployed_pipeline(deployed, run):
    description, mails, history = run(style="starry_night")
    assert description["status"] == "SUCCEEDED", description
    name, resources = description["name"], deployed["resources"]
    results = deployed["client"]("s3").list_objects_v2(Bucket=resources["ResultsBucket"], Prefix=f"jobs/{name}/")
    assert {f"jobs/{name}/stylized.gif", f"jobs/{name}/metrics.json"} <= {o["Key"] for o in results["Contents"]}
    assert [m["To"] for m in mails] == ["uploader@example.com"] * 2
    assert {m["From"] for m in mails} == {SENDER}
    assert "got your GIF" in mails[0]["Subject"] and "ready" in mails[1]["Subject"]
    # the processing job ran with the deployed image, role and instance types
    (scheduled,) = [json.loads(e["taskScheduledEventDetails"]["parameters"]) for e in history
                    if e["type"] == "TaskScheduled" and e["taskScheduledEventDetails"]["resourceType"] == "sagemaker"]
    job = deployed["client"]("sagemaker").describe_processing_job(ProcessingJobName=scheduled["ProcessingJobName"])
    assert job["AppSpecification"]["ImageUri"] == PARAMETERS["ImageUri"]
    assert job["RoleArn"].endswith(":role/" + resources["SageMakerRole"])
    assert job["ProcessingResources"]["ClusterConfig"]["InstanceType"] == template.PARAMETERS[
        "InstanceTypes"]["Default"].split(",")[0]


def test_an_unknown_style_fails_the_execution_with_a_rejection_mail(run):
    description, mails, history = run(style="no_such_painting")
    assert (description["status"], description["error"]) == ("FAILED", "UnknownStyle"), description
    assert not any(e["type"] == "TaskSubmitted" for e in history)
    assert len(mails) == 1 and mails[0]["To"] == "uploader@example.com"
    assert description["cause"] in mails[0].get_body(("plain",)).get_content()


def _stylize_jobs(deployed, history) -> list[dict]:
    """DescribeProcessingJob of each StylizeGif attempt, in order."""
    sagemaker = deployed["client"]("sagemaker")
    names = [json.loads(e["taskScheduledEventDetails"]["parameters"])["ProcessingJobName"] for e in history
             if e["type"] == "TaskScheduled" and e["taskScheduledEventDetails"]["resourceType"] == "sagemaker"]
    return [sagemaker.describe_processing_job(ProcessingJobName=name) for name in names]


@pytest.fixture
def no_capacity_for():
    from pipeline.local.extensions.processing_jobs import PROVISIONING

    yield PROVISIONING.fail_next
    PROVISIONING.clear()


def test_a_job_that_fails_with_capacity_error_moves_to_the_next_instance_type(deployed, run, no_capacity_for):
    """AWS's usual shortage: the job starts, then fails "CapacityError: ..." (States.TaskFailed, no Retry
    matches); the execution goes on with the next of the stack's InstanceTypes and succeeds."""
    first, second = template.PARAMETERS["InstanceTypes"]["Default"].split(",")[:2]
    no_capacity_for(first)
    description, mails, history = run(style="starry_night")
    assert description["status"] == "SUCCEEDED", description
    jobs = _stylize_jobs(deployed, history)
    assert [j["ProcessingResources"]["ClusterConfig"]["InstanceType"] for j in jobs] == [first, second]
    assert jobs[0]["ProcessingJobStatus"] == "Failed" and jobs[0]["FailureReason"].startswith("CapacityError:")
    assert "WasCapacityShortage" in [e.get("stateEnteredEventDetails", {}).get("name") for e in history]
    assert len(mails) == 2 and "ready" in mails[1]["Subject"]


def test_capacity_errors_on_every_type_end_in_no_capacity_and_keep_the_upload(deployed, run, no_capacity_for):
    for instance_type in template.PARAMETERS["InstanceTypes"]["Default"].split(","):
        no_capacity_for(instance_type)
    description, mails, history = run(style="starry_night")
    assert (description["status"], description["error"]) == ("FAILED", "NoCapacity"), description
    assert all(j["FailureReason"].startswith("CapacityError:") for j in _stylize_jobs(deployed, history))
    assert len(mails) == 2 and "waiting for a free GPU" in mails[1]["Subject"]
    key = json.loads(description["input"])["key"]
    deployed["client"]("s3").head_object(Bucket=deployed["resources"]["UploadsBucket"], Key=key)  # kept
