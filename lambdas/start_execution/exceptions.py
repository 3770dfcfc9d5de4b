"""Errors of start_execution. A duplicate event is not an error (the execution already exists)."""


class StartExecutionError(Exception):
    """Base class."""


class NotAnUpload(StartExecutionError):
    """The event's key is outside the uploads prefix (an EventBridge rule that is too broad)."""
