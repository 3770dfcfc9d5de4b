"""Image mode on a running local stack: images bucket, SNS topics, the async endpoint (from `pipeline.endpoint`),
its in-process container and the paint_request Lambda.

    with LocalStack(out_dir) as stack, install_image_mode(stack) as image_mode:
        image_mode.function_name, image_mode.bucket, image_mode.container.wait_idle()

`install_image_mode` installs the `async_endpoint` patch in its own PatchSet (restored on close), so it
works on helper D's LocalStack or a bare LocalMotoServer without changes to them. A stack that wants image
mode built in calls `async_endpoint.install(patches)` from its extension list and `create_local_endpoint`.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Callable, Optional

import boto3

from pipeline import endpoint as definitions

from . import async_endpoint, resources
from .extensions import PatchSet

ENDPOINT_NAME = "nst-image"
FUNCTION_NAME = "nst-paint-request"
HANDLER = "lambdas.paint_request.app.handler"
IMAGES_BUCKET = "nst-local-images"  # not the GIF uploads bucket: its uploads/ prefix starts the GIF pipeline


@dataclass
class ImageModeResources:
    bucket: str
    endpoint_name: str
    function_name: str
    success_topic_arn: str
    error_topic_arn: str
    container: async_endpoint.LocalContainer
    client: Callable[[str], Any]
    identity_pool_id: str


def build_container(client: Callable[[str], Any], defaults=None, limits=None, stylize=None,
                    model=None) -> async_endpoint.LocalContainer:
    """The container's serving code (the same `Invoker` gunicorn runs), model loading started now so the first
    request finds it warm, as an endpoint is InService only after /ping answered 200."""
    from stylizer.serving.app import Invoker
    from stylizer.serving.model import Model

    model = (model or Model()).start()
    return async_endpoint.LocalContainer(Invoker(model, client("s3"), limits, defaults, stylize), client)


def create_local_endpoint(client: Callable[[str], Any], role_arn: str, *, bucket: str = IMAGES_BUCKET,
                          name: str = ENDPOINT_NAME, function_name: str = FUNCTION_NAME,
                          container: Optional[async_endpoint.LocalContainer] = None,
                          function_env: Optional[dict] = None) -> ImageModeResources:
    """Create every image-mode resource on the server `client(service)` reaches; the async_endpoint patch must
    be installed. `container` defaults to `build_container(client)` (the real stylizer)."""
    client("s3").create_bucket(Bucket=bucket)
    sns = client("sns")
    success = sns.create_topic(Name=f"{name}-success")["TopicArn"]
    error = sns.create_topic(Name=f"{name}-error")["TopicArn"]
    definition = definitions.EndpointDefinition(name=name, image_uri="nst-stylizer:local", role_arn=role_arn,
                                                bucket=bucket, success_topic_arn=success, error_topic_arn=error)
    definitions.apply(client, definition)
    async_endpoint.register(name, container or build_container(client))

    environment = {"IMAGES_BUCKET": bucket, "ENDPOINT_NAME": name, "POWERTOOLS_SERVICE_NAME": "paint_request",
                   "POWERTOOLS_TRACE_DISABLED": "true", "POWERTOOLS_METRICS_DISABLED": "true",
                   "POWERTOOLS_METRICS_NAMESPACE": "nst-local", "LOG_LEVEL": "WARNING", **(function_env or {})}
    lam = client("lambda")
    resources.create_function(lam, role_arn, function_name, HANDLER, environment, timeout=30)
    # The page reaches the function through its URL with SigV4 (AWS_IAM); recorded here as in AWS, though
    # locally the event is sent with Invoke (moto serves no function URLs).
    lam.create_function_url_config(FunctionName=function_name, AuthType="AWS_IAM")
    pool = client("cognito-identity").create_identity_pool(IdentityPoolName="nst_local_images",
                                                           AllowUnauthenticatedIdentities=True)
    return ImageModeResources(bucket, name, function_name, success, error, async_endpoint.ENDPOINTS[name],
                              client, pool["IdentityPoolId"])


class ImageMode:
    """Context manager: patch installed + resources created on enter, patch and worker removed on exit."""

    def __init__(self, client: Callable[[str], Any], **options):
        self.client, self.options = client, options
        self.patches = PatchSet()
        self.resources: Optional[ImageModeResources] = None

    def __enter__(self) -> ImageModeResources:
        async_endpoint.install(self.patches)
        try:
            role = resources.create_role(self.client("iam"), name="nst-local-image-mode")
            self.resources = create_local_endpoint(self.client, role, **self.options)
        except BaseException:
            self.patches.restore()
            raise
        return self.resources

    def __exit__(self, *exc_info) -> None:
        self.patches.restore()


def install_image_mode(stack: Any, **options) -> ImageMode:
    """`stack` is helper D's LocalStack (has `.client(service)`) or a LocalMotoServer (has `.endpoint_url`)."""
    client = getattr(stack, "client", None)
    if client is None:
        region = stack.runtime.region

        def client(service: str):
            return boto3.client(service, endpoint_url=stack.endpoint_url, region_name=region,
                                aws_access_key_id="testing", aws_secret_access_key="testing")
    return ImageMode(client, **options)


def notifications(client: Callable[[str], Any], topic_arn: str) -> "Subscription":
    return Subscription(client, topic_arn)


class Subscription:
    """An SQS queue subscribed to a topic (raw delivery): how a test or a consumer sees the notifications."""

    def __init__(self, client: Callable[[str], Any], topic_arn: str):
        self.sqs = client("sqs")
        name = topic_arn.rsplit(":", 1)[-1] + "-watch"
        self.queue_url = self.sqs.create_queue(QueueName=name)["QueueUrl"]
        queue_arn = self.sqs.get_queue_attributes(QueueUrl=self.queue_url,
                                                  AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        client("sns").subscribe(TopicArn=topic_arn, Protocol="sqs", Endpoint=queue_arn,
                                Attributes={"RawMessageDelivery": "true"})

    def receive(self, wait_s: int = 1) -> list[dict]:
        response = self.sqs.receive_message(QueueUrl=self.queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=wait_s)
        messages = response.get("Messages", [])
        for message in messages:
            self.sqs.delete_message(QueueUrl=self.queue_url, ReceiptHandle=message["ReceiptHandle"])
        return [json.loads(message["Body"]) for message in messages]
