"""SageMaker: the execution role (processing jobs and the image-mode endpoint), and the asynchronous
endpoint with scaling to zero, translated from pipeline/endpoint.py's request dicts so that the stack, the
local runtime and `pipeline.endpoint.apply` describe one endpoint.

Translation: strings holding `${...}` become Fn::Sub; names CloudFormation should generate are dropped
(a fixed ModelName or EndpointConfigName would block replacement on update); cross references become Ref/GetAtt.
"""
from __future__ import annotations

from typing import Any

from pipeline import endpoint
from pipeline.deploy.cfn import Json, allow, att, bucket_arn, ref, resource, service_role, sub
from pipeline.deploy.storage import (ASYNC_INPUT_PREFIX, FAILURE_PREFIX, OUTPUT_PREFIX, PHOTO_PREFIX, PROGRESS_PREFIX,
                                     RESULT_PREFIX, STYLE_PREFIX, UPLOAD_PREFIX)

ENDPOINT_NAME = "${AWS::StackName}-image"
# Where the endpoint lives for scaling: the GetAtt makes the scalable target wait for the endpoint.
_SCALING = endpoint.EndpointDefinition(
    name="${ImageEndpoint.EndpointName}", image_uri="${ImageUri}", role_arn="${SageMakerRole.Arn}",
    bucket="${ImagesBucket}", success_topic_arn="${InferenceTopic}", error_topic_arn="${InferenceTopic}",
    instance_type="${EndpointInstanceType}")
DEFINITION = endpoint.EndpointDefinition(**{**vars(_SCALING), "name": ENDPOINT_NAME})


def _cfn(value: Any) -> Any:
    if isinstance(value, str):
        return sub(value) if "${" in value else value
    if isinstance(value, dict):
        return {k: _cfn(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_cfn(v) for v in value]
    return value


def _without(request: dict, *keys: str) -> dict:
    return {k: v for k, v in request.items() if k not in keys}


def role_statements() -> list[Json]:
    return [
        # Processing job (GIFs): S3Prefix inputs are listed, then read; the result prefix is written.
        allow("s3:GetObject", [bucket_arn("UploadsBucket", UPLOAD_PREFIX + "*"),
                               bucket_arn("UploadsBucket", STYLE_PREFIX + "*")]),
        allow("s3:ListBucket", bucket_arn("UploadsBucket")),
        allow("s3:PutObject", bucket_arn("ResultsBucket", RESULT_PREFIX + "*")),
        # Endpoint (photos): the request JSON and the images it names in, progress and outputs out.
        allow("s3:GetObject", [bucket_arn("ImagesBucket", ASYNC_INPUT_PREFIX + "*"),
                               bucket_arn("ImagesBucket", PHOTO_PREFIX + "*")]),
        allow("s3:PutObject", [bucket_arn("ImagesBucket", p + "*")
                               for p in (OUTPUT_PREFIX, FAILURE_PREFIX, PROGRESS_PREFIX)]),
        allow("sns:Publish", ref("InferenceTopic")),
        # Pulling the image: the token call has no resource; the layers come from the one repository.
        allow("ecr:GetAuthorizationToken", "*"),
        allow(["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
              sub("arn:${AWS::Partition}:ecr:${AWS::Region}:${AWS::AccountId}:repository/${ImageRepository}")),
        allow(["logs:CreateLogGroup", "logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"],
              sub("arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/aws/sagemaker/*")),
        allow("cloudwatch:PutMetricData", "*",  # PutMetricData has no resource; limit it to SageMaker's namespaces
              condition={"StringLike": {"cloudwatch:namespace": "/aws/sagemaker/*"}}),
    ]


def resources() -> dict[str, Json]:
    model = _without(endpoint.model_request(DEFINITION), "ModelName")
    if not model["PrimaryContainer"]["Environment"]:
        del model["PrimaryContainer"]["Environment"]
    config = _without(endpoint.endpoint_config_request(DEFINITION), "EndpointConfigName")
    for variant in config["ProductionVariants"]:
        variant["ModelName"] = att("ImageModel", "ModelName")
        variant["InitialVariantWeight"] = 1.0
    scaling_target = ref("ImageScalableTarget")
    backlog = _without(endpoint.backlog_policy_request(_SCALING), "ServiceNamespace", "ResourceId",
                       "ScalableDimension")
    from_zero = _without(endpoint.scale_from_zero_policy_request(_SCALING), "ServiceNamespace", "ResourceId",
                         "ScalableDimension")
    alarm = _without(endpoint.backlog_alarm_request(_SCALING, "unused"), "AlarmName", "AlarmActions")
    target = endpoint.scalable_target_request(_SCALING)
    return {
        "SageMakerRole": service_role("sagemaker.amazonaws.com", role_statements(), "stylizer"),
        "InferenceTopic": resource("AWS::SNS::Topic", {"DisplayName": "NST image mode: endpoint results"}),
        "ImageModel": resource("AWS::SageMaker::Model", _cfn(model)),
        "ImageEndpointConfig": resource("AWS::SageMaker::EndpointConfig", _cfn(config)),
        "ImageEndpoint": resource("AWS::SageMaker::Endpoint", {
            "EndpointName": sub(ENDPOINT_NAME), "EndpointConfigName": att("ImageEndpointConfig", "EndpointConfigName")}),
        "ImageScalableTarget": resource("AWS::ApplicationAutoScaling::ScalableTarget",
                                        {**_cfn(target), "MaxCapacity": ref("EndpointMaxInstances")}),
        "ImageBacklogPolicy": resource("AWS::ApplicationAutoScaling::ScalingPolicy",
                                       {**_cfn(backlog), "ScalingTargetId": scaling_target}),
        "ImageScaleFromZeroPolicy": resource("AWS::ApplicationAutoScaling::ScalingPolicy",
                                             {**_cfn(from_zero), "ScalingTargetId": scaling_target}),
        "ImageBacklogWithoutCapacityAlarm": resource("AWS::CloudWatch::Alarm", {
            **_cfn(alarm), "AlarmDescription": "Requests wait and no instance runs: add the first instance",
            "AlarmActions": [ref("ImageScaleFromZeroPolicy")]}),
    }
