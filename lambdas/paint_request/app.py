"""Function URL (AWS_IAM auth) → one asynchronous invocation of the image-mode endpoint.

The page signs the POST with its Cognito identity-pool credentials, so the URL's event names the caller's
identity id; everything the caller names must lie under `uploads/photos/<identity id>/`. Checks cost a
HeadObject and a 12-byte Range GET per object, so a bad request fails here in milliseconds, not on a GPU
instance after a scale-from-zero. Then the request JSON goes to `async-inputs/<request id>.json` and
InvokeEndpointAsync queues it; the answer holds presigned GET URLs for the progress objects and the result,
which is how one uploader reaches only their own results (see docs/image-mode.md).
"""
import base64
import json
import re
import uuid

from aws_lambda_powertools.utilities.parser import ValidationError, parse
from aws_lambda_powertools.utilities.parser.models import LambdaFunctionUrlModel
from aws_lambda_powertools.utilities.typing import LambdaContext

from lambdas.paint_request.config import Config, get_config
from lambdas.paint_request.exceptions import (BadRequest, Forbidden, ObjectNotFound, PaintRequestError,
                                              PayloadTooLarge, UnsupportedMediaType)
from lambdas.paint_request.models import PaintAccepted, PaintBody, ProgressUrls, ResultUrls
from lambdas.shared import observability
from lambdas.shared.presign import presigned_get, signing_client

logger, tracer, metrics = observability.build("paint_request")

IDENTITY_ID = re.compile(r"[a-z]{2}(-[a-z]+)+-\d:[0-9a-f-]{36}")  # <region>:<uuid>, Cognito's format
PHOTO_FORMATS = ("png", "jpeg")
MAGIC_BYTES = 12  # enough for stylizer.rules.gifheader.sniff_format


def identity_of(event: LambdaFunctionUrlModel) -> str:
    """The caller's Cognito identity id, from the IAM authorizer block the function URL adds."""
    authorizer = event.requestContext.authorizer
    cognito = authorizer.iam.cognitoIdentity if authorizer and authorizer.iam else None
    identity = cognito.identityId if cognito else None
    if not identity or not IDENTITY_ID.fullmatch(identity):
        raise Forbidden("Sign the request with the page's Cognito identity-pool credentials.")
    return identity


def parse_body(event: LambdaFunctionUrlModel) -> PaintBody:
    raw = event.body or ""
    if event.isBase64Encoded:
        raw = base64.b64decode(raw).decode("utf-8", errors="replace")
    media_type = (event.headers.get("content-type") or "application/json").split(";")[0].strip().lower()
    if media_type != "application/json":
        raise UnsupportedMediaType(f"Send the request as application/json, not {media_type}.")
    try:
        return PaintBody.model_validate_json(raw or "{}")
    except ValueError as error:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'body'}: {e['msg']}"
                             for e in getattr(error, "errors", lambda: [])()) or str(error)
        raise BadRequest(f"The request is {{\"content\", \"style\", \"options\"}}: {problems}.") from None


def own_key(key: str, prefix: str, what: str) -> str:
    """`key` if it is a plain object key under the caller's prefix, else Forbidden."""
    parts = key.split("/")
    if not key.startswith(prefix) or "" in parts or ".." in parts or any(ord(c) < 32 for c in key):
        raise Forbidden(f"The {what} must be one of your own uploads (a key under {prefix}).")
    return key


def check_image(s3, config: Config, key: str, what: str) -> None:
    """Exists, not too large, PNG or JPEG by its first bytes (the extension and Content-Type can lie)."""
    from botocore.exceptions import ClientError

    try:
        size = s3.head_object(Bucket=config.bucket, Key=key)["ContentLength"]
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
            raise ObjectNotFound(f"The {what} {key} does not exist; upload it first.") from None
        raise
    if size > config.limits.max_bytes:
        raise PayloadTooLarge(f"The {what} is {size / 1e6:.1f} MB; the limit is {config.limits.max_bytes / 1e6:.0f} MB.")
    head = b""
    if size:
        head = s3.get_object(Bucket=config.bucket, Key=key, Range=f"bytes=0-{MAGIC_BYTES - 1}")["Body"].read()
    from stylizer.rules.gifheader import describe_format, sniff_format

    if sniff_format(head) not in PHOTO_FORMATS:
        raise UnsupportedMediaType(f"The {what} is {describe_format(head)}; send a PNG or JPEG.")


def resolve_style(s3, config: Config, style: str, prefix: str) -> str:
    """A catalogue name as is, or the s3:// URI of the caller's own style image."""
    if "/" in style:
        check_image(s3, config, own_key(style, prefix, "style image"), "style image")
        return f"s3://{config.bucket}/{style}"
    from stylizer.rules.catalogue import list_styles

    names = [info.name for info in list_styles()]
    if style not in names:
        raise BadRequest(f"Unknown style {style!r:.64}; the catalogue has {', '.join(names)}.")
    return style


def check_options(options: dict, config: Config) -> dict:
    """The endpoint's own option parser, so the Lambda and the container can never disagree on bounds."""
    from stylizer.rules.errors import InputError
    from stylizer.rules.options import parse_options

    try:
        parse_options(options, config.limits)
    except InputError as error:
        raise BadRequest(str(error)) from None
    return options


@tracer.capture_method
def submit(s3, signer, runtime, config: Config, identity: str, body: PaintBody) -> PaintAccepted:
    """`signer`: lambdas.shared.presign.signing_client() (SigV4, regional), for the URLs handed back."""
    prefix = f"{config.upload_prefix}{identity}/"
    content = own_key(body.content, prefix, "photo")
    options = check_options(body.options, config)  # cheapest first: no S3 call for a bad option
    style = resolve_style(s3, config, body.style, prefix)
    check_image(s3, config, content, "photo")

    request_id = uuid.uuid4().hex
    progress = f"{config.progress_prefix}{identity}/{request_id}/"
    request = {"request_id": request_id, "content": f"s3://{config.bucket}/{content}", "style": style,
               "options": options, "progress": f"s3://{config.bucket}/{progress}"}
    input_key = f"{config.input_prefix}{request_id}.json"
    s3.put_object(Bucket=config.bucket, Key=input_key, Body=json.dumps(request).encode(),
                  ContentType="application/json")
    response = runtime.invoke_endpoint_async(
        EndpointName=config.endpoint_name, InputLocation=f"s3://{config.bucket}/{input_key}",
        ContentType="application/json", Accept="image/png", InferenceId=request_id,
        InvocationTimeoutSeconds=config.invocation_timeout_s)

    def presign(key: str) -> str:
        return presigned_get(signer, config.bucket, key, config.url_expires_s)

    def presign_uri(uri: str) -> str:
        bucket, _, key = uri.removeprefix("s3://").partition("/")
        return presigned_get(signer, bucket, key, config.url_expires_s)

    output, failure = response["OutputLocation"], response.get("FailureLocation", "")
    return PaintAccepted(
        request_id=request_id, expires_in=config.url_expires_s,
        progress=ProgressUrls(status=presign(progress + "status.json"), preview=presign(progress + "preview.jpg"),
                              prefix=progress),
        result=ResultUrls(url=presign_uri(output), failure_url=presign_uri(failure) if failure else "",
                          output_location=output, failure_location=failure))


def respond(status: int, payload: dict) -> dict:
    return {"statusCode": status, "headers": {"Content-Type": "application/json"}, "body": json.dumps(payload)}


@metrics.log_metrics
@tracer.capture_lambda_handler
def handler(event: dict, context: LambdaContext) -> dict:
    import boto3  # imported at call time so the handler module stays cheap to import in tests

    config = get_config()
    try:
        try:
            url_event = parse(event=event, model=LambdaFunctionUrlModel)
        except ValidationError:
            raise BadRequest("The function expects a Lambda function URL event.") from None
        identity = identity_of(url_event)
        body = parse_body(url_event)
        accepted = submit(boto3.client("s3"), signing_client(), boto3.client("sagemaker-runtime"), config,
                          identity, body)
    except PaintRequestError as error:
        logger.info("refused", extra={"status": error.status, "reason": str(error)})
        observability.count_rejection(error.reason)
        return respond(error.status, {"error": str(error), "status": error.status})
    logger.set_correlation_id(accepted.request_id)
    logger.info("submitted", extra={"identity": identity, "style": body.style})
    metrics.add_metric(name="PaintRequests", unit=observability.MetricUnit.Count, value=1)
    return respond(202, accepted.model_dump())
