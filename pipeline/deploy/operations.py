"""What operators get: alarms (to an SNS topic, e-mailed when OperatorEmail is set) and one CloudWatch
dashboard. (The SES identity and mail alarms are in mail.py.)"""
from __future__ import annotations

import json

from pipeline.deploy.cfn import Json, att, ref, resource, sub
from pipeline.deploy.functions import ALL_FUNCTIONS, METRICS_NAMESPACE, logical_id


def _alarm(description: str, namespace: str, metric: str, dimensions: list[Json], threshold: float,
           period: int = 300) -> Json:
    return resource("AWS::CloudWatch::Alarm", {
        "AlarmDescription": description, "Namespace": namespace, "MetricName": metric, "Dimensions": dimensions,
        "Statistic": "Sum", "Period": period, "EvaluationPeriods": 1, "Threshold": threshold,
        "ComparisonOperator": "GreaterThanOrEqualToThreshold", "TreatMissingData": "notBreaching",
        "AlarmActions": [ref("OpsTopic")], "OKActions": [ref("OpsTopic")]})


def _dashboard() -> Json:
    """The body is JSON text with ${...} for the stack's names (Fn::Sub)."""
    machine = ["AWS/States", "{metric}", "StateMachineArn", "${GifPipeline}"]
    endpoint = ["AWS/SageMaker", "{metric}", "EndpointName", "${ImageEndpoint.EndpointName}"]

    def widget(title: str, template: list[str], metrics: list[str], x: int, y: int, stat: str = "Sum") -> Json:
        return {"type": "metric", "x": x, "y": y, "width": 12, "height": 6, "properties": {
            "title": title, "region": "${AWS::Region}", "stat": stat, "period": 300,
            "metrics": [[m if part == "{metric}" else part for part in template] for m in metrics]}}

    lambda_errors = [["AWS/Lambda", "Errors", "FunctionName", "${%s}" % logical_id(f)] for f in ALL_FUNCTIONS]
    body = {"widgets": [
        widget("GIF pipeline executions", machine,
               ["ExecutionsStarted", "ExecutionsSucceeded", "ExecutionsFailed"], 0, 0),
        widget("Image mode: queue", endpoint, ["ApproximateBacklogSize", "HasBacklogWithoutCapacity"], 12, 0,
               "Maximum"),
        widget("Image mode: invocations", endpoint, ["InvocationsProcessed", "InvocationFailures"], 0, 6),
        {"type": "metric", "x": 12, "y": 6, "width": 12, "height": 6, "properties": {
            "title": "Lambda errors", "region": "${AWS::Region}", "stat": "Sum", "period": 300,
            "metrics": lambda_errors}},
        {"type": "metric", "x": 0, "y": 12, "width": 12, "height": 6, "properties": {
            "title": "Rejected uploads by reason", "region": "${AWS::Region}", "period": 3600,
            "metrics": [[{"expression": f"SEARCH('{{{METRICS_NAMESPACE},reason}} MetricName=\"Rejections\"', "
                                        "'Sum', 3600)", "id": "rejections"}]]}},
        {"type": "metric", "x": 12, "y": 12, "width": 12, "height": 6, "properties": {
            "title": "Seconds per frame by instance type", "region": "${AWS::Region}", "period": 3600,
            "metrics": [[{"expression": f"SEARCH('{{{METRICS_NAMESPACE},instance_type,service}} "
                                        "MetricName=\"SecondsPerFrame\"', 'Average', 3600)", "id": "speed"}]]}},
    ]}
    return sub(json.dumps(body))


def resources() -> dict[str, Json]:
    machine = [{"Name": "StateMachineArn", "Value": ref("GifPipeline")}]
    endpoint = [{"Name": "EndpointName", "Value": att("ImageEndpoint", "EndpointName")}]
    return {
        "OpsTopic": resource("AWS::SNS::Topic", {"DisplayName": "NST pipeline alarms"}),
        "OpsSubscription": resource("AWS::SNS::Subscription", {
            "TopicArn": ref("OpsTopic"), "Protocol": "email", "Endpoint": ref("OperatorEmail")},
            Condition="HasOperatorEmail"),
        # Rejected uploads end in a Fail state too, so one failure is normal; several in 15 minutes are not.
        "PipelineFailuresAlarm": _alarm("GIF pipeline: 3+ failed executions in 15 minutes (rejections included)",
                                        "AWS/States", "ExecutionsFailed", machine, 3, 900),
        "PipelineTimeoutsAlarm": _alarm("GIF pipeline: an execution timed out or was aborted",
                                        "AWS/States", "ExecutionsTimedOut", machine, 1),
        "EndpointFailuresAlarm": _alarm("Image mode: asynchronous invocations failed",
                                        "AWS/SageMaker", "InvocationFailures", endpoint, 1),
        "PaintRequestErrorsAlarm": _alarm("Image mode: paint_request raised (refusals are 4xx, not errors)",
                                          "AWS/Lambda", "Errors",
                                          [{"Name": "FunctionName", "Value": ref("PaintRequestFunction")}], 3),
        "Dashboard": resource("AWS::CloudWatch::Dashboard", {
            "DashboardName": sub("${AWS::StackName}-nst"), "DashboardBody": _dashboard()}),
    }
