"""Errors of publish_result."""


class PublishError(Exception):
    """Base class."""


class ResultMissing(PublishError):
    """The processing job reported success but wrote no stylized.gif (a stylizer contract break)."""


class ShortLivedCredentials(PublishError):
    """The link signer's credentials expire too soon for a link worth mailing (a configuration error)."""
