"""Errors of the stylizer. Each carries a message written for the person who sent the input."""

# The input errors are the rules' own classes (stylizer.rules.errors), re-exported: one class per name.
from .rules.errors import CorruptInput, InputError, InputTooLarge, StylizerError, UnknownStyle, UnsupportedFormat

__all__ = ["CorruptInput", "InputError", "InputTooLarge", "ModelError", "StylizerError", "UnknownStyle",
           "UnsupportedFormat", "WeightsError"]


class WeightsError(StylizerError):
    """The VGG19 weights are missing or not in the expected format."""


class ModelError(StylizerError):
    """A feed-forward model file (fast mode's ONNX networks) is missing or cannot be loaded."""
