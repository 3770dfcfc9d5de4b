"""validate_upload's configuration, read once from the environment."""
import functools
import json
import os
from dataclasses import dataclass, field

from stylizer.rules.geometry import own_size_side, paint_shape
from stylizer.rules.limits import Limits
from stylizer.rules.options import GIF_OWN_SIZE_MAX_SCALE, GIF_OWN_SIZE_STEPS, GIF_SIZE, level_steps

# Seconds one frame takes per 100 optimiser steps, per instance type (taken at the seed system's 384 px),
# for a painting of up to GIF_SIZE² pixels: at the product's 256 px a step is cheaper, but its multi-pass
# visits add host work, so the estimate errs long until publish_result's SecondsPerFrame metric says
# otherwise. A larger painting (a larger `size`, a strip lengthened to VGG's 16 px, rules/geometry.py, or
# a large GIF's last steps at its own size) scales its steps by its pixels: a step's convolutions cost in
# proportion to them.
# SECONDS_PER_FRAME (JSON object) overrides. Unknown types use DEFAULT_SECONDS_PER_FRAME.
SECONDS_PER_FRAME = {"ml.g4dn.xlarge": 9.0, "ml.g5.xlarge": 5.0, "ml.p2.xlarge": 30.0}
DEFAULT_SECONDS_PER_FRAME = 15.0
STARTUP_SECONDS = 240  # instance provisioning + image pull before the first frame


@dataclass(frozen=True)
class Config:
    limits: Limits
    seconds_per_frame: dict[str, float] = field(default_factory=lambda: dict(SECONDS_PER_FRAME))
    style_upload_prefix: str = "styles/"
    upload_prefix: str = "uploads/"  # GIFs: uploads/<identity id>/…; the style must be styles/<same id>/…
    max_size: int = 1024
    max_iterations: int = 1000

    @classmethod
    def from_env(cls) -> "Config":
        speeds = dict(SECONDS_PER_FRAME)
        speeds.update({k: float(v) for k, v in json.loads(os.environ.get("SECONDS_PER_FRAME") or "{}").items()})
        return cls(
            limits=Limits.from_env(),  # NST_MAX_BYTES, NST_MAX_FRAMES, NST_MAX_DURATION_MS, NST_MAX_SCREEN_PIXELS…
            seconds_per_frame=speeds,
            style_upload_prefix=os.environ.get("STYLE_UPLOAD_PREFIX", "styles/"),
            upload_prefix=os.environ.get("UPLOAD_PREFIX", "uploads/"),
            max_size=int(os.environ.get("STYLE_MAX_SIZE", "1024")),
            max_iterations=int(os.environ.get("STYLE_MAX_ITERATIONS", "1000")),
        )

    def estimate_seconds(self, instance_type: str, frames: int, iterations: int,
                         shape: tuple[int, int] = (GIF_SIZE, GIF_SIZE), size: int = GIF_SIZE) -> int:
        """The job's seconds: start-up, then each of `frames` frames of `shape` (height, width) painted at a
        longest side of `size` for `iterations` steps, the last GIF_OWN_SIZE_STEPS of them (at most a fifth)
        at its own size where it is larger (StyleSettings.gif_levels_for)."""
        per_frame = self.seconds_per_frame.get(instance_type, DEFAULT_SECONDS_PER_FRAME)
        steps = max(iterations, 1)
        own_side = own_size_side(*shape, size, GIF_OWN_SIZE_MAX_SCALE)
        own = level_steps(GIF_OWN_SIZE_STEPS, steps) if own_side else 0
        work = (steps - own) * _scale(paint_shape(*shape, size)) + own * _scale(paint_shape(*shape, own_side or size))
        return int(STARTUP_SECONDS + frames * per_frame * work / 100)


def _scale(painted: tuple[int, int]) -> float:
    """A step's cost at this (height, width) in steps of a GIF_SIZE² painting, at least 1. A smaller one (the
    half size's first steps, a small GIF) is counted at full cost, so the estimate errs long, never short: how
    much cheaper a small step is depends on the machine. On the H200 a step is paced by its fixed per-step
    work (under JAX: 4.0 ms at 256 px, 4.4-4.6 ms at 512 px; docs/benchmarks.md, "On a GPU"); on a CPU its
    cost follows the pixels, and the default 40 steps are counted 18% long (40 for 34); the T4 of
    ml.g4dn is not measured."""
    return max(1.0, painted[0] * painted[1] / GIF_SIZE ** 2)


@functools.cache
def get_config() -> Config:
    """Built on first call; tests call `get_config.cache_clear()` after changing the environment."""
    return Config.from_env()
