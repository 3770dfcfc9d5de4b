"""start_execution's configuration, read once from the environment."""
import functools
import json
import os
from dataclasses import dataclass

DEFAULT_INSTANCE_TYPES = ("ml.g4dn.xlarge", "ml.g5.xlarge")


def _instance_types(raw: str | None) -> tuple[str, ...]:
    """INSTANCE_TYPES as a JSON list or comma-separated; order = order of preference."""
    if not raw:
        return DEFAULT_INSTANCE_TYPES
    values = json.loads(raw) if raw.lstrip().startswith("[") else raw.split(",")
    types = tuple(v.strip() for v in values if v.strip())
    if not types or not all(t.startswith("ml.") for t in types):
        raise ValueError(f"INSTANCE_TYPES must list SageMaker instance types (ml.*), got {raw!r}")
    return types


@dataclass(frozen=True)
class Config:
    state_machine_arn: str
    instance_types: tuple[str, ...]
    style_size: int
    style_iterations: int
    upload_prefix: str
    throttle_table: str | None = None  # THROTTLE_TABLE: the per-identity counters (none: no throttle, locally)
    uploads_per_hour: int = 10  # UPLOADS_PER_HOUR: starts per identity per clock hour

    @classmethod
    def from_env(cls) -> "Config":
        return cls(
            state_machine_arn=os.environ["STATE_MACHINE_ARN"],
            instance_types=_instance_types(os.environ.get("INSTANCE_TYPES")),
            style_size=int(os.environ.get("STYLE_SIZE", "384")),
            style_iterations=int(os.environ.get("STYLE_ITERATIONS", "100")),
            upload_prefix=os.environ.get("UPLOAD_PREFIX", "uploads/"),
            throttle_table=os.environ.get("THROTTLE_TABLE") or None,
            uploads_per_hour=int(os.environ.get("UPLOADS_PER_HOUR", "10")),
        )


@functools.cache
def get_config() -> Config:
    """Built on first call; tests call `get_config.cache_clear()` after changing the environment."""
    return Config.from_env()
