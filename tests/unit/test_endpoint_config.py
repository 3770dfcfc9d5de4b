"""pipeline/endpoint.py: the endpoint, its async config and its scale-to-zero policies as boto3 requests."""
import boto3
import botocore.session
import pytest
from botocore.validate import validate_parameters

from pipeline import endpoint

DEFINITION = endpoint.EndpointDefinition(
    name="nst-image", image_uri="123456789012.dkr.ecr.us-east-1.amazonaws.com/nst-stylizer:1",
    role_arn="arn:aws:iam::123456789012:role/nst-sagemaker", bucket="nst-images",
    success_topic_arn="arn:aws:sns:us-east-1:123456789012:nst-image-success",
    error_topic_arn="arn:aws:sns:us-east-1:123456789012:nst-image-error", max_instances=3)
STEP_ARN = "arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:x:resource/sagemaker/y:policyName/z"


def all_requests():
    steps, out, response = endpoint.requests(DEFINITION), [], None
    for service, method, request in iter(lambda: steps.send(response), None):
        out.append((service, method, request))
        response = {"PolicyARN": STEP_ARN}
        if method == "put_metric_alarm":
            break
    return out


def test_every_request_is_valid_for_botocore():
    # The service models' own shapes: a typo or a wrong type in a key fails here, not at deploy time.
    session = botocore.session.get_session()
    for service, method, request in all_requests():
        model = session.get_service_model(service)
        operation = model.operation_model("".join(part.title() for part in method.split("_")))
        validate_parameters(request, operation.input_shape)


def test_order_and_operations():
    assert [(s, m) for s, m, _ in all_requests()] == [
        ("sagemaker", "create_model"), ("sagemaker", "create_endpoint_config"), ("sagemaker", "create_endpoint"),
        ("application-autoscaling", "register_scalable_target"), ("application-autoscaling", "put_scaling_policy"),
        ("application-autoscaling", "put_scaling_policy"), ("cloudwatch", "put_metric_alarm")]


def test_async_inference_config():
    config = endpoint.endpoint_config_request(DEFINITION)
    (variant,) = config["ProductionVariants"]
    assert variant["ModelName"] == endpoint.model_request(DEFINITION)["ModelName"] == "nst-image-model"
    assert config["AsyncInferenceConfig"] == {
        "OutputConfig": {"S3OutputPath": "s3://nst-images/async-outputs",
                         "S3FailurePath": "s3://nst-images/async-failures",
                         "NotificationConfig": {"SuccessTopic": DEFINITION.success_topic_arn,
                                                "ErrorTopic": DEFINITION.error_topic_arn}},
        "ClientConfig": {"MaxConcurrentInvocationsPerInstance": 1}}


def test_scaling_goes_to_zero_and_back():
    target = endpoint.scalable_target_request(DEFINITION)
    assert target == {"ServiceNamespace": "sagemaker", "ResourceId": "endpoint/nst-image/variant/AllTraffic",
                      "ScalableDimension": "sagemaker:variant:DesiredInstanceCount", "MinCapacity": 0,
                      "MaxCapacity": 3}
    tracking = endpoint.backlog_policy_request(DEFINITION)
    metric = tracking["TargetTrackingScalingPolicyConfiguration"]["CustomizedMetricSpecification"]
    assert (tracking["PolicyType"], metric["MetricName"], metric["Namespace"]) == (
        "TargetTrackingScaling", "ApproximateBacklogSizePerInstance", "AWS/SageMaker")
    assert metric["Dimensions"] == [{"Name": "EndpointName", "Value": "nst-image"}]
    step = endpoint.scale_from_zero_policy_request(DEFINITION)
    assert step["PolicyType"] == "StepScaling"
    assert step["StepScalingPolicyConfiguration"]["StepAdjustments"] == [
        {"MetricIntervalLowerBound": 0, "ScalingAdjustment": 1}]
    alarm = endpoint.backlog_alarm_request(DEFINITION, STEP_ARN)
    assert (alarm["MetricName"], alarm["AlarmActions"], alarm["ComparisonOperator"], alarm["Threshold"]) == (
        "HasBacklogWithoutCapacity", [STEP_ARN], "GreaterThanOrEqualToThreshold", 1.0)
    for request in (tracking, step):  # both act on the scalable target registered above
        assert (request["ResourceId"], request["ScalableDimension"]) == (target["ResourceId"],
                                                                         target["ScalableDimension"])


def test_model_data_url_only_when_given():
    assert "ModelDataUrl" not in endpoint.model_request(DEFINITION)["PrimaryContainer"]
    with_model = endpoint.EndpointDefinition(**{**DEFINITION.__dict__, "model_data_url": "s3://m/model.tar.gz"})
    assert endpoint.model_request(with_model)["PrimaryContainer"]["ModelDataUrl"] == "s3://m/model.tar.gz"


@pytest.fixture
def moto_clients(mocked_aws):
    return boto3.client


def test_apply_wires_the_alarm_to_the_step_policy(moto_clients):
    endpoint.apply(moto_clients, DEFINITION)
    sagemaker = moto_clients("sagemaker")
    config = sagemaker.describe_endpoint_config(EndpointConfigName="nst-image-config")
    assert config["AsyncInferenceConfig"]["ClientConfig"]["MaxConcurrentInvocationsPerInstance"] == 1
    assert sagemaker.describe_endpoint(EndpointName="nst-image")["EndpointConfigName"] == "nst-image-config"
    policies = moto_clients("application-autoscaling").describe_scaling_policies(ServiceNamespace="sagemaker")
    by_type = {p["PolicyType"]: p for p in policies["ScalingPolicies"]}
    (alarm,) = moto_clients("cloudwatch").describe_alarms()["MetricAlarms"]
    assert alarm["AlarmActions"] == [by_type["StepScaling"]["PolicyARN"]]
    assert set(by_type) == {"StepScaling", "TargetTrackingScaling"}
