"""Turn a caught error ({Error, Cause} at the Catch's ResultPath) into what a person can read, and find the
uploader's address for the apology.

Cause comes in three shapes: a Lambda error (JSON with errorMessage), a SageMaker .sync failure (JSON of
DescribeProcessingJob, with FailureReason / ExitMessage — the stylizer writes its reason to
/opt/ml/output/message), or plain text. Output: {error, reason, to, file, limits}; the Fail state after the
e-mail uses error/reason as the execution's Error/Cause.
"""
import json

from aws_lambda_powertools.utilities.parser import parse
from aws_lambda_powertools.utilities.typing import LambdaContext
from botocore.exceptions import BotoCoreError, ClientError

from lambdas.shared import naming, observability
from lambdas.shared.addresses import is_valid
from lambdas.shared.models import ExplainRequest, TaskError

logger, tracer, metrics = observability.build("explain_failure")
MAX_REASON = 2000  # keeps the Fail state's Cause and the e-mail readable


def parsed_cause(error: TaskError) -> dict | None:
    cause = (error.Cause or "").strip()
    try:
        parsed = json.loads(cause) if cause.startswith("{") else None
    except ValueError:
        return None
    return parsed if isinstance(parsed, dict) else None


def execution_error_name(error: TaskError) -> str:
    """The Error the execution fails with. A Fail state may not raise a reserved `States.*` name (the
    execution would end in States.Runtime instead), so those get a name of ours: a SageMaker .sync failure
    (States.TaskFailed whose Cause is the DescribeProcessingJob output) is `StylizerFailed`."""
    if not error.Error.startswith("States."):
        return error.Error
    if "ProcessingJobStatus" in (parsed_cause(error) or {}):
        return "StylizerFailed"
    return "Pipeline" + error.Error.removeprefix("States.")


def readable_reason(error: TaskError) -> str:
    cause = (error.Cause or "").strip()
    parsed = parsed_cause(error)
    if parsed:
        for field in ("errorMessage", "ExitMessage", "FailureReason", "message", "Message"):
            if isinstance(parsed.get(field), str) and parsed[field].strip():
                cause = parsed[field].strip()
                break
    if not cause:
        cause = f"{error.Error} (no details were given)"
    return cause if len(cause) <= MAX_REASON else cause[: MAX_REASON - 1] + "…"


def limits_sentences() -> list[str]:
    from stylizer.rules.catalogue import list_styles
    from stylizer.rules.limits import Limits

    limits = Limits.from_env()
    return [
        f"an animated GIF of at most {limits.max_bytes / 1e6:g} MB",
        f"at most {limits.max_side} pixels on its longest side and {limits.max_screen_pixels:,} pixels in all",
        f"at most {limits.max_frames} frames and {limits.max_duration_ms / 1000:g} seconds",
        "object metadata 'email': your address",
        "object metadata 'style': one of " + ", ".join(s.name for s in list_styles())
        + ", or 'upload:<key>' of a PNG/JPEG you uploaded under styles/",
    ]


def upload_metadata(s3, bucket: str, key: str) -> dict:
    try:
        metadata = s3.head_object(Bucket=bucket, Key=key).get("Metadata", {})
    except (ClientError, BotoCoreError) as error:  # the object may be gone: still explain, just don't mail
        logger.warning("cannot read the upload's metadata", extra={"error": str(error)})
        return {}
    return {k.lower(): v for k, v in metadata.items()}


def uploader_address(metadata: dict) -> str | None:
    address = metadata.get("email")
    return address.strip() if is_valid(address) else None


@tracer.capture_lambda_handler
def handler(event: dict, context: LambdaContext) -> dict:
    import boto3

    request = parse(event=event, model=ExplainRequest)
    logger.set_correlation_id(request.execution)
    reason = readable_reason(request.error)
    logger.info("failure explained", extra={"error": request.error.Error, "reason": reason})
    metadata = upload_metadata(boto3.client("s3"), request.bucket, request.key)
    return {"error": execution_error_name(request.error), "reason": reason, "to": uploader_address(metadata),
            "file": naming.upload_file_name(metadata.get("filename"), request.key), "limits": limits_sentences()}
