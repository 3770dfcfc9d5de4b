"""The image-mode endpoint as data: boto3 request dicts for SageMaker, Application Auto Scaling and CloudWatch.

    definition = EndpointDefinition(name="nst-image", image_uri=..., role_arn=..., bucket="nst-images",
                                    success_topic_arn=..., error_topic_arn=...)
    for service, operation, request in requests(definition):
        getattr(clients(service), operation)(**request)

Deploy and the local stack (pipeline/local/async_endpoint.py) send the same dicts, so what runs locally is
what AWS gets. Scaling is AWS's documented pattern for asynchronous endpoints that scale to zero:
- a scalable target on `sagemaker:variant:DesiredInstanceCount`, MinCapacity 0;
- target tracking on `ApproximateBacklogSizePerInstance` (queued requests per instance) to add instances
  while a backlog grows and remove them, down to 0, when it is gone;
- target tracking cannot leave 0 (a backlog per 0 instances is undefined), so a step scaling policy, fired by
  a CloudWatch alarm on `HasBacklogWithoutCapacity`, adds the first instance.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator

VARIANT = "AllTraffic"
SCALABLE_DIMENSION = "sagemaker:variant:DesiredInstanceCount"
METRICS_NAMESPACE = "AWS/SageMaker"
OUTPUT_PREFIX = "async-outputs/"
FAILURE_PREFIX = "async-failures/"


@dataclass(frozen=True)
class EndpointDefinition:
    name: str
    image_uri: str
    role_arn: str
    bucket: str  # images bucket: the endpoint writes outputs, failures and progress objects there
    success_topic_arn: str
    error_topic_arn: str
    instance_type: str = "ml.g4dn.xlarge"
    max_instances: int = 2
    # One stylisation saturates a GPU; a second concurrent one would halve both speeds (serving/app.py).
    max_concurrent_per_instance: int = 1
    # Queued requests per instance to aim for: at ~1 min per image, 4 means a new request waits ~4 min
    # before an extra instance (several minutes to start) is worth its cost.
    backlog_per_instance: float = 4.0
    scale_in_cooldown_s: int = 600  # instances start slowly: keep one a while after the queue empties
    scale_out_cooldown_s: int = 300
    model_data_url: str | None = None  # a model.tar.gz with VGG19 weights; None = weights baked into the image
    environment: dict[str, str] = field(default_factory=dict)

    @property
    def model_name(self) -> str:
        return f"{self.name}-model"

    @property
    def config_name(self) -> str:
        return f"{self.name}-config"

    @property
    def resource_id(self) -> str:
        return f"endpoint/{self.name}/variant/{VARIANT}"

    @property
    def output_path(self) -> str:
        return f"s3://{self.bucket}/{OUTPUT_PREFIX.rstrip('/')}"

    @property
    def failure_path(self) -> str:
        return f"s3://{self.bucket}/{FAILURE_PREFIX.rstrip('/')}"


def model_request(d: EndpointDefinition) -> dict:
    container = {"Image": d.image_uri, "Environment": dict(d.environment)}
    if d.model_data_url:
        container["ModelDataUrl"] = d.model_data_url
    return {"ModelName": d.model_name, "ExecutionRoleArn": d.role_arn, "PrimaryContainer": container}


def endpoint_config_request(d: EndpointDefinition) -> dict:
    return {
        "EndpointConfigName": d.config_name,
        # An async endpoint must start with at least one instance; the scalable target takes it to 0 later.
        "ProductionVariants": [{"VariantName": VARIANT, "ModelName": d.model_name, "InstanceType": d.instance_type,
                                "InitialInstanceCount": 1}],
        "AsyncInferenceConfig": {
            "OutputConfig": {"S3OutputPath": d.output_path, "S3FailurePath": d.failure_path,
                             "NotificationConfig": {"SuccessTopic": d.success_topic_arn,
                                                    "ErrorTopic": d.error_topic_arn}},
            "ClientConfig": {"MaxConcurrentInvocationsPerInstance": d.max_concurrent_per_instance},
        },
    }


def endpoint_request(d: EndpointDefinition) -> dict:
    return {"EndpointName": d.name, "EndpointConfigName": d.config_name}


def scalable_target_request(d: EndpointDefinition) -> dict:
    return {"ServiceNamespace": "sagemaker", "ResourceId": d.resource_id, "ScalableDimension": SCALABLE_DIMENSION,
            "MinCapacity": 0, "MaxCapacity": d.max_instances}


def _endpoint_dimension(d: EndpointDefinition) -> list[dict]:
    return [{"Name": "EndpointName", "Value": d.name}]


def backlog_policy_request(d: EndpointDefinition) -> dict:
    return {
        "PolicyName": f"{d.name}-backlog-per-instance", "ServiceNamespace": "sagemaker",
        "ResourceId": d.resource_id, "ScalableDimension": SCALABLE_DIMENSION, "PolicyType": "TargetTrackingScaling",
        "TargetTrackingScalingPolicyConfiguration": {
            "TargetValue": d.backlog_per_instance,
            "CustomizedMetricSpecification": {"MetricName": "ApproximateBacklogSizePerInstance",
                                              "Namespace": METRICS_NAMESPACE, "Dimensions": _endpoint_dimension(d),
                                              "Statistic": "Average"},
            "ScaleInCooldown": d.scale_in_cooldown_s, "ScaleOutCooldown": d.scale_out_cooldown_s,
        },
    }


def scale_from_zero_policy_request(d: EndpointDefinition) -> dict:
    return {
        "PolicyName": f"{d.name}-scale-from-zero", "ServiceNamespace": "sagemaker", "ResourceId": d.resource_id,
        "ScalableDimension": SCALABLE_DIMENSION, "PolicyType": "StepScaling",
        "StepScalingPolicyConfiguration": {
            "AdjustmentType": "ChangeInCapacity", "MetricAggregationType": "Average",
            "Cooldown": d.scale_out_cooldown_s,
            "StepAdjustments": [{"MetricIntervalLowerBound": 0, "ScalingAdjustment": 1}],
        },
    }


def backlog_alarm_request(d: EndpointDefinition, scale_from_zero_policy_arn: str) -> dict:
    """HasBacklogWithoutCapacity is 1 while requests wait and no instance runs; the alarm fires the step policy."""
    return {
        "AlarmName": f"{d.name}-has-backlog-without-capacity", "MetricName": "HasBacklogWithoutCapacity",
        "Namespace": METRICS_NAMESPACE, "Dimensions": _endpoint_dimension(d), "Statistic": "Average",
        "Period": 60, "EvaluationPeriods": 2, "DatapointsToAlarm": 2, "Threshold": 1.0,
        "ComparisonOperator": "GreaterThanOrEqualToThreshold", "TreatMissingData": "missing",
        "AlarmActions": [scale_from_zero_policy_arn],
    }


def requests(d: EndpointDefinition) -> Iterator[tuple[str, str, dict]]:
    """(boto3 service, method, request) in the order they must be sent. A generator: the alarm needs the step
    policy's ARN, so the caller sends each request before asking for the next and passes the
    PutScalingPolicy response back with `.send(response)`."""
    yield "sagemaker", "create_model", model_request(d)
    yield "sagemaker", "create_endpoint_config", endpoint_config_request(d)
    yield "sagemaker", "create_endpoint", endpoint_request(d)
    yield "application-autoscaling", "register_scalable_target", scalable_target_request(d)
    yield "application-autoscaling", "put_scaling_policy", backlog_policy_request(d)
    step = yield "application-autoscaling", "put_scaling_policy", scale_from_zero_policy_request(d)
    yield "cloudwatch", "put_metric_alarm", backlog_alarm_request(d, step["PolicyARN"])


def apply(client, d: EndpointDefinition) -> dict:
    """Send every request with `client(service)` (a boto3 client factory); returns {method: last response}."""
    responses: dict = {}
    steps = requests(d)
    response = None
    while True:
        try:
            service, method, request = steps.send(response)
        except StopIteration:
            return responses
        response = getattr(client(service), method)(**request)
        responses[method] = response
