"""The template deployed into moto's CloudFormation through `pipeline.deploy.stack` (change sets), with the
resource types moto lacks filtered out as deploy_moto_filter.py documents.

moto 5.2.5 limits what this shows: it ignores DefinitionSubstitutions (the machine keeps its `${...}`),
LoggingConfiguration/Tracing, Layers, bucket notifications and CORS, and returns no Outputs after a change
set. So the checks are: every supported resource is created, functions carry the template's handler and
environment, the machine's definition is the committed file, and delete + empty work.
test_pipeline_on_deployed_stack.py runs the pipeline on such a stack (our extension layer fills the substitutions).
"""
import json

import boto3
import pytest
from moto import mock_aws

from deploy_moto_filter import for_moto
from pipeline.deploy import functions, package, stack, template
from pipeline.workflow import ASL_PATH

REGION = "us-east-1"
PARAMETERS = {"ImageUri": "123456789012.dkr.ecr.us-east-1.amazonaws.com/nst-stylizer:v1",
              "SenderEmail": "pipeline@example.com", "ArtefactsBucket": "artefacts",
              "PowertoolsLayerArn": "arn:aws:lambda:us-east-1:017000801446:layer:Powertools:1"}


@pytest.fixture
def deployed():
    filtered, removed = for_moto(template.build())
    with mock_aws():
        s3 = boto3.client("s3", region_name=REGION)
        s3.create_bucket(Bucket="artefacts")
        code = package.build_zip()
        key = package.code_key(code, "nst/")
        s3.put_object(Bucket="artefacts", Key=key, Body=code)
        s3.put_object(Bucket="artefacts", Key="nst/template.json", Body=json.dumps(filtered).encode())
        cfn = boto3.client("cloudformation", region_name=REGION)
        messages = []
        stack.deploy(cfn, "nst", "https://artefacts.s3.us-east-1.amazonaws.com/nst/template.json",
                     {**PARAMETERS, "CodeKey": key}, say=messages.append, delay=1)
        summaries = cfn.list_stack_resources(StackName="nst")["StackResourceSummaries"]
        yield {"cfn": cfn, "s3": s3, "filtered": filtered, "removed": removed, "messages": messages,
               "resources": {r["LogicalResourceId"]: r["PhysicalResourceId"] for r in summaries}}


# Conditions false under PARAMETERS (LinkSigner defaults to "user"): their resources are not created, and moto
# lists an empty summary (no logical id) in their place.
FALSE_CONDITIONS = {"LinkSignerIsRole"}


def test_every_resource_moto_supports_is_created(deployed):
    expected = {name for name, r in deployed["filtered"]["Resources"].items()
                if r.get("Condition") not in FALSE_CONDITIONS}
    assert set(deployed["resources"]) - {""} == expected
    # The filter must not hide the pipeline's core.
    core = {"UploadsBucket", "ResultsBucket", "ImagesBucket", "GifPipeline", "GifPipelineRole", "SageMakerRole",
            "UploadRule", "ImageModel", "ImageEndpointConfig", "ImageEndpoint", "InferenceTopic"}
    assert core <= set(deployed["resources"])
    assert not core & deployed["removed"]
    assert deployed["messages"][0].startswith("stack nst: create with")


def test_functions_and_state_machine_as_the_template_says(deployed):
    lam = boto3.client("lambda", region_name=REGION)
    for function in functions.ALL_FUNCTIONS:
        configuration = lam.get_function_configuration(
            FunctionName=deployed["resources"][functions.logical_id(function)])
        assert configuration["Handler"] == function.handler
        assert configuration["Runtime"] == functions.RUNTIME
        assert set(configuration["Environment"]["Variables"]) <= set(function.environment)
    starter = lam.get_function_configuration(FunctionName=deployed["resources"]["StartExecutionFunction"])
    machine_arn = deployed["resources"]["GifPipeline"]
    assert starter["Environment"]["Variables"]["STATE_MACHINE_ARN"] == machine_arn
    machine = boto3.client("stepfunctions", region_name=REGION).describe_state_machine(stateMachineArn=machine_arn)
    assert machine["definition"] == ASL_PATH.read_text(encoding="utf-8")


def test_redeploy_without_changes_then_delete(deployed):
    cfn, s3 = deployed["cfn"], deployed["s3"]
    uploads = deployed["resources"]["UploadsBucket"]
    s3.put_object(Bucket=uploads, Key="uploads/a.gif", Body=b"GIF89a")
    assert stack.empty_bucket(s3, uploads) == 1
    assert stack.empty_bucket(s3, "no-such-bucket") == 0
    stack.delete(cfn, "nst", delay=1)
    assert cfn.describe_stacks(StackName=cfn.list_stacks()["StackSummaries"][0]["StackId"])["Stacks"][0][
        "StackStatus"] == "DELETE_COMPLETE"
