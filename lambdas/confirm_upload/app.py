"""The link in the confirmation mail → Step Functions' callback: SendTaskSuccess (or SendTaskFailure on "cancel").

Behind a function URL with AuthType NONE: the task token in the link is the credential, as it is for any
callback. GET only shows the question ("Paint cat.gif in The Scream?") with a form, because mail scanners
and link previews fetch links: only the form's POST answers the waiting AskToConfirm state. A token that
has expired (the state's timeout ended the execution) or was already answered gives a page saying so.
"""
import base64
import json
from datetime import datetime, timezone
from urllib.parse import parse_qsl

from aws_lambda_powertools.utilities.parser import ValidationError, parse
from aws_lambda_powertools.utilities.parser.models import LambdaFunctionUrlModel
from aws_lambda_powertools.utilities.typing import LambdaContext

from lambdas.confirm_upload import page
from lambdas.confirm_upload.config import Config, get_config
from lambdas.confirm_upload.exceptions import DECLINED_ERROR, BadLink, ConfirmError, LinkExpired, MethodNotAllowed
from lambdas.confirm_upload.models import ConfirmAnswer, ConfirmLink
from lambdas.shared import observability

logger, tracer, metrics = observability.build("confirm_upload")

DECLINED_CAUSE = "The uploader declined at the link in the confirmation mail; nothing was painted."
# Step Functions' answers for a token it will not take. AWS: TaskTimedOut = "expired, or the task was already
# closed"; InvalidToken = not a token it issued (moto's InvalidToken for a token of an ended execution is
# turned into TaskTimedOut by the local extension layer, pipeline/local/extensions/task_callbacks.py).
EXPIRED_CODES = ("TaskTimedOut", "TaskDoesNotExist")
INVALID_CODES = ("InvalidToken",)


def _fields(event: LambdaFunctionUrlModel) -> dict[str, str]:
    if event.requestContext.http.method.upper() in ("GET", "HEAD"):
        return dict(parse_qsl(event.rawQueryString or "", keep_blank_values=True))
    raw = event.body or ""
    if event.isBase64Encoded:
        raw = base64.b64decode(raw).decode("utf-8", errors="replace")
    return dict(parse_qsl(raw, keep_blank_values=True))


def _model(model, fields: dict[str, str]):
    try:
        return model.model_validate(fields)
    except ValueError:
        raise BadLink("This link is incomplete: open the whole link from the e-mail.") from None


def answer(sfn, link: ConfirmAnswer) -> tuple[str, str]:
    """Send the callback; (title, text) of the page that says what happened."""
    from botocore.exceptions import ClientError

    try:
        if link.answer == "decline":
            sfn.send_task_failure(taskToken=link.token, error=DECLINED_ERROR, cause=DECLINED_CAUSE)
        else:
            sfn.send_task_success(taskToken=link.token, output=json.dumps(
                {"confirmed": True, "at": datetime.now(timezone.utc).isoformat(timespec="seconds")}))
    except ClientError as error:
        code = error.response.get("Error", {}).get("Code", "")
        if code in EXPIRED_CODES:
            raise LinkExpired("This link has expired or was already used. Nothing was changed; the upload is "
                              "kept until it is deleted with the others. Upload the GIF again to paint it.") from None
        if code in INVALID_CODES:
            raise BadLink("This link is not valid, or it was already used or has expired. Nothing was changed; "
                          "upload the GIF again to paint it.") from None
        raise
    if link.answer == "decline":
        return "Cancelled", f"{link.file} will not be painted, and we will not write about it again."
    return "Thank you: it is being painted", (f"{link.file} is on its way to being painted in {link.style}. "
                                              "We will e-mail you a link to the result as soon as it is ready.")


def respond(status: int, body: str) -> dict:
    return {"statusCode": status, "headers": dict(page.HEADERS), "body": body}


@metrics.log_metrics
@tracer.capture_lambda_handler
def handler(event: dict, context: LambdaContext) -> dict:
    import boto3  # imported at call time so the handler module stays cheap to import in tests

    config: Config = get_config()
    try:
        try:
            url_event = parse(event=event, model=LambdaFunctionUrlModel)
        except ValidationError:
            raise BadLink("The function expects a Lambda function URL event.") from None
        method = url_event.requestContext.http.method.upper()
        fields = _fields(url_event)
        if method in ("GET", "HEAD"):  # never an answer: scanners and previews fetch links
            link = _model(ConfirmLink, fields)
            return respond(200, page.question(link.token, link.file, link.style, config.allow_decline))
        if method != "POST":
            raise MethodNotAllowed("Open the link from the e-mail in a browser.")
        link = _model(ConfirmAnswer, fields)
        if link.answer == "decline" and not config.allow_decline:
            raise BadLink("Cancelling is not offered here; the upload is not painted unless you confirm.")
        title, text = answer(boto3.client("stepfunctions"), link)
    except ConfirmError as error:
        logger.info("refused", extra={"status": error.status, "reason": str(error)})
        observability.count_rejection(error.reason)
        return respond(error.status, page.outcome("This link cannot be used", str(error)))
    logger.info("answered", extra={"answer": link.answer})
    metrics.add_metric(name="Confirmed" if link.answer == "confirm" else "Declined",
                       unit=observability.MetricUnit.Count, value=1)
    return respond(200, page.outcome(title, text))
