"""Validate an upload before any GPU time is spent: metadata, bytes, GIF structure, style, settings.

Input (state machine Payload): ValidateRequest. Output: the facts the later states need (JSON-plain).
Raises one of exceptions.REJECTIONS; the state machine routes those to the "invalid input" e-mail.
"""
from aws_lambda_powertools.utilities.parser import parse
from botocore.exceptions import ClientError
from aws_lambda_powertools.utilities.typing import LambdaContext

from lambdas.shared import naming, observability
from lambdas.shared.models import ValidateRequest
from lambdas.validate_upload import checks
from lambdas.validate_upload.config import Config, get_config
from lambdas.validate_upload.exceptions import InvalidStyleImage, InvalidUpload, UploadMissing

logger, tracer, metrics = observability.build("validate_upload")
SNIFF_BYTES = 64


def _head(s3, bucket: str, key: str, missing: type[InvalidUpload], what: str) -> dict:
    try:
        return s3.head_object(Bucket=bucket, Key=key)
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
            raise missing(f"The {what} s3://{bucket}/{key} does not exist (any more).") from None
        raise


@tracer.capture_method
def validate(s3, request: ValidateRequest, config: Config) -> dict:
    head = _head(s3, request.bucket, request.key, UploadMissing, "upload")
    metadata = {k.lower(): v for k, v in head.get("Metadata", {}).items()}
    email = checks.check_email(metadata.get("email"))
    checks.check_size(head["ContentLength"], config.limits)
    data = s3.get_object(Bucket=request.bucket, Key=request.key)["Body"].read(config.limits.max_bytes + 1)
    info = checks.check_gif(data, config.limits)

    style = checks.parse_style(metadata.get("style"), config.style_upload_prefix,
                               checks.owner_folder(request.key, config.upload_prefix))
    gif_uri = f"s3://{request.bucket}/{request.key}"
    style_uri = gif_uri  # stand-in so the `style` channel is never empty; process.py ignores it with --style
    if style.key is not None:
        style_head = _head(s3, request.bucket, style.key, InvalidStyleImage, "style image")
        sniff = s3.get_object(Bucket=request.bucket, Key=style.key, Range=f"bytes=0-{SNIFF_BYTES - 1}")
        checks.check_style_image(sniff["Body"].read(), style_head["ContentLength"], config.limits)
        style_uri = f"s3://{request.bucket}/{style.key}"

    settings = request.settings
    checks.check_settings(settings.size, settings.iterations, config.max_size, config.max_iterations)
    first_type = request.instance_types[0]
    estimate = config.estimate_seconds(first_type, info.frames, settings.iterations, (info.height, info.width),
                                       settings.size)
    return {
        "email": email, "file": naming.upload_file_name(metadata.get("filename"), request.key),
        "style": style.name, "style_title": style.title, "style_credit": style.credit, "style_uri": style_uri,
        "gif_uri": gif_uri, "width": info.width, "height": info.height, "frames": info.frames,
        "duration_ms": info.duration_ms, "bytes": info.bytes,
        "arguments": checks.job_arguments(style, settings.size, settings.iterations),
        "job_name_prefix": naming.job_name_prefix(request.execution),
        "estimate_seconds": estimate, "estimate": checks.describe_duration(estimate),
    }


@metrics.log_metrics
@tracer.capture_lambda_handler
def handler(event: dict, context: LambdaContext) -> dict:
    import boto3

    request = parse(event=event, model=ValidateRequest)
    logger.set_correlation_id(request.execution)
    try:
        result = validate(boto3.client("s3"), request, get_config())
    except InvalidUpload as error:
        observability.count_rejection(type(error).__name__)
        logger.info("rejected", extra={"reason": type(error).__name__, "detail": str(error)})
        raise
    logger.info("valid upload", extra={"frames": result["frames"], "style": result["style"]})
    return result
