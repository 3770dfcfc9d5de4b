"""The image-mode endpoint's options, checked the same way by paint_request (before anything is queued)
and by the endpoint (pure: see __init__). Names are stylizer.settings.StyleSettings' field names.
"""
import math
import os

from .errors import BadRequest

# A GIF job's painting: the longest side its frames are painted at and the optimiser steps per frame, chosen
# by measurement (docs/benchmarks.md, "GIF quality"). Here, not in defaults.py, so that the Lambdas that
# start a job (start_execution: STYLE_SIZE, STYLE_ITERATIONS unset) pass the job the container's own
# defaults and estimate its time from them: one number for both sides.
GIF_SIZE = 256
GIF_ITERATIONS = 40
# A GIF larger than GIF_SIZE takes the last GIF_OWN_SIZE_STEPS of its steps at its own size (at most
# GIF_OWN_SIZE_MAX_SCALE x GIF_SIZE), so it is not a 256 px painting scaled up (docs/benchmarks.md, "GIFs
# larger than the painting size"); validate_upload's estimate counts them.
GIF_OWN_SIZE_STEPS = 4
GIF_OWN_SIZE_MAX_SCALE = 2.0


def level_steps(wanted: int, steps: int) -> int:
    """The steps a GIF's extra size takes out of a size's `steps` (the half size first, a larger GIF's own size
    last): `wanted`, but at most a fifth, so that a quick run of a few steps stays at one size."""
    return min(wanted, steps // 5)

# Each step costs ~0.1-1 s on a GPU at 512 px; 1000 keeps one invocation well inside the endpoint's
# InvocationTimeoutSeconds (3600 at most) and the gunicorn timeout in serve.py.
MAX_ITERATIONS = int(os.environ.get("NST_MAX_ITERATIONS", "1000"))
MAX_WEIGHT = 1e6


def parse_options(options, limits) -> dict:
    """The request's options as StyleSettings fields; the sender's names are the settings' names."""
    if options is None:
        return {}
    if not isinstance(options, dict):
        raise BadRequest("options must be a JSON object.")
    checks = {
        "size": lambda v: integer(v, "size", 16, limits.max_side),
        "iterations": lambda v: integer(v, "iterations", 1, MAX_ITERATIONS),
        "content_weight": lambda v: number(v, "content_weight", 0.0, MAX_WEIGHT),
        "style_weight": lambda v: number(v, "style_weight", 0.0, MAX_WEIGHT),
        "tv_weight": lambda v: number(v, "tv_weight", 0.0, MAX_WEIGHT),
        "laplacian_weight": lambda v: number(v, "laplacian_weight", 0.0, MAX_WEIGHT),
        "preserve_colors": lambda v: boolean(v, "preserve_colors"),
        "seed": lambda v: integer(v, "seed", 0, 2**31 - 1),
        "init": lambda v: choice(v, "init", ("content", "noise")),
        "method": lambda v: choice(v, "method", ("full", "fast", "fast+full")),
    }
    unknown = sorted(set(options) - set(checks))
    if unknown:
        raise BadRequest(f"Unknown option(s) {', '.join(unknown)}; the options are {', '.join(checks)}.")
    return {name: checks[name](value) for name, value in options.items()}


def integer(value, name, low, high) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise BadRequest(f"{name} must be a whole number from {low} to {high}, got {value!r:.40}.")
    return value


def number(value, name, low, high) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
            or not low <= value <= high:
        raise BadRequest(f"{name} must be a number from {low:g} to {high:g}, got {value!r:.40}.")
    return float(value)


def boolean(value, name) -> bool:
    if not isinstance(value, bool):
        raise BadRequest(f"{name} must be true or false, got {value!r:.40}.")
    return value


def choice(value, name, choices) -> str:
    if value not in choices:
        raise BadRequest(f"{name} must be one of {', '.join(choices)}, got {value!r:.40}.")
    return value
