"""After the processing job: check the result under s3://RESULTS_BUCKET/jobs/<execution>/, presign links
for the uploader, write result.json next to it, and record SecondsPerFrame for the wait estimates.

Output: {gif_url, preview_url, page_url, download_name, result_uri, expires, link_lifetime} for the completion
e-mail; page_url opens result_page.py's page (the GIF animating, a download button).
"""
import json
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from urllib.parse import quote

from aws_lambda_powertools.utilities.parser import parse
from aws_lambda_powertools.utilities.typing import LambdaContext
from botocore.exceptions import ClientError

from lambdas.publish_result import result_page
from lambdas.publish_result.config import Config, get_config
from lambdas.publish_result.exceptions import ResultMissing, ShortLivedCredentials
from lambdas.shared.lifetimes import describe_lifetime
from lambdas.shared import observability
from lambdas.shared.presign import presigned_get, signing_client
from lambdas.shared.models import PublishRequest

logger, tracer, metrics = observability.build("publish_result")
RESULT_GIF, RESULT_PREVIEW, MANIFEST = "stylized.gif", "preview.png", "result.json"  # = stylizer.contract
ROLE_SESSION_SECONDS = 3600  # the longest session a role chained from the function's role may have
CLOCK_MARGIN_SECONDS = 60  # links end a minute before their credentials, never after


def _exists(s3, bucket: str, key: str) -> bool:
    try:
        s3.head_object(Bucket=bucket, Key=key)
        return True
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
            return False
        raise


@dataclass(frozen=True)
class Signer:
    """An S3 client that presigns, and until when its credentials are valid (None: long-term keys)."""

    client: object
    valid_until: datetime | None = None


def signer(config: Config, now: datetime) -> Signer:
    """Who signs the links. A presigned URL dies when the credentials that signed it expire, whatever its
    X-Amz-Expires, so the expiry of temporary credentials is always known here and bounds the promise:

    - LINK_SIGNER_SECRET_ARN: the link-signer user's long-term keys (links live the whole TTL, up to 7 days);
    - LINK_SIGNER_ROLE_ARN: a session of the read-only link role, AssumeRole'd for ROLE_SESSION_SECONDS
      (a role assumed from a Lambda role is role chaining: AWS caps such sessions at one hour);
    - neither (the local runtime): the default chain. Its keys there are long-term; session keys without a
      known expiry (a Lambda role's own) are trusted for one hour only.
    """
    import boto3

    if config.link_signer_secret_arn:
        secret = json.loads(boto3.client("secretsmanager").get_secret_value(
            SecretId=config.link_signer_secret_arn)["SecretString"])
        return Signer(signing_client(aws_access_key_id=secret["access_key_id"],
                                     aws_secret_access_key=secret["secret_access_key"]))
    if config.link_signer_role_arn:
        credentials = boto3.client("sts").assume_role(
            RoleArn=config.link_signer_role_arn, RoleSessionName="result-links",
            DurationSeconds=ROLE_SESSION_SECONDS)["Credentials"]
        return Signer(signing_client(aws_access_key_id=credentials["AccessKeyId"],
                                     aws_secret_access_key=credentials["SecretAccessKey"],
                                     aws_session_token=credentials["SessionToken"]),
                      valid_until=credentials["Expiration"])
    own = boto3.Session().get_credentials()
    temporary = bool(own and own.get_frozen_credentials().token)
    return Signer(signing_client(), valid_until=now + timedelta(seconds=ROLE_SESSION_SECONDS) if temporary else None)


def link_lifetime(config: Config, signing: Signer, now: datetime) -> int:
    """Seconds the links can promise: the TTL, cut to what the signing credentials keep (a minute's margin)."""
    ttl = config.link_ttl_seconds
    if signing.valid_until is not None:
        ttl = min(ttl, int((signing.valid_until - now).total_seconds()) - CLOCK_MARGIN_SECONDS)
    if ttl < 60:
        raise ShortLivedCredentials(f"The link signer's credentials expire in {ttl + CLOCK_MARGIN_SECONDS} s; "
                                    "links would not outlive the mail.")
    return ttl


def presign(s3, bucket: str, key: str, ttl: int, content_type: str, download_name: str | None = None) -> str:
    params = {"ResponseContentType": content_type}
    if download_name:
        # RFC 6266: an ASCII name for every client, the UTF-8 one (filename*) for those that read it
        ascii_name = download_name.encode("ascii", "replace").decode().replace("?", "_")
        params["ResponseContentDisposition"] = (f'attachment; filename="{ascii_name}"' if ascii_name == download_name
                                                else f"attachment; filename=\"{ascii_name}\"; "
                                                     f"filename*=UTF-8''{quote(download_name)}")
    return presigned_get(s3, bucket, key, ttl, **params)


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
def publish(s3, signing: Signer, config: Config, request: PublishRequest, now: datetime) -> dict:
    prefix = f"jobs/{request.execution}/"
    bucket = config.results_bucket
    if not _exists(s3, bucket, prefix + RESULT_GIF):
        raise ResultMissing(f"The stylizer finished but s3://{bucket}/{prefix}{RESULT_GIF} is missing.")
    ttl = link_lifetime(config, signing, now)
    name = result_page.download_name(request.file, request.style, f"{request.execution}.gif")
    gif_url = presign(signing.client, bucket, prefix + RESULT_GIF, ttl, "image/gif", name)
    preview_url = (presign(signing.client, bucket, prefix + RESULT_PREVIEW, ttl, "image/png")
                   if _exists(s3, bucket, prefix + RESULT_PREVIEW) else gif_url)
    # The mail's link: a page showing the GIF animating (an inline link) with a download button.
    s3.put_object(Bucket=bucket, Key=prefix + result_page.PAGE, ContentType="text/html; charset=utf-8",
                  Body=result_page.render(view_url=presign(signing.client, bucket, prefix + RESULT_GIF, ttl, "image/gif"),
                                          download_url=gif_url, download=name, file=request.file,
                                          style_title=request.style_title, link_lifetime=describe_lifetime(ttl)))
    page_url = presign(signing.client, bucket, prefix + result_page.PAGE, ttl, "text/html; charset=utf-8")
    result = {
        "result_uri": f"s3://{bucket}/{prefix}{RESULT_GIF}", "gif_url": gif_url, "preview_url": preview_url,
        "page_url": page_url, "download_name": name,
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
    signing = signer(config, datetime.now(timezone.utc))
    # The links are signed from now on: their lifetime counts from after the credentials were obtained
    # (an AssumeRole call can take seconds; measured from before it, a link could outlive its session).
    result = publish(boto3.client("s3"), signing, config, request, datetime.now(timezone.utc))
    record_speed(boto3.client("sagemaker"), request)
    logger.info("result published", extra={"result_uri": result["result_uri"]})
    return result
