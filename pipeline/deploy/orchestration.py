"""The state machine (the committed ASL, placeholders filled by DefinitionSubstitutions), its role and logs."""
from __future__ import annotations

from pipeline.deploy.cfn import Json, allow, att, ref, resource, service_role, sub
from pipeline.deploy.functions import logical_id
from pipeline.workflow import ASL_PATH, FUNCTIONS

# The rule Step Functions manages to learn that a .sync processing job finished.
SYNC_RULE = "StepFunctionsGetEventsForSageMakerProcessingJobsRule"
ASL_FUNCTIONS = [f for f in FUNCTIONS if f.name != "start_execution"]  # start_execution starts the machine
# Vended log delivery and X-Ray are configured by Step Functions with these calls; AWS documents them on "*".
LOG_DELIVERY_ACTIONS = ["logs:CreateLogDelivery", "logs:DeleteLogDelivery", "logs:DescribeLogGroups",
                        "logs:DescribeResourcePolicies", "logs:GetLogDelivery", "logs:ListLogDeliveries",
                        "logs:PutResourcePolicy", "logs:UpdateLogDelivery"]
XRAY_ACTIONS = ["xray:GetSamplingRules", "xray:GetSamplingTargets", "xray:PutTelemetryRecords",
                "xray:PutTraceSegments"]


def substitutions() -> dict[str, Json]:
    """One value per `${Name}` in the ASL (pipeline.workflow.PLACEHOLDERS)."""
    values: dict[str, Json] = {"SageMakerRoleArn": att("SageMakerRole", "Arn"), "StylizerImageUri": ref("ImageUri"),
                               "ResultsBucket": ref("ResultsBucket")}
    values.update({f.placeholder: att(logical_id(f), "Arn") for f in ASL_FUNCTIONS})
    return values


def role_statements() -> list[Json]:
    region = "${AWS::Partition}:sagemaker:${AWS::Region}:${AWS::AccountId}"
    return [
        allow("lambda:InvokeFunction", [att(logical_id(f), "Arn") for f in ASL_FUNCTIONS]),
        allow(["sagemaker:CreateProcessingJob", "sagemaker:DescribeProcessingJob", "sagemaker:StopProcessingJob"],
              sub(f"arn:{region}:processing-job/*")),
        allow("iam:PassRole", att("SageMakerRole", "Arn"),
              condition={"StringEquals": {"iam:PassedToService": "sagemaker.amazonaws.com"}}),
        allow(["events:DescribeRule", "events:PutRule", "events:PutTargets"],
              sub(f"arn:${{AWS::Partition}}:events:${{AWS::Region}}:${{AWS::AccountId}}:rule/{SYNC_RULE}")),
        allow(LOG_DELIVERY_ACTIONS, "*"),
        allow(XRAY_ACTIONS, "*"),
    ]


def resources(asl_text: str | None = None) -> dict[str, Json]:
    definition = asl_text if asl_text is not None else ASL_PATH.read_text(encoding="utf-8")
    return {
        "GifPipelineLogs": resource("AWS::Logs::LogGroup", {
            "LogGroupName": sub("/aws/vendedlogs/states/${AWS::StackName}-gif-pipeline"), "RetentionInDays": 90},
            DeletionPolicy="Delete"),
        "GifPipelineRole": service_role("states.amazonaws.com", role_statements(), "gif-pipeline"),
        "GifPipeline": resource("AWS::StepFunctions::StateMachine", {
            "StateMachineType": "STANDARD", "RoleArn": att("GifPipelineRole", "Arn"),
            "DefinitionString": definition, "DefinitionSubstitutions": substitutions(),
            # ERROR level without execution data: inputs carry uploaders' e-mail addresses.
            "LoggingConfiguration": {"Level": "ERROR", "IncludeExecutionData": False,
                                     "Destinations": [{"CloudWatchLogsLogGroup": {
                                         "LogGroupArn": att("GifPipelineLogs", "Arn")}}]},
            "TracingConfiguration": {"Enabled": True}}),
    }
