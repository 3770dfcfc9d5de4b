"""send_email's configuration, read once from the environment."""
import functools
import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Config:
    sender: str  # a verified SES identity
    configuration_set: str | None  # optional SES configuration set (bounces, complaints)

    @classmethod
    def from_env(cls) -> "Config":
        return cls(sender=os.environ["SENDER_EMAIL"],
                   configuration_set=os.environ.get("SES_CONFIGURATION_SET") or None)


@functools.cache
def get_config() -> Config:
    """Built on first call; tests call `get_config.cache_clear()` after changing the environment."""
    return Config.from_env()
