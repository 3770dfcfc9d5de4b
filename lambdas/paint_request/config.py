"""paint_request's configuration, read once from the environment at the entry point."""
import functools
import os
from dataclasses import dataclass

from stylizer.rules.limits import Limits

MAX_INVOCATION_TIMEOUT_S = 3600  # SageMaker's bound for InvocationTimeoutSeconds of an async endpoint


@dataclass(frozen=True)
class Config:
    bucket: str  # holds uploads/photos/, async-inputs/, progress/ and the endpoint's outputs
    endpoint_name: str
    invocation_timeout_s: int
    url_expires_s: int  # lifetime of the presigned GET URLs handed back to the page
    upload_prefix: str  # + "<identity id>/": what a caller may name
    input_prefix: str
    progress_prefix: str  # + "<identity id>/<request id>/": where the endpoint writes status.json, preview.jpg
    limits: Limits

    @classmethod
    def from_env(cls) -> "Config":
        timeout = int(os.environ.get("INVOCATION_TIMEOUT_SECONDS", "900"))
        if not 1 <= timeout <= MAX_INVOCATION_TIMEOUT_S:
            raise ValueError(f"INVOCATION_TIMEOUT_SECONDS must be 1..{MAX_INVOCATION_TIMEOUT_S}, got {timeout}")
        return cls(
            bucket=os.environ["IMAGES_BUCKET"],
            endpoint_name=os.environ["ENDPOINT_NAME"],
            invocation_timeout_s=timeout,
            url_expires_s=int(os.environ.get("URL_EXPIRES_SECONDS", "3600")),
            upload_prefix=os.environ.get("PHOTO_UPLOAD_PREFIX", "uploads/photos/"),
            input_prefix=os.environ.get("ASYNC_INPUT_PREFIX", "async-inputs/"),
            progress_prefix=os.environ.get("PROGRESS_PREFIX", "progress/"),
            limits=Limits.from_env(),
        )


@functools.cache
def get_config() -> Config:
    """Built on first call; tests call `get_config.cache_clear()` after changing the environment."""
    return Config.from_env()
