"""Errors of publish_result."""


class PublishError(Exception):
    """Base class."""


class ResultMissing(PublishError):
    """The processing job reported success but wrote no stylized.gif (a stylizer contract break)."""
