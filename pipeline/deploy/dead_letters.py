"""No upload is lost: where a GIF's "Object Created" event goes when it cannot start the pipeline.

EventBridge invokes start_execution asynchronously, so a failure is nobody's error to see: if EventBridge
cannot deliver (throttled, function missing) its target's dead-letter queue gets the event; if the function
fails after Lambda's own retries, its on-failure destination gets the event wrapped in an invocation record.
The function also names the queue as its own DLQ (checkov asks for one; it holds the bare event). All land in
one SQS queue (14 days), an alarm fires on its first message, and `nst replay` feeds each event back to
start_execution: idempotent (the execution name comes from bucket, key and ETag), so an event queued twice
starts one execution.
"""
from __future__ import annotations

from pipeline.deploy.cfn import Json, allow, att, ref, resource

QUEUE = "UploadEventsDeadLetters"
RETENTION_SECONDS = 14 * 24 * 3600  # SQS's maximum: two weeks for an operator to notice and replay
LAMBDA_RETRIES = 2  # Lambda's default for asynchronous invocations, stated


def function_statements() -> list[Json]:
    """start_execution's role: Lambda sends the on-failure record with the function's own role."""
    return [allow("sqs:SendMessage", att(QUEUE, "Arn"))]


def rule_target_dead_letters() -> Json:
    return {"Arn": att(QUEUE, "Arn")}


def resources() -> dict[str, Json]:
    from_rule = {"Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"}, "Action": "sqs:SendMessage",
                 "Resource": att(QUEUE, "Arn"), "Condition": {"ArnEquals": {"aws:SourceArn": att("UploadRule", "Arn")}}}
    return {
        QUEUE: resource("AWS::SQS::Queue", {"MessageRetentionPeriod": RETENTION_SECONDS,
                                            "SqsManagedSseEnabled": True}),
        f"{QUEUE}Policy": resource("AWS::SQS::QueuePolicy", {
            "Queues": [ref(QUEUE)], "PolicyDocument": {"Version": "2012-10-17", "Statement": [from_rule]}}),
        "StartExecutionInvokeConfig": resource("AWS::Lambda::EventInvokeConfig", {
            "FunctionName": ref("StartExecutionFunction"), "Qualifier": "$LATEST",
            "MaximumRetryAttempts": LAMBDA_RETRIES,
            "DestinationConfig": {"OnFailure": {"Destination": att(QUEUE, "Arn")}}}),
        "UploadEventsDeadLettersAlarm": resource("AWS::CloudWatch::Alarm", {
            "AlarmDescription": "An upload's event could not start the GIF pipeline: `nst replay` after fixing why",
            "Namespace": "AWS/SQS", "MetricName": "ApproximateNumberOfMessagesVisible",
            "Dimensions": [{"Name": "QueueName", "Value": att(QUEUE, "QueueName")}],
            "Statistic": "Maximum", "Period": 300, "EvaluationPeriods": 1, "Threshold": 1,
            "ComparisonOperator": "GreaterThanOrEqualToThreshold", "TreatMissingData": "notBreaching",
            "AlarmActions": [ref("OpsTopic")], "OKActions": [ref("OpsTopic")]}),
    }
