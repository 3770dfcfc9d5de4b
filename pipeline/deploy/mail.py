"""SES: the sender identity and the configuration set every pipeline mail is sent with.

The configuration set keeps the sender's reputation: addresses that bounce or complain go on the
suppression list (SES then drops later mail to them instead of counting another bounce), and reputation
metrics per configuration set feed two alarms at AWS's review thresholds' warning levels (bounce rate 5 %,
complaint rate 0.1 %), so an operator hears of abuse before SES pauses sending.
"""
from __future__ import annotations

from pipeline.deploy.cfn import Json, ref, resource, sub

BOUNCE_RATE_ALARM = 0.05
COMPLAINT_RATE_ALARM = 0.001


def _reputation_alarm(metric: str, threshold: float, description: str) -> Json:
    return resource("AWS::CloudWatch::Alarm", {
        "AlarmDescription": description, "Namespace": "AWS/SES", "MetricName": metric,
        "Dimensions": [{"Name": "ses:configuration-set", "Value": ref("MailConfigurationSet")}],
        "Statistic": "Maximum", "Period": 3600, "EvaluationPeriods": 1, "Threshold": threshold,
        "ComparisonOperator": "GreaterThanOrEqualToThreshold", "TreatMissingData": "notBreaching",
        "AlarmActions": [ref("OpsTopic")], "OKActions": [ref("OpsTopic")]})


def resources() -> dict[str, Json]:
    return {
        "SenderIdentity": resource("AWS::SES::EmailIdentity", {"EmailIdentity": ref("SenderEmail")},
                                   Condition="CreateSenderIdentity"),
        "MailConfigurationSet": resource("AWS::SES::ConfigurationSet", {
            "Name": sub("${AWS::StackName}-mail"),
            "SuppressionOptions": {"SuppressedReasons": ["BOUNCE", "COMPLAINT"]},
            "ReputationOptions": {"ReputationMetricsEnabled": True},
            "SendingOptions": {"SendingEnabled": True},
            "DeliveryOptions": {"TlsPolicy": "REQUIRE"}}),
        "MailBounceRateAlarm": _reputation_alarm(
            "Reputation.BounceRate", BOUNCE_RATE_ALARM,
            "SES: 5 %+ of the pipeline's mail bounces (SES reviews the account at 5 %, pauses at 10 %)"),
        "MailComplaintRateAlarm": _reputation_alarm(
            "Reputation.ComplaintRate", COMPLAINT_RATE_ALARM,
            "SES: 0.1 %+ of the pipeline's mail is reported as spam (SES reviews at 0.1 %, pauses at 0.5 %)"),
    }
