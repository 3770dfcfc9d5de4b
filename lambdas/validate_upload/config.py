"""validate_upload's configuration, read once from the environment."""
import functools
import json
import os
from dataclasses import dataclass, field

from stylizer.rules.limits import Limits

# Seconds one frame takes per 100 optimiser steps, per instance type (taken at the seed system's 384 px);
# scaled by the job's steps only: at the product's 256 px a step is cheaper, but its multi-pass visits add
# host work, so the estimate errs long until publish_result's SecondsPerFrame metric says otherwise.
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

    def estimate_seconds(self, instance_type: str, frames: int, iterations: int) -> int:
        per_frame = self.seconds_per_frame.get(instance_type, DEFAULT_SECONDS_PER_FRAME)
        return int(STARTUP_SECONDS + frames * per_frame * max(iterations, 1) / 100)


@functools.cache
def get_config() -> Config:
    """Built on first call; tests call `get_config.cache_clear()` after changing the environment."""
    return Config.from_env()
