"""Errors of confirm_upload. Each carries the HTTP status of the page the function URL answers with and a
sentence for the person who opened the link (internals go to the logs)."""

# The error "Not me: cancel" sends with SendTaskFailure; the state machine's Catch routes it to its Declined
# state (pipeline/workflow.py imports it from here: one name on both sides).
DECLINED_ERROR = "UploadDeclined"


class ConfirmError(Exception):
    """Base class."""

    status = 400
    reason = "bad_request"  # the `reason` dimension of the Rejections metric


class BadLink(ConfirmError):
    """No token, a malformed one, or Step Functions does not know it (InvalidToken): 400."""


class LinkExpired(ConfirmError):
    """The task behind the token timed out, was already answered or its execution ended (TaskTimedOut,
    TaskDoesNotExist): 410 Gone."""

    status, reason = 410, "expired"


class MethodNotAllowed(ConfirmError):
    """Neither GET (the question) nor POST (the answer): 405."""

    status, reason = 405, "method"
