"""After the processing job: check the result under s3://RESULTS_BUCKET/jobs/<execution>/, presign links
for the uploader, write result.json next to it, and record SecondsPerFrame for the wait estimates.

Output: {gif_url, preview_url, result_uri, expires, link_lifetime} for the completion e-mail.
"""
import json
from datetime import datetime, timedelta, timezone

from aws_lambda_powertools.utilities.parser import parse
from aws_lambda_powertools.utilities.typing import LambdaContext
from botocore.exceptions import ClientError

from lambdas.publish_result.config import Config, get_config
from lambdas.publish_result.exceptions import ResultMissing
from lambdas.shared import observability
from lambdas.shared.models import PublishRequest

logger, tracer, metrics = observability.build("publish_result")
RESULT_GIF, RESULT_PREVIEW, MANIFEST = "stylized.gif", "preview.png", "result.json"  # = stylizer.contract


def _exists(s3, bucket: str, key: str) -> bool:
    try:
        s3.head_object(Bucket=bucket, Key=key)
        return True
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
            return False
        raise


def describe_lifetime(seconds: int) -> str:
    days, hours = seconds // 86400, seconds // 3600
    if days >= 1 and seconds % 86400 == 0:
        return f"{days} day{'s' if days != 1 else ''}"
    if hours >= 1:
        return f"{hours} hour{'s' if hours != 1 else ''}"
    return f"{seconds // 60} minutes"


def signing_client(config: Config):
    """An S3 client that presigns with SigV4 (X-Amz-Expires, up to 7 days; botocore may default to SigV2
    query auth), with the link signer's long-term keys when configured."""
    import boto3
    from botocore.config import Config as BotoConfig

    sigv4 = BotoConfig(signature_version="s3v4")
    if not config.link_signer_secret_arn:
        return boto3.client("s3", config=sigv4)
    secret = json.loads(boto3.client("secretsmanager").get_secret_value(
        SecretId=config.link_signer_secret_arn)["SecretString"])
    return boto3.client("s3", config=sigv4, aws_access_key_id=secret["access_key_id"],
                        aws_secret_access_key=secret["secret_access_key"])


def presign(s3, bucket: str, key: str, ttl: int, content_type: str, download_name: str | None = None) -> str:
    params = {"Bucket": bucket, "Key": key, "ResponseContentType": content_type}
    if download_name:
        params["ResponseContentDisposition"] = f'attachment; filename="{download_name}"'
    return s3.generate_presigned_url("get_object", Params=params, ExpiresIn=ttl)


@tracer.capture_method
def record_speed(sagemaker, request: PublishRequest) -> float | None:
    """SecondsPerFrame from the job's own start/end times; missing times (local runs) skip the metric."""
    try:
        job = sagemaker.describe_processing_job(ProcessingJobName=request.job_name)
    except ClientError as error:
        logger.warning("cannot describe the processing job", extra={"error": str(error)})
        return None
    start, end = job.get("ProcessingStartTime"), job.get("ProcessingEndTime")
    if not start or not end:
        return None
    seconds = (end - start).total_seconds() / request.frames
    metrics.add_dimension(name="instance_type", value=request.instance_type)
    metrics.add_metric(name="SecondsPerFrame", unit=observability.MetricUnit.Seconds, value=seconds)
    return seconds


@tracer.capture_method
def publish(s3, signer, config: Config, request: PublishRequest, now: datetime) -> dict:
    prefix = f"jobs/{request.execution}/"
    bucket = config.results_bucket
    if not _exists(s3, bucket, prefix + RESULT_GIF):
        raise ResultMissing(f"The stylizer finished but s3://{bucket}/{prefix}{RESULT_GIF} is missing.")
    ttl = config.link_ttl_seconds
    gif_url = presign(signer, bucket, prefix + RESULT_GIF, ttl, "image/gif", f"{request.execution}.gif")
    preview_url = (presign(signer, bucket, prefix + RESULT_PREVIEW, ttl, "image/png")
                   if _exists(s3, bucket, prefix + RESULT_PREVIEW) else gif_url)
    result = {
        "result_uri": f"s3://{bucket}/{prefix}{RESULT_GIF}", "gif_url": gif_url, "preview_url": preview_url,
        "expires": (now + timedelta(seconds=ttl)).isoformat(timespec="minutes"),
        "link_lifetime": describe_lifetime(ttl),
    }
    s3.put_object(Bucket=bucket, Key=prefix + MANIFEST, Body=json.dumps(result, indent=2).encode(),
                  ContentType="application/json")
    return result


@metrics.log_metrics
@tracer.capture_lambda_handler
def handler(event: dict, context: LambdaContext) -> dict:
    import boto3

    request = parse(event=event, model=PublishRequest)
    logger.set_correlation_id(request.execution)
    config = get_config()
    result = publish(boto3.client("s3"), signing_client(config), config, request, datetime.now(timezone.utc))
    record_speed(boto3.client("sagemaker"), request)
    logger.info("result published", extra={"result_uri": result["result_uri"]})
    return result
