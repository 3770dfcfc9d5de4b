"""Following the confirm link of the first mail the way a person does: open it (GET shows the question and a
form), then press the button (POST the form). `nst demo` and the tests confirm through this, so they take the
uploader's path through confirm_upload and Step Functions' callback.

    visit = follow(confirm_link(mail))              # over HTTP (the local stack's function URL route)
    visit = follow(link, fetch=invoker(client, fn)) # or a function-URL event through Lambda Invoke
"""
from __future__ import annotations

import re
import urllib.error
import urllib.request
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any, Callable, Optional
from urllib.parse import urlencode, urljoin

# (method, url, form body or None) -> (status, html)
Fetch = Callable[[str, str, Optional[bytes]], tuple[int, str]]
LINK = re.compile(r"(\S+?[?&]token=\S+)")  # any host: a deployed stand-in too
FORM = "application/x-www-form-urlencoded"


def confirm_link(mail) -> str:
    """The confirm link in a parsed e-mail's text part."""
    text = mail.get_body(("plain",)).get_content()
    match = LINK.search(text)
    if not match:
        raise LookupError(f"no confirm link in the mail {mail['Subject']!r}")
    return match.group(1)


def http_fetch(method: str, url: str, body: Optional[bytes]) -> tuple[int, str]:
    request = urllib.request.Request(url, data=body, method=method,
                                     headers={"Content-Type": FORM} if body is not None else {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", errors="replace")


def invoker(client: Callable[[str], Any], function_name: str) -> Fetch:
    """A Fetch that sends the request to `function_name` as its function URL would (any host in the link)."""
    from pipeline.local.function_urls import invoke, public_event

    def fetch(method: str, url: str, body: Optional[bytes]) -> tuple[int, str]:
        headers = {"content-type": FORM} if body is not None else {}
        status, _, data = invoke(client, function_name, public_event(method, url, body or b"", headers))
        return status, data.decode("utf-8")

    return fetch


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.title, self.heading, self.text = "", "", []
        self.form: Optional[dict] = None
        self.fields: dict[str, str] = {}
        self.buttons: dict[str, tuple[str, str]] = {}  # value -> (name, label)
        self._in, self._button = "", None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self._in = tag
        if tag == "form":
            self.form = attributes
        elif tag == "input" and attributes.get("type") == "hidden":
            self.fields[attributes.get("name", "")] = attributes.get("value", "")
        elif tag == "button":
            self._button = (attributes.get("name", ""), attributes.get("value", ""))

    def handle_data(self, data):
        if self._in == "title":
            self.title += data
        elif self._in == "h1":
            self.heading += data
        elif self._in == "p":
            self.text.append(data)
        elif self._button:
            name, value = self._button
            self.buttons[value] = (name, data.strip())

    def handle_endtag(self, tag):
        if tag == "button":
            self._button = None
        self._in = ""


@dataclass
class Visit:
    question: str  # the GET page's heading ("Paint cat.gif in The Scream?")
    status: int  # the POST's HTTP status
    outcome: str  # the answer page's heading
    text: str  # and its sentence


def _parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


def follow(link: str, answer: str = "confirm", fetch: Fetch = http_fetch) -> Visit:
    """GET the link, then submit its form with the button whose value is `answer` ("confirm" or "decline")."""
    status, html = fetch("GET", link, None)
    page = _parse(html)
    if status != 200 or page.form is None:
        return Visit(question="", status=status, outcome=page.heading.strip(), text=" ".join(page.text).strip())
    if answer not in page.buttons:
        raise LookupError(f"the page offers {sorted(page.buttons)}, not {answer!r}")
    name, _ = page.buttons[answer]
    action = urljoin(link, page.form.get("action") or link)
    method = (page.form.get("method") or "get").upper()
    body = urlencode({**page.fields, name: answer}).encode()
    status, html = fetch(method, action, body)
    result = _parse(html)
    return Visit(question=page.heading.strip(), status=status, outcome=result.heading.strip(),
                 text=" ".join(result.text).strip())
