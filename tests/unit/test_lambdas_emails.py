"""send_email renders every template (HTML escaped, links intact) and sends with SES v2; explain_failure turns
caught errors into readable reasons and finds the uploader's address."""
import email
import email.policy
import json
import os
from pathlib import Path

os.environ.setdefault("POWERTOOLS_TRACE_DISABLED", "1")
os.environ.setdefault("POWERTOOLS_METRICS_NAMESPACE", "NeuralStyle")

import boto3
import pytest
from moto import mock_aws
from moto.core import DEFAULT_ACCOUNT_ID
from moto.ses.models import ses_backends

from lambdas.explain_failure import app as explain
from lambdas.send_email import app as send_email
from lambdas.send_email.config import get_config
from lambdas.send_email.exceptions import TemplateContextError
from lambdas.send_email.render import render
from lambdas.shared.models import TEMPLATES

EVENTS = Path(__file__).resolve().parents[1] / "events"
SENDER = "gifs@example.org"
HOSTILE = '<img src=x onerror="alert(1)">&.gif'
CONTEXTS = {
    "received": {"file": HOSTILE, "style": "Edvard Munch, The Scream (1893)", "frames": 15, "width": 30,
                 "height": 20, "estimate": "about 7 minutes"},
    "confirm": {"file": HOSTILE, "style": "Edvard Munch, The Scream (1893)", "frames": 15, "width": 30,
                "height": 20, "estimate": "about 7 minutes", "link": "https://x.lambda-url.us-east-1.on.aws/?token=a%2Bb",
                "lifetime": "24 hours"},
    "completed": json.loads((EVENTS / "send_email_completed.json").read_text())["context"] | {"file": HOSTILE},
    "invalid_input": {"file": HOSTILE, "reason": "The GIF has 301 frames; the limit is 300.",
                      "limits": ["at most 300 frames", "<b>bold</b>"]},
    "no_capacity": {"file": HOSTILE, "instance_types": ["ml.g4dn.xlarge", "ml.g5.xlarge"]},
    "failed": {"file": HOSTILE, "reason": "Out of GPU memory <frame 12>"},
}


@pytest.fixture
def aws(monkeypatch):
    for name, value in {"AWS_DEFAULT_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "testing",
                        "AWS_SECRET_ACCESS_KEY": "testing", "SENDER_EMAIL": SENDER}.items():
        monkeypatch.setenv(name, value)
    get_config.cache_clear()
    with mock_aws():
        boto3.client("ses").verify_email_identity(EmailAddress=SENDER)
        yield
    get_config.cache_clear()


def sent_messages():
    return ses_backends[DEFAULT_ACCOUNT_ID]["us-east-1"].sent_messages


@pytest.mark.parametrize("template", TEMPLATES)
def test_every_template_renders_escaped(template):
    message = render(template, {**CONTEXTS[template], "execution": "ref-123"})
    assert HOSTILE not in message.html and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;.gif" in message.html
    assert HOSTILE in message.text and "ref-123" in message.text and "ref-123" in message.html
    assert "\n" not in message.subject and "$" not in message.text + message.html


def test_completed_mail_carries_the_links_and_credit():
    context = CONTEXTS["completed"]
    message = render("completed", {**context, "execution": "ref"})
    assert context["page_url"] in message.text and context["gif_url"] in message.text
    assert f'href="{context["page_url"].replace("&", "&amp;")}"' in message.html  # escaped, still the link
    # the picture is the GIF itself (it animates in the mail), not the still first frame
    assert f'src="{context["gif_url"].replace("&", "&amp;")}"' in message.html
    assert "7 days" in message.text and "The Starry Night" in message.html


def test_lists_render_as_bullets():
    message = render("invalid_input", {**CONTEXTS["invalid_input"], "execution": "ref"})
    assert "  - at most 300 frames" in message.text
    assert "<li>&lt;b&gt;bold&lt;/b&gt;</li>" in message.html


def test_missing_context_value_names_it():
    with pytest.raises(TemplateContextError, match="'reason'"):
        render("failed", {"file": "x.gif", "execution": "ref"})


def test_handler_sends_text_and_html_with_ses_v2(aws):
    event = json.loads((EVENTS / "send_email_completed.json").read_text())
    result = send_email.handler(event, None)
    assert result["sent"] is True
    (raw,) = sent_messages()
    assert raw.destinations == ["rider@example.com"] and raw.source == SENDER
    mail = email.message_from_bytes(raw.raw_data.encode() if isinstance(raw.raw_data, str) else raw.raw_data,
                                    policy=email.policy.default)
    assert mail["To"] == "rider@example.com" and mail["Subject"].startswith("Your stylised GIF is ready")
    text, html = mail.get_body(("plain",)).get_content(), mail.get_body(("html",)).get_content()
    assert event["context"]["gif_url"] in text
    assert event["context"]["gif_url"].replace("&", "&amp;") in html and "<script>" not in html


def test_handler_without_address_sends_nothing(aws):
    event = json.loads((EVENTS / "send_email_completed.json").read_text()) | {"to": None}
    assert send_email.handler(event, None) == {"sent": False, "template": "completed"}
    assert sent_messages() == []


@pytest.fixture
def upload(aws):
    s3 = boto3.client("s3")
    s3.create_bucket(Bucket="nst-uploads")
    s3.put_object(Bucket="nst-uploads", Key="uploads/horse in motion.gif", Body=b"GIF89a",
                  Metadata={"email": "rider@example.com"})
    return s3


def test_explain_lambda_error(upload):
    result = explain.handler(json.loads((EVENTS / "explain_failure_rejection.json").read_text()), None)
    assert result["error"] == "GifTooLarge" and result["reason"] == "The GIF has 301 frames; the limit is 300."
    assert result["to"] == "rider@example.com" and result["file"] == "horse in motion.gif"
    assert any("frames" in line for line in result["limits"])


def test_explain_processing_job_failure_prefers_exit_message(upload):
    result = explain.handler(json.loads((EVENTS / "explain_failure_processing.json").read_text()), None)
    assert result == result | {"error": "StylizerFailed",
                               "reason": "Out of GPU memory while stylising frame 12 of 15 at 384 px."}


@pytest.mark.parametrize("cause, reason", [
    ('{"FailureReason": "CapacityError: no ml.g5.xlarge"}', "CapacityError: no ml.g5.xlarge"),
    ("SageMaker said no", "SageMaker said no"), (None, "States.Timeout (no details were given)"),
    ("{not json", "{not json")])
def test_explain_other_causes(cause, reason):
    error = explain.TaskError(Error="States.Timeout" if cause is None else "States.TaskFailed", Cause=cause)
    assert explain.readable_reason(error) == reason


@pytest.mark.parametrize("error, cause, name", [
    ("States.TaskFailed", '{"ProcessingJobStatus": "Failed", "FailureReason": "x"}', "StylizerFailed"),
    ("States.Timeout", None, "PipelineTimeout"),
    ("States.TaskFailed", "plain", "PipelineTaskFailed"),
    ("InvalidGif", "Not a GIF", "InvalidGif")])
def test_fail_states_never_raise_a_reserved_error_name(error, cause, name):
    assert explain.execution_error_name(explain.TaskError(Error=error, Cause=cause)) == name


def test_explain_without_upload_has_no_address(aws):
    boto3.client("s3").create_bucket(Bucket="nst-uploads")
    result = explain.handler(json.loads((EVENTS / "explain_failure_rejection.json").read_text()), None)
    assert result["to"] is None and result["reason"].startswith("The GIF has 301 frames")


def test_explain_names_the_uploaders_own_file(upload):
    upload.put_object(Bucket="nst-uploads", Key="uploads/horse in motion.gif", Body=b"GIF89a",
                      Metadata={"email": "rider@example.com", "filename": "Galopp%20%C3%BCber%20Land.gif"})
    result = explain.handler(json.loads((EVENTS / "explain_failure_rejection.json").read_text()), None)
    assert result["file"] == "Galopp über Land.gif"  # the page's percent-encoded metadata, decoded


def test_confirm_mail_links_to_the_token_and_says_how_long_it_works(aws):
    token = "AAAA+b/c=="  # AWS's tokens are base64: the link must encode them
    event = {"template": "confirm", "to": "u@example.com", "execution": "cat-123", "context": {
        "file": "cat & dog.gif", "style": "Edvard Munch, The Scream (1893)", "style_title": "The Scream",
        "frames": 3, "width": 30, "height": 20, "estimate": "about 2 minutes", "token": token,
        "confirm_url": "https://x.lambda-url.us-east-1.on.aws/", "timeout_seconds": 86400}}
    assert send_email.handler(event, None)["sent"] is True
    raw = sent_messages()[-1].raw_data
    mail = email.message_from_bytes(raw.encode() if isinstance(raw, str) else raw, policy=email.policy.default)
    text = mail.get_body(("plain",)).get_content()
    link = "https://x.lambda-url.us-east-1.on.aws/?token=AAAA%2Bb%2Fc%3D%3D&file=cat+%26+dog.gif&style=The+Scream"
    assert link in text and "works for 24 hours" in text
    assert f'href="{link.replace("&", "&amp;")}"' in mail.get_body(("html",)).get_content()
    assert "got your GIF" in mail["Subject"] and "Confirm" in mail["Subject"]


def test_confirm_mail_without_its_token_names_what_is_missing():
    with pytest.raises(TemplateContextError, match="token"):
        send_email.with_confirm_link({"confirm_url": "https://x/", "timeout_seconds": 60})
