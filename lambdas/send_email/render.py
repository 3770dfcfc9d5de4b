"""Render one message from lambdas/send_email/templates/<name>.{subject,txt,html} (string.Template, `$name`).

Every context value is uploader-influenced (file names, reasons quoting metadata), so HTML gets each value
html.escape()d; the subject is flattened to one line so nothing can break the mail headers. Lists become
bullet lists in both parts.
"""
import html
from dataclasses import dataclass
from importlib import resources
from string import Template

from lambdas.send_email.exceptions import TemplateContextError

PARTS = ("subject", "txt", "html")


@dataclass(frozen=True)
class Message:
    subject: str
    text: str
    html: str


def _template(name: str, part: str) -> Template:
    return Template((resources.files("lambdas.send_email") / "templates" / f"{name}.{part}").read_text("utf-8"))


def _as_text(value) -> str:
    if isinstance(value, (list, tuple)):
        return "\n".join(f"  - {item}" for item in value)
    return "" if value is None else str(value)


def _as_html(value) -> str:
    if isinstance(value, (list, tuple)):
        return "<ul>" + "".join(f"<li>{html.escape(str(item))}</li>" for item in value) + "</ul>"
    return html.escape(_as_text(value), quote=True)


def _one_line(text: str, limit: int = 200) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def render(name: str, context: dict) -> Message:
    try:
        subject = _template(name, "subject").substitute({k: _as_text(v) for k, v in context.items()})
        text = _template(name, "txt").substitute({k: _as_text(v) for k, v in context.items()})
        body = _template(name, "html").substitute({k: _as_html(v) for k, v in context.items()})
    except KeyError as missing:
        raise TemplateContextError(f"template {name!r} needs {missing} in its context") from None
    return Message(subject=_one_line(subject), text=text, html=body)
