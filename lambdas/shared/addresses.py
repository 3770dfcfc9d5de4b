"""E-mail address syntax: a pragmatic check (one @, a dotted domain, no spaces or header-breaking characters).

Deliverability is SES's job; this only rejects what cannot be an address or could inject headers.
"""
import re

MAX_LENGTH = 254  # RFC 5321 path limit
_ADDRESS = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                      r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$")


def address_problem(address: str | None) -> str | None:
    """None when `address` looks deliverable, else a sentence saying what is wrong with it."""
    if address is None or not address.strip():
        return "The upload has no e-mail address (S3 object metadata 'email'), so we cannot send the result."
    if len(address) > MAX_LENGTH:
        return f"The e-mail address is longer than {MAX_LENGTH} characters."
    if not _ADDRESS.match(address.strip()):
        return f"'{address}' is not a valid e-mail address (expected name@example.com)."
    return None


def is_valid(address: str | None) -> bool:
    return address_problem(address) is None


def page_rule() -> dict:
    """The same rule for the web page's config.json (next to the limits), so the page refuses before uploading
    what validate_upload would refuse after. The pattern uses only syntax JavaScript's RegExp reads alike."""
    return {"pattern": _ADDRESS.pattern, "max_length": MAX_LENGTH}
