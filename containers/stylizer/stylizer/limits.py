"""Input limits: the rules live in stylizer.rules.limits (shared with the Lambdas); this name stays for the
engine's imports."""
from .rules.limits import MEGABYTE, Limits

__all__ = ["MEGABYTE", "Limits"]
