"""EventBridge "Object Created" (uploads/…) → StartExecution of the GIF pipeline, idempotently.

The execution name is derived from bucket, key and ETag: a repeated event asks for the same name and
Step Functions answers ExecutionAlreadyExists, which we count as success. The input says whether the
uploader must confirm by the mail's link first (CONFIRM_UPLOADS, CONFIRM_TIMEOUT_SECONDS, CONFIRM_URL).
With THROTTLE_TABLE set, each visitor identity may start UPLOADS_PER_HOUR executions per hour
(throttle.py); the rest start nothing.
"""
from datetime import datetime, timezone
from urllib.parse import unquote_plus

from aws_lambda_powertools.utilities.parser import parse
from aws_lambda_powertools.utilities.parser.models import S3EventNotificationEventBridgeModel
from aws_lambda_powertools.utilities.typing import LambdaContext

from lambdas.shared import naming, observability
from lambdas.shared.models import ConfirmSettings, ExecutionInput, JobSettings
from lambdas.start_execution import throttle
from lambdas.start_execution.config import Config, get_config
from lambdas.start_execution.exceptions import NotAnUpload

logger, tracer, metrics = observability.build("start_execution")


def execution_input(event: S3EventNotificationEventBridgeModel, config: Config) -> tuple[str, ExecutionInput]:
    bucket = event.detail.bucket.name
    key = unquote_plus(event.detail.object.key)  # S3 URL-encodes keys in notifications
    if not key.startswith(config.upload_prefix):
        raise NotAnUpload(f"s3://{bucket}/{key} is not under {config.upload_prefix}")
    etag = (event.detail.object.etag or "").strip('"')
    received = event.time.astimezone(timezone.utc) if event.time else datetime.now(timezone.utc)
    payload = ExecutionInput(
        bucket=bucket, key=key, etag=etag, size=int(event.detail.object.size or 0),
        instance_types=list(config.instance_types),
        settings=JobSettings(size=config.style_size, iterations=config.style_iterations),
        received_at=received.isoformat(timespec="seconds"),
        confirm=ConfirmSettings(required=config.confirm_uploads, timeout_seconds=config.confirm_timeout_seconds,
                                url=config.confirm_url),
    )
    return naming.execution_name(bucket, key, etag), payload


@tracer.capture_method
def start(client, config: Config, name: str, payload: ExecutionInput) -> dict:
    try:
        response = client.start_execution(
            stateMachineArn=config.state_machine_arn, name=name, input=payload.model_dump_json()
        )
    except client.exceptions.ExecutionAlreadyExists:
        logger.info("duplicate event: execution already exists")
        return {"execution_name": name, "started": False}
    metrics.add_metric(name="Uploads", unit=observability.MetricUnit.Count, value=1)
    return {"execution_name": name, "execution_arn": response["executionArn"], "started": True}


@metrics.log_metrics
@tracer.capture_lambda_handler
def handler(event: dict, context: LambdaContext) -> dict:
    import boto3  # imported at call time so the handler module stays cheap to import in tests

    config = get_config()
    model = parse(event=event, model=S3EventNotificationEventBridgeModel)
    name, payload = execution_input(model, config)
    logger.set_correlation_id(name)
    logger.info("upload", extra={"bucket": payload.bucket, "key": payload.key, "bytes": payload.size})
    identity = throttle.identity_of(payload.key, config.upload_prefix)
    if config.throttle_table and identity and not throttle.admit(
            boto3.client("dynamodb"), config.throttle_table, identity, config.uploads_per_hour,
            datetime.now(timezone.utc)):
        logger.warning("throttled: identity over its uploads per hour", extra={"identity": identity})
        metrics.add_metric(name="Throttled", unit=observability.MetricUnit.Count, value=1)
        return {"execution_name": name, "started": False, "throttled": True}
    return start(boto3.client("stepfunctions"), config, name, payload)
