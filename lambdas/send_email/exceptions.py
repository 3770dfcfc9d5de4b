"""Errors of send_email."""


class EmailError(Exception):
    """Base class."""


class TemplateContextError(EmailError):
    """The state machine did not pass a value the template uses (a drift between ASL and templates)."""
