"""The committed state machine: equal to what pipeline/workflow.py builds, valid ASL, placeholders declared,
every Catch and Next resolves, capacity retries as AWS recommends, e-mail contexts cover their templates."""
import importlib
import json

import pytest
from statelint.linter import Linter

from lambdas.send_email.app import DERIVED
from lambdas.send_email.render import _template
from lambdas.shared.models import TEMPLATES
from lambdas.validate_upload.exceptions import REJECTIONS
from pipeline import workflow

COMMITTED = workflow.ASL_PATH.read_text(encoding="utf-8")
ASL = json.loads(COMMITTED)
SAMPLES = {"SageMakerRoleArn": "arn:aws:iam::123456789012:role/nst-sagemaker",
           "StylizerImageUri": "123456789012.dkr.ecr.us-east-1.amazonaws.com/nst-stylizer:latest",
           "ResultsBucket": "nst-results",
           **{f.placeholder: f"arn:aws:lambda:us-east-1:123456789012:function:nst-{f.name}"
              for f in workflow.FUNCTIONS}}


def states(asl=ASL):
    return dict(workflow._states(asl))


def test_committed_json_is_what_workflow_builds():
    assert COMMITTED == workflow.render(workflow.build()), "run: python -m pipeline.workflow"


def test_statelint_accepts_it_with_sample_values():
    assert Linter.validate(workflow.fill(COMMITTED, SAMPLES)) == []


def test_placeholders_are_declared_both_ways():
    assert workflow.placeholders_in(COMMITTED) == set(workflow.PLACEHOLDERS)


def test_fill_refuses_missing_values():
    with pytest.raises(KeyError, match="ResultsBucket"):
        workflow.fill(COMMITTED, {k: v for k, v in SAMPLES.items() if k != "ResultsBucket"})


def test_every_transition_targets_a_state_in_its_scope():
    def check(scope: dict):
        names = set(scope["States"])
        assert scope["StartAt"] in names
        for name, state in scope["States"].items():
            targets = [state.get("Next"), state.get("Default")] + [c["Next"] for c in state.get("Catch", [])] \
                + [c["Next"] for c in state.get("Choices", [])]
            assert {t for t in targets if t} <= names, name
            assert state.get("End") or state.get("Next") or state["Type"] in ("Choice", "Fail", "Succeed"), name
            for branch in state.get("Branches", []):
                check(branch)
    check(ASL)


def test_every_catch_keeps_the_input():
    for name, state in states().items():
        for catch in state.get("Catch", []):
            assert catch.get("ResultPath", "").startswith("$."), name


def test_rejections_route_to_the_invalid_input_path():
    first = states()["ValidateUpload"]["Catch"][0]
    assert set(first["ErrorEquals"]) == {cls.__name__ for cls in REJECTIONS}
    assert first["Next"] == "ExplainRejection"
    reject = states()["RejectUpload"]
    assert reject == {"Type": "Fail", "ErrorPath": "$.explained.error", "CausePath": "$.explained.reason"}


def test_capacity_retry_and_fallback():
    stylize = states()["StylizeGif"]
    (retry,) = [r for r in stylize["Retry"] if workflow.CAPACITY_ERROR in r["ErrorEquals"]]
    assert retry["IntervalSeconds"] >= 60 and retry["BackoffRate"] == 2 and 2 <= retry["MaxAttempts"] <= 5
    assert stylize["Catch"][0] == {"ErrorEquals": [workflow.CAPACITY_ERROR], "Next": "NextInstanceType",
                                   "ResultPath": "$.capacity_error"}
    assert states()["HasInstanceTypeLeft"]["Default"] == "NotifyNoCapacity"
    assert states()["NotifyNoCapacity"]["Next"] == "NoCapacity"


def test_throttling_is_retried_under_the_name_that_arrives():
    """Step Functions reports a throttled SageMaker call as SageMaker.AmazonSageMakerException (SageMaker's SDK
    models no ThrottlingException); names that never arrive would make the Retry dead code."""
    retried = {name for r in states()["StylizeGif"]["Retry"] for name in r["ErrorEquals"]}
    assert "SageMaker.AmazonSageMakerException" in retried
    assert not {"ThrottlingException", "SageMaker.ThrottlingException"} & retried
    (throttling,) = [r for r in states()["StylizeGif"]["Retry"]
                     if r["ErrorEquals"] == ["SageMaker.AmazonSageMakerException"]]
    assert throttling["IntervalSeconds"] <= 10 and throttling["MaxAttempts"] >= 3  # throttling clears in seconds


def test_a_job_that_failed_with_capacity_error_moves_to_the_next_instance_type():
    """A shortage usually shows as a started job failing with FailureReason "CapacityError: ...", reported as
    States.TaskFailed (not ResourceLimitExceeded): the Catch sends it through a Choice on the cause."""
    catches = states()["StylizeGif"]["Catch"]
    names = [c["ErrorEquals"] for c in catches]
    assert names.index(["States.TaskFailed"]) < names.index(["States.ALL"])
    task_failed = catches[names.index(["States.TaskFailed"])]
    assert task_failed["ResultPath"] == "$.error"  # what ExplainFailure reads when it is not capacity
    choice = states()[task_failed["Next"]]
    assert choice["Type"] == "Choice" and choice["Default"] == "ExplainFailure"
    (rule,) = choice["Choices"]
    assert rule == {"Variable": "$.error.Cause", "StringMatches": "*CapacityError:*", "Next": "NextInstanceType"}


def test_processing_job_contract():
    stylize = states()["StylizeGif"]
    assert stylize["Resource"] == "arn:aws:states:::sagemaker:createProcessingJob.sync"
    params = stylize["Parameters"]
    assert params["AppSpecification"]["ContainerEntrypoint"] == ["python3", "-m", "stylizer.process"]
    assert params["AppSpecification"]["ContainerArguments.$"] == "$.upload.arguments"
    inputs = {i["InputName"]: i["S3Input"] for i in params["ProcessingInputs"]}
    assert inputs["gif"]["LocalPath"] == "/opt/ml/processing/input/gif" and inputs["gif"]["S3Uri.$"] == "$.upload.gif_uri"
    assert inputs["style"]["LocalPath"] == "/opt/ml/processing/input/style"
    (output,) = params["ProcessingOutputConfig"]["Outputs"]
    assert output["OutputName"] == "result" and output["S3Output"]["LocalPath"] == "/opt/ml/processing/output/result"
    assert output["S3Output"]["S3Uri.$"] == "States.Format('s3://${ResultsBucket}/jobs/{}/', $$.Execution.Name)"
    assert params["ProcessingResources"]["ClusterConfig"]["InstanceType.$"] == "$.capacity.instance_type"
    assert "JSONata" not in COMMITTED and "QueryLanguage" not in COMMITTED


def test_functions_exist_and_are_wired():
    used = {s["Parameters"]["FunctionName"] for s in states().values()
            if s.get("Resource") == "arn:aws:states:::lambda:invoke"}
    assert used == {f.arn for f in workflow.FUNCTIONS if f.name != "start_execution"}
    for function in workflow.FUNCTIONS:
        module, attribute = function.handler.rsplit(".", 1)
        assert callable(getattr(importlib.import_module(module), attribute))
        assert function.handler == f"lambdas.{function.name}.app.handler"


@pytest.mark.parametrize("template", TEMPLATES)
def test_email_states_pass_what_their_template_needs(template):
    senders = [s for s in states().values() if s.get("Parameters", {}).get("Payload", {}).get("template") == template]
    assert senders, f"no state sends {template!r}"
    needed = set()
    for part in ("subject", "txt", "html"):
        template_obj = _template(template, part)
        # string.Template's pattern groups: escaped, named, braced, invalid
        needed |= {match.group("named") or match.group("braced")
                   for match in template_obj.pattern.finditer(template_obj.template)
                   if match.group("named") or match.group("braced")}
    assert needed, "templates use $names"
    for state in senders:
        given = {k.removesuffix(".$") for k in state["Parameters"]["Payload"]["context"]} | {"execution"}
        assert needed <= given | DERIVED.get(template, set()), needed - given


def test_the_uploader_confirms_by_link_before_anything_is_painted():
    """Issue 11, point 10: the first mail waits for its task token; timeout and "Not me" end the execution."""
    machine = states()
    assert machine["ValidateUpload"]["Next"] == "ConfirmationRequired"
    choice = machine["ConfirmationRequired"]
    assert choice["Default"] == "AskToConfirm"  # confirmation is the default; only an explicit false skips it
    assert choice["Choices"] == [{"Variable": "$.confirm.required", "BooleanEquals": False,
                                  "Next": "SendReceivedEmail"}]
    ask = machine["AskToConfirm"]
    assert ask["Resource"] == "arn:aws:states:::lambda:invoke.waitForTaskToken"
    assert ask["TimeoutSecondsPath"] == "$.confirm.timeout_seconds" and "TimeoutSeconds" not in ask
    assert ask["Parameters"]["Payload"]["context"]["token.$"] == "$$.Task.Token"
    assert ask["Parameters"]["Payload"]["template"] == "confirm"
    catches = [(c["ErrorEquals"], c["Next"]) for c in ask["Catch"]]
    assert catches == [(["States.Timeout"], "NotConfirmed"), ([workflow.DECLINED_ERROR], "Declined"),
                       (["States.ALL"], "ExplainFailure")]
    assert ask["Next"] == machine["SendReceivedEmail"]["Next"] == "InitCapacity"
    for name, error in (("NotConfirmed", "NotConfirmed"), ("Declined", "UploadDeclined")):
        assert machine[name]["Type"] == "Fail" and machine[name]["Error"] == error
        assert "upload is kept" in machine[name]["Cause"]
    from lambdas.confirm_upload.app import DECLINED_ERROR
    assert DECLINED_ERROR == workflow.DECLINED_ERROR
