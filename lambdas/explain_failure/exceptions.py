"""Errors of explain_failure. It must not fail the failure path, so almost nothing raises."""


class ExplainError(Exception):
    """Base class."""
