"""Least privilege: each role's actions equal what its code calls (plus documented platform actions)."""
import json

import pytest

from deploy_iam_scan import granted_actions, module_files, required_actions, role_statements
from pipeline.deploy import functions, orchestration, template
from pipeline.workflow import ASL_PATH

LAMBDA_PLATFORM = {"logs:CreateLogStream", "logs:PutLogEvents", "xray:PutTraceSegments", "xray:PutTelemetryRecords"}
# SageMaker itself, not the container's code: listing S3Prefix inputs, pulling the image, logs, metrics,
# and the async endpoint's SNS notifications.
SAGEMAKER_PLATFORM = {"s3:ListBucket", "ecr:GetAuthorizationToken", "ecr:BatchCheckLayerAvailability",
                      "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "logs:CreateLogGroup",
                      "logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents",
                      "cloudwatch:PutMetricData", "sns:Publish"}
# What Step Functions needs per integration Resource (AWS's "IAM policies for integrated services").
INTEGRATIONS = {
    "arn:aws:states:::lambda:invoke": {"lambda:InvokeFunction"},
    # the callback pattern needs nothing more of the machine's role: the token comes back from confirm_upload
    "arn:aws:states:::lambda:invoke.waitForTaskToken": {"lambda:InvokeFunction"},
    "arn:aws:states:::sagemaker:createProcessingJob.sync": {
        "sagemaker:CreateProcessingJob", "sagemaker:DescribeProcessingJob", "sagemaker:StopProcessingJob",
        "iam:PassRole", "events:PutTargets", "events:PutRule", "events:DescribeRule"},
}
STATES_PLATFORM = set(orchestration.LOG_DELIVERY_ACTIONS) | set(orchestration.XRAY_ACTIONS)
RESOURCELESS = {"xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules",
                "xray:GetSamplingTargets", "ecr:GetAuthorizationToken", "cloudwatch:PutMetricData",
                *orchestration.LOG_DELIVERY_ACTIONS}


@pytest.fixture(scope="module")
def built():
    return template.build()


@pytest.mark.parametrize("function", functions.ALL_FUNCTIONS, ids=lambda f: f.name)
def test_function_role_grants_exactly_what_its_code_calls(built, function):
    needed = required_actions(module_files(function.handler.rpartition(".")[0]))
    granted = granted_actions(role_statements(built, functions.logical_id(function, "Role")))
    platform = granted_actions(functions.PLATFORM_STATEMENTS.get(function.name, []))
    assert needed, "the scan found no AWS calls: is the handler path right?"
    assert granted - LAMBDA_PLATFORM - platform == needed
    assert LAMBDA_PLATFORM <= granted


def test_sagemaker_role_covers_the_container_and_nothing_else(built):
    needed = required_actions(module_files("stylizer.serving.app") | module_files("stylizer.process"))
    granted = granted_actions(role_statements(built, "SageMakerRole"))
    assert granted == needed | SAGEMAKER_PLATFORM


def test_state_machine_role_matches_the_definition(built):
    asl = json.loads(ASL_PATH.read_text(encoding="utf-8"))
    tasks = [s for s in _states(asl) if s.get("Type") == "Task"]
    needed = set().union(*(INTEGRATIONS[t["Resource"]] for t in tasks))
    statements = role_statements(built, "GifPipelineRole")
    assert granted_actions(statements) == needed | STATES_PLATFORM
    # lambda:InvokeFunction on exactly the functions the definition names.
    named = {t["Parameters"]["FunctionName"] for t in tasks if ":::lambda:invoke" in t["Resource"]}
    subs = built["Resources"]["GifPipeline"]["Properties"]["DefinitionSubstitutions"]
    invoke = next(s for s in statements if s["Action"] == ["lambda:InvokeFunction"])
    assert sorted(map(json.dumps, invoke["Resource"])) == sorted(json.dumps(subs[n[2:-1]]) for n in named)
    pass_role = next(s for s in statements if s["Action"] == ["iam:PassRole"])
    assert pass_role["Condition"] == {"StringEquals": {"iam:PassedToService": "sagemaker.amazonaws.com"}}


def _states(machine):
    for state in machine["States"].values():
        yield state
        for branch in state.get("Branches", []):
            yield from _states(branch)


def test_no_wildcard_actions_and_star_resources_only_where_aws_has_none(built):
    for name, resource in built["Resources"].items():
        documents = [p["PolicyDocument"] for p in resource.get("Properties", {}).get("Policies", [])]
        for statement in (s for d in documents for s in d["Statement"]):
            if "Fn::If" in statement:
                continue
            actions = [statement["Action"]] if isinstance(statement["Action"], str) else statement["Action"]
            assert all("*" not in a for a in actions), (name, actions)
            if statement["Resource"] == "*":
                assert set(actions) <= RESOURCELESS, (name, actions)


def test_visitors_reach_only_their_own_prefixes(built):
    for statement in role_statements(built, "VisitorRole"):
        resources = statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
        if statement["Action"][0].startswith("s3:"):
            for arn in resources:
                assert arn["Fn::Join"][1][-1].endswith("/${cognito-identity.amazonaws.com:sub}/*"), arn
        else:
            assert resources == [{"Fn::GetAtt": ["PaintRequestFunction", "Arn"]}]
            assert statement["Action"] in (["lambda:InvokeFunctionUrl"], ["lambda:InvokeFunction"])


def test_visitors_may_call_the_paint_url_and_nothing_else_of_lambda(built):
    """Function URLs made since October 2025 check lambda:InvokeFunction as well as InvokeFunctionUrl; the
    second is only granted for calls that come through the URL (not the Invoke API)."""
    lambda_statements = {tuple(s["Action"]): s for s in role_statements(built, "VisitorRole")
                         if s["Action"][0].startswith("lambda:")}
    assert set(lambda_statements) == {("lambda:InvokeFunctionUrl",), ("lambda:InvokeFunction",)}
    assert lambda_statements[("lambda:InvokeFunctionUrl",)]["Condition"] == {
        "StringEquals": {"lambda:FunctionUrlAuthType": "AWS_IAM"}}
    assert lambda_statements[("lambda:InvokeFunction",)]["Condition"] == {
        "Bool": {"lambda:InvokedViaFunctionUrl": "true"}}


def test_mail_is_sent_raw_and_the_role_may_send_raw_through_its_configuration_set(built):
    """SES v2 SendEmail with Content.Raw needs ses:SendRawEmail; the configuration set is a resource too."""
    statement = next(s for s in role_statements(built, "SendEmailRole") if "ses:SendRawEmail" in s["Action"])
    assert {"ses:SendEmail", "ses:SendRawEmail"} == set(statement["Action"])
    resources = json.dumps(statement["Resource"])
    assert ":identity/*" in resources and ":configuration-set/${MailConfigurationSet}" in resources
    environment = built["Resources"]["SendEmailFunction"]["Properties"]["Environment"]["Variables"]
    assert environment["SES_CONFIGURATION_SET"] == {"Ref": "MailConfigurationSet"}
    assert built["Resources"]["MailConfigurationSet"]["Properties"]["SuppressionOptions"] == {
        "SuppressedReasons": ["BOUNCE", "COMPLAINT"]}


def test_the_confirm_link_can_only_answer_this_state_machines_tokens(built):
    """confirm_upload: SendTaskSuccess/Failure on the GIF pipeline only, behind a public URL whose Invoke grant
    holds only through the URL (the link is the credential; nothing else of Lambda is public)."""
    (statement,) = [s for s in role_statements(built, "ConfirmUploadRole") if s["Action"][0].startswith("states:")]
    assert statement["Action"] == ["states:SendTaskFailure", "states:SendTaskSuccess"]
    assert statement["Resource"] == {"Ref": "GifPipeline"}
    resources = built["Resources"]
    assert resources["ConfirmUploadUrl"]["Properties"]["AuthType"] == "NONE"
    grants = {r["Properties"]["Action"]: r["Properties"] for r in resources.values()
              if r["Type"] == "AWS::Lambda::Permission" and r["Properties"]["Principal"] == "*"}
    assert set(grants) == {"lambda:InvokeFunctionUrl", "lambda:InvokeFunction"}
    assert all(g["FunctionName"] == {"Ref": "ConfirmUploadFunction"} for g in grants.values())
    assert grants["lambda:InvokeFunctionUrl"]["FunctionUrlAuthType"] == "NONE"
    assert grants["lambda:InvokeFunction"]["InvokedViaFunctionUrl"] is True
    starter = resources["StartExecutionFunction"]["Properties"]["Environment"]["Variables"]
    assert starter["CONFIRM_URL"] == {"Fn::GetAtt": ["ConfirmUploadUrl", "FunctionUrl"]}
    assert starter["CONFIRM_UPLOADS"] == {"Ref": "ConfirmUploads"}
    assert built["Parameters"]["ConfirmUploads"]["Default"] == "true"  # on unless an operator turns it off
