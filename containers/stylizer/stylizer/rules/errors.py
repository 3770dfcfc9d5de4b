"""Errors of the input rules. Each carries a message written for the person who sent the input.

stylizer.exceptions re-exports these (the same classes), so `except stylizer.exceptions.InputError` in the
engine catches what the rules raise.
"""


class StylizerError(Exception):
    """Base class: `str(error)` is a readable explanation."""


class InputError(StylizerError):
    """The input cannot be stylised; the sender must change it (exit status 2, HTTP 4xx)."""


class UnsupportedFormat(InputError):
    """The bytes are not a format we accept (checked by magic bytes, not by file name)."""


class CorruptInput(InputError):
    """The file claims a supported format but cannot be read (truncated, malformed blocks)."""


class InputTooLarge(InputError):
    """The input exceeds a limit (bytes, pixels, frames or duration); the message names the limit."""


class UnknownStyle(InputError):
    """The style is neither a catalogue name nor a readable image."""


class BadRequest(InputError):
    """Malformed JSON, a missing or ill-typed field, an unknown or out-of-range option (HTTP 400)."""
