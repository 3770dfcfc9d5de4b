"""SES: every mail sent through moto (SES v1 or v2, simple or raw) is also written to `<mail_dir>/*.eml`.

moto keeps mail in `SESBackend.sent_messages`, but for simple content only one body part (HTML if present).
So simple mail is captured where the request is still whole — `EmailResponse.send_email` (v1) and
`SESV2Response.send_email` (v2) — and composed as a MIME message with both parts; raw mail (v1 or v2) is
captured at `SESBackend.send_raw_email`, where both APIs land, and written as sent. Capture happens after moto
accepted the mail, so a rejected one (unverified sender) writes nothing, as nothing would be delivered.
"""
from __future__ import annotations

import datetime
import itertools
import json
import threading
from email.message import EmailMessage
from email.utils import formatdate
from pathlib import Path
from typing import Optional

from moto.ses.models import SESBackend
from moto.ses.responses import EmailResponse
from moto.sesv2.responses import SESV2Response

from .. import settings
from . import PatchSet

_counter = itertools.count(1)
_lock = threading.Lock()


def write_eml(data: bytes) -> Optional[Path]:
    runtime = settings.ACTIVE
    if runtime is None or runtime.mail_dir is None:
        return None
    runtime.mail_dir.mkdir(parents=True, exist_ok=True)
    with _lock:
        stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%S.%fZ")
        path = runtime.mail_dir / f"{stamp}-{next(_counter)}.eml"
        path.write_bytes(data)
    return path


def compose(source: str, destination: dict, subject: str, text: Optional[str], html: Optional[str]) -> bytes:
    message = EmailMessage()
    message["From"] = source
    for header, field in (("To", "ToAddresses"), ("Cc", "CcAddresses"), ("Bcc", "BccAddresses")):
        if destination.get(field):
            message[header] = ", ".join(destination[field])
    message["Subject"] = subject or ""
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message.set_content(text if text is not None else "")
    if html is not None:
        message.add_alternative(html, subtype="html")
    return message.as_bytes()


def install(patches: PatchSet) -> None:
    moto_v1_send_email = EmailResponse.send_email
    moto_v2_send_email = SESV2Response.send_email
    moto_send_raw_email = SESBackend.send_raw_email

    def v1_send_email(self: EmailResponse):
        result = moto_v1_send_email(self)
        write_eml(compose(self._get_param("Source"), self._get_param("Destination", {}) or {},
                          self._get_param("Message.Subject.Data"), self._get_param("Message.Body.Text.Data"),
                          self._get_param("Message.Body.Html.Data")))
        return result

    def v2_send_email(self: SESV2Response):
        result = moto_v2_send_email(self)
        params = json.loads(self.body)
        simple = (params.get("Content") or {}).get("Simple")
        if simple:  # raw content is captured by send_raw_email below
            body = simple.get("Body") or {}
            write_eml(compose(params.get("FromEmailAddress"), params.get("Destination") or {},
                              (simple.get("Subject") or {}).get("Data"), (body.get("Text") or {}).get("Data"),
                              (body.get("Html") or {}).get("Data")))
        return result

    def send_raw_email(self: SESBackend, source, destinations, raw_data):
        message = moto_send_raw_email(self, source, destinations, raw_data)
        write_eml(raw_data.encode("utf-8") if isinstance(raw_data, str) else raw_data)
        return message

    patches.replace(EmailResponse, "send_email", v1_send_email)
    patches.replace(SESV2Response, "send_email", v2_send_email)
    patches.replace(SESBackend, "send_raw_email", send_raw_email)
