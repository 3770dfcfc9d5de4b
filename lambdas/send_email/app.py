"""Send one of the pipeline's e-mails: {template, to, execution, context} → SES v2 SendEmail (Raw MIME content).

`to` may be null (the upload carried no usable address): the message is rendered, logged and not sent,
so the failure path of the state machine still reaches its Fail state. `execution` is added to the
context as the reference the uploader can quote.
"""
from email.message import EmailMessage

from aws_lambda_powertools.utilities.parser import parse
from aws_lambda_powertools.utilities.typing import LambdaContext

from lambdas.send_email.config import Config, get_config
from lambdas.send_email.render import Message, render
from lambdas.shared import observability
from lambdas.shared.addresses import is_valid
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


@metrics.log_metrics
@tracer.capture_lambda_handler
def handler(event: dict, context: LambdaContext) -> dict:
    import boto3

    request = parse(event=event, model=SendEmailRequest)
    logger.set_correlation_id(request.execution)
    message = render(request.template, {**request.context, "execution": request.execution})
    if not is_valid(request.to):
        logger.warning("no usable address: e-mail not sent", extra={"template": request.template})
        return {"sent": False, "template": request.template}
    message_id = send(boto3.client("sesv2"), get_config(), request.to.strip(), message)
    logger.info("e-mail sent", extra={"template": request.template, "message_id": message_id})
    return {"sent": True, "template": request.template, "message_id": message_id}
