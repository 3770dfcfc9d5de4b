"""Send one of the pipeline's e-mails: {template, to, execution, context} → SES v2 SendEmail (Raw MIME content).

`to` may be null (the upload carried no usable address): the message is rendered, logged and not sent,
so the failure path of the state machine still reaches its Fail state. `execution` is added to the
context as the reference the uploader can quote.

The "confirm" mail is sent by the AskToConfirm state (`.waitForTaskToken`): its context carries the task
token, confirm_upload's URL and the state's timeout, from which the link and "the link works for 24 hours"
are made here (the token is URL-encoded: AWS's tokens hold "+", "/" and "=").
"""
from email.message import EmailMessage
from urllib.parse import urlencode

from aws_lambda_powertools.utilities.parser import parse
from aws_lambda_powertools.utilities.typing import LambdaContext

from lambdas.send_email.config import Config, get_config
from lambdas.send_email.exceptions import TemplateContextError
from lambdas.send_email.render import Message, render
from lambdas.shared import observability
from lambdas.shared.addresses import is_valid
from lambdas.shared.lifetimes import describe_lifetime
from lambdas.shared.models import SendEmailRequest

logger, tracer, metrics = observability.build("send_email")
CHARSET = "UTF-8"


def mime(sender: str, to: str, message: Message) -> bytes:
    """multipart/alternative (text, then HTML); the stdlib encodes non-ASCII subjects and bodies."""
    mail = EmailMessage()
    mail["From"], mail["To"], mail["Subject"] = sender, to, message.subject
    mail.set_content(message.text, charset=CHARSET)
    mail.add_alternative(message.html, subtype="html", charset=CHARSET)
    return bytes(mail)


@tracer.capture_method
def send(ses, config: Config, to: str, message: Message) -> str:
    # Raw rather than Simple content: SES sends it unchanged, and moto keeps the whole MIME message
    # (with Simple it keeps only the HTML part), which the local runtime writes to out/mail/*.eml.
    # No Destination: SES takes the recipient from the To header (moto would otherwise list it twice).
    request = {
        "FromEmailAddress": config.sender,
        "Content": {"Raw": {"Data": mime(config.sender, to, message)}},
    }
    if config.configuration_set:
        request["ConfigurationSetName"] = config.configuration_set
    return ses.send_email(**request)["MessageId"]


# Context values send_email derives itself, per template (the state machine passes what they come from).
DERIVED = {"confirm": {"link", "lifetime"}}


def with_confirm_link(context: dict) -> dict:
    """The confirm mail's context with `link` (token, file and style title in the query) and `lifetime`."""
    try:
        url, token, seconds = context["confirm_url"], context["token"], int(context["timeout_seconds"])
    except KeyError as missing:
        raise TemplateContextError(f"template 'confirm' needs {missing} in its context") from None
    query = urlencode({"token": token, "file": str(context.get("file") or "")[:200],
                       "style": str(context.get("style_title") or context.get("style") or "")[:200]})
    link = f"{url}{'&' if '?' in url else '?'}{query}"
    return {**context, "link": link, "lifetime": describe_lifetime(seconds)}


@metrics.log_metrics
@tracer.capture_lambda_handler
def handler(event: dict, context: LambdaContext) -> dict:
    import boto3

    request = parse(event=event, model=SendEmailRequest)
    logger.set_correlation_id(request.execution)
    context = {**request.context, "execution": request.execution}
    if request.template == "confirm":
        context = with_confirm_link(context)
    message = render(request.template, context)
    if not is_valid(request.to):
        logger.warning("no usable address: e-mail not sent", extra={"template": request.template})
        return {"sent": False, "template": request.template}
    message_id = send(boto3.client("sesv2"), get_config(), request.to.strip(), message)
    logger.info("e-mail sent", extra={"template": request.template, "message_id": message_id})
    return {"sent": True, "template": request.template, "message_id": message_id}
