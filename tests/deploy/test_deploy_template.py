"""The template: cfn-lint clean, the committed ASL with every placeholder supplied, environments complete."""
import ast
import json
from pathlib import Path

import pytest

from pipeline.deploy import functions, template
from pipeline.workflow import ASL_PATH, PLACEHOLDERS, placeholders_in

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def built():
    return template.build()


def test_cfn_lint_clean(built):
    from cfnlint.api import ManualArgs, lint

    matches = lint(template.render(built), config=ManualArgs(regions=["us-east-1", "eu-west-1"]))
    assert [str(m) for m in matches] == []


def test_state_machine_is_the_committed_definition_with_every_placeholder_supplied(built):
    machine = built["Resources"]["GifPipeline"]["Properties"]
    text = ASL_PATH.read_text(encoding="utf-8")
    assert machine["DefinitionString"] == text  # the file itself, not a copy that could drift
    assert set(machine["DefinitionSubstitutions"]) == placeholders_in(text) == set(PLACEHOLDERS)


def test_a_missing_placeholder_is_caught_by_lint():
    """Guards the test above: an ASL placeholder without a substitution must fail cfn-lint."""
    from cfnlint.api import ManualArgs, lint

    broken = template.build()
    del broken["Resources"]["GifPipeline"]["Properties"]["DefinitionSubstitutions"]["ResultsBucket"]
    assert any("ResultsBucket" in str(m) for m in lint(template.render(broken), config=ManualArgs()))


def _required_env(function) -> set[str]:
    """Variables read as os.environ["X"] (no default) anywhere in the function's folder."""
    names = set()
    for path in (ROOT / "lambdas" / function.name).glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant)
                    and ast.unparse(node.value) == "os.environ"):
                names.add(node.slice.value)
    return names


@pytest.mark.parametrize("function", functions.ALL_FUNCTIONS, ids=lambda f: f.name)
def test_function_environment(built, function):
    properties = built["Resources"][functions.logical_id(function)]["Properties"]
    variables = set(properties["Environment"]["Variables"])
    assert variables <= set(function.environment)  # nothing the code does not read
    assert _required_env(function) <= variables  # everything it cannot do without
    assert properties["Handler"] == function.handler
    module = ROOT / Path(*function.handler.split(".")[:-1]).with_suffix(".py")
    assert f"def {function.handler.rsplit('.', 1)[1]}(" in module.read_text(encoding="utf-8")


def test_data_is_retained_and_private(built):
    for name in ("UploadsBucket", "ImagesBucket", "ResultsBucket"):
        bucket = built["Resources"][name]
        assert bucket["DeletionPolicy"] == bucket["UpdateReplacePolicy"] == "Retain"
    for name, resource in built["Resources"].items():
        if resource["Type"] == "AWS::S3::Bucket":
            assert all(resource["Properties"]["PublicAccessBlockConfiguration"].values()), name
            assert resource["Properties"]["BucketEncryption"], name


def test_upload_rule_matches_the_uploads_prefix_and_targets_start_execution(built):
    rule = built["Resources"]["UploadRule"]["Properties"]
    assert rule["EventPattern"]["detail"]["object"]["key"] == [{"prefix": "uploads/"}]
    assert rule["Targets"][0]["Arn"] == {"Fn::GetAtt": ["StartExecutionFunction", "Arn"]}
    uploads = built["Resources"]["UploadsBucket"]["Properties"]
    assert uploads["NotificationConfiguration"]["EventBridgeConfiguration"]["EventBridgeEnabled"] is True
    assert "ETag" in uploads["CorsConfiguration"]["CorsRules"][0]["ExposedHeaders"]


def test_endpoint_scales_to_zero(built):
    resources = built["Resources"]
    assert resources["ImageScalableTarget"]["Properties"]["MinCapacity"] == 0
    backlog = resources["ImageBacklogPolicy"]["Properties"]["TargetTrackingScalingPolicyConfiguration"]
    assert backlog["CustomizedMetricSpecification"]["MetricName"] == "ApproximateBacklogSizePerInstance"
    alarm = resources["ImageBacklogWithoutCapacityAlarm"]["Properties"]
    assert alarm["MetricName"] == "HasBacklogWithoutCapacity"
    assert alarm["AlarmActions"] == [{"Ref": "ImageScaleFromZeroPolicy"}]
    assert resources["ImageScaleFromZeroPolicy"]["Properties"]["PolicyType"] == "StepScaling"


def test_render_is_json_for_template_url(built):
    assert json.loads(template.render(built)) == built


def test_an_upload_event_that_cannot_start_the_pipeline_lands_in_the_dead_letter_queue(built):
    """EventBridge → start_execution is asynchronous: both ways it can fail end in one queue with an alarm."""
    resources, queue = built["Resources"], {"Fn::GetAtt": ["UploadEventsDeadLetters", "Arn"]}
    (target,) = resources["UploadRule"]["Properties"]["Targets"]
    assert target["DeadLetterConfig"] == {"Arn": queue}  # EventBridge could not deliver
    invoke = resources["StartExecutionInvokeConfig"]["Properties"]
    assert invoke["FunctionName"] == {"Ref": "StartExecutionFunction"}
    assert invoke["DestinationConfig"] == {"OnFailure": {"Destination": queue}}  # the function kept failing
    (grant,) = resources["UploadEventsDeadLettersPolicy"]["Properties"]["PolicyDocument"]["Statement"]
    assert grant["Principal"] == {"Service": "events.amazonaws.com"}
    assert grant["Condition"] == {"ArnEquals": {"aws:SourceArn": {"Fn::GetAtt": ["UploadRule", "Arn"]}}}
    alarm = resources["UploadEventsDeadLettersAlarm"]["Properties"]
    assert alarm["MetricName"] == "ApproximateNumberOfMessagesVisible" and alarm["Threshold"] == 1
    assert alarm["AlarmActions"] == [{"Ref": "OpsTopic"}]
    assert {"UploadEventsDeadLetterQueueUrl", "StartExecutionFunctionName"} <= set(built["Outputs"])
