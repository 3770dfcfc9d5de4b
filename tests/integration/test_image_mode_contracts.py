"""Pins the moto internals pipeline/local/async_endpoint.py relies on; these fail first when moto changes."""
import inspect

import boto3
import moto
from moto import mock_aws


def test_moto_version_is_the_pinned_one():
    assert moto.__version__ == "5.2.5"


def test_invoke_endpoint_async_response_handler():
    from moto.sagemakerruntime.responses import SageMakerRuntimeResponse

    handler = SageMakerRuntimeResponse.invoke_endpoint_async
    assert list(inspect.signature(handler).parameters) == ["self"]
    source = inspect.getsource(handler)
    # the replacement parses the endpoint name and headers the same way and returns (status, headers, body)
    for fragment in ('self.path.split("/")[2]', "X-Amzn-SageMaker-InputLocation", "X-Amzn-SageMaker-Inference-Id",
                     "X-Amzn-SageMaker-OutputLocation", "X-Amzn-SageMaker-FailureLocation"):
        assert fragment in source
    for attribute in ("current_account", "region", "headers", "path"):
        assert attribute in dir(SageMakerRuntimeResponse) or attribute in inspect.getsource(
            SageMakerRuntimeResponse.__mro__[1])


def test_sagemaker_backend_keeps_async_inference_config(monkeypatch):
    from moto.sagemaker.models import sagemaker_backends

    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    config = {"OutputConfig": {"S3OutputPath": "s3://b/out", "NotificationConfig": {"SuccessTopic": "arn:t"}},
              "ClientConfig": {"MaxConcurrentInvocationsPerInstance": 1}}
    with mock_aws():
        client = boto3.client("sagemaker", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
        client.create_model(ModelName="m", ExecutionRoleArn="arn:aws:iam::123456789012:role/r",
                            PrimaryContainer={"Image": "i"})
        client.create_endpoint_config(EndpointConfigName="c", AsyncInferenceConfig=config, ProductionVariants=[
            {"VariantName": "v", "ModelName": "m", "InstanceType": "ml.g4dn.xlarge", "InitialInstanceCount": 1}])
        client.create_endpoint(EndpointName="e", EndpointConfigName="c")
        backend = sagemaker_backends["123456789012"]["us-east-1"]
        endpoint = backend.endpoints["e"]
        assert backend.endpoint_configs[endpoint.endpoint_config_name].async_inference_config == config


def test_moto_error_class_for_validation_errors():
    from moto.core.exceptions import JsonRESTError

    error = JsonRESTError("ValidationError", "nope")
    assert error.code == 400 and "ValidationError" in error.get_body()
