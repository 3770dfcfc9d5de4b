"""start_execution's configuration, read once from the environment."""
import functools
import json
import os
from dataclasses import dataclass

from stylizer.rules.options import GIF_ITERATIONS, GIF_SIZE

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


def _flag(raw: str) -> bool:
    value = raw.strip().lower()
    if value not in ("true", "false"):
        raise ValueError(f"CONFIRM_UPLOADS must be true or false, got {raw!r}")
    return value == "true"


def _positive(raw: str) -> int:
    value = int(raw)
    if value < 1:
        raise ValueError(f"CONFIRM_TIMEOUT_SECONDS must be at least 1, got {raw!r}")
    return value


@dataclass(frozen=True)
class Config:
    state_machine_arn: str
    instance_types: tuple[str, ...]
    style_size: int
    style_iterations: int
    upload_prefix: str
    throttle_table: str | None = None  # THROTTLE_TABLE: the per-identity counters (none: no throttle, locally)
    uploads_per_hour: int = 10  # UPLOADS_PER_HOUR: starts per identity per clock hour
    confirm_uploads: bool = True  # CONFIRM_UPLOADS: the uploader confirms by the mail's link before the job
    confirm_timeout_seconds: int = 86400  # CONFIRM_TIMEOUT_SECONDS: how long that link works
    confirm_url: str = ""  # CONFIRM_URL: confirm_upload's function URL

    @classmethod
    def from_env(cls) -> "Config":
        return cls(
            state_machine_arn=os.environ["STATE_MACHINE_ARN"],
            instance_types=_instance_types(os.environ.get("INSTANCE_TYPES")),
            # unset: the stylizer's own measured defaults (the job is told them, so its input shows them)
            style_size=int(os.environ.get("STYLE_SIZE") or GIF_SIZE),
            style_iterations=int(os.environ.get("STYLE_ITERATIONS") or GIF_ITERATIONS),
            upload_prefix=os.environ.get("UPLOAD_PREFIX", "uploads/"),
            throttle_table=os.environ.get("THROTTLE_TABLE") or None,
            uploads_per_hour=int(os.environ.get("UPLOADS_PER_HOUR", "10")),
            confirm_uploads=_flag(os.environ.get("CONFIRM_UPLOADS", "true")),
            confirm_timeout_seconds=_positive(os.environ.get("CONFIRM_TIMEOUT_SECONDS", "86400")),
            confirm_url=os.environ.get("CONFIRM_URL", ""),
        )

    def __post_init__(self) -> None:
        if self.confirm_uploads and not self.confirm_url:
            raise ValueError("CONFIRM_URL is needed while CONFIRM_UPLOADS is on (the link in the first mail)")


@functools.cache
def get_config() -> Config:
    """Built on first call; tests call `get_config.cache_clear()` after changing the environment."""
    return Config.from_env()
