"""confirm_upload's configuration, read once from the environment."""
import functools
import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Config:
    allow_decline: bool  # ALLOW_DECLINE: the page offers "Not me: cancel" (SendTaskFailure); default on

    @classmethod
    def from_env(cls) -> "Config":
        return cls(allow_decline=os.environ.get("ALLOW_DECLINE", "true").strip().lower() not in ("false", "0", "no"))


@functools.cache
def get_config() -> Config:
    """Built on first call; tests call `get_config.cache_clear()` after changing the environment."""
    return Config.from_env()
