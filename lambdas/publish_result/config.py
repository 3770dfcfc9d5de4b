"""publish_result's configuration, read once from the environment."""
import functools
import os
from dataclasses import dataclass

from lambdas.shared.presign import MAX_EXPIRES_SECONDS as MAX_PRESIGN_SECONDS  # SigV4's limit


@dataclass(frozen=True)
class Config:
    results_bucket: str
    link_ttl_seconds: int
    # A presigned URL dies with the credentials that signed it: a Lambda role's session lasts hours, not
    # 7 days. LINK_SIGNER_SECRET_ARN names a Secrets Manager secret {"access_key_id", "secret_access_key"}
    # of an IAM user allowed only s3:GetObject on the results, so links live the full TTL.
    link_signer_secret_arn: str | None
    # LINK_SIGNER_ROLE_ARN: a role allowed only s3:GetObject on the results, assumed for each signing: its
    # session's known expiry (one hour at most) bounds the links (publish_result.app.signer).
    link_signer_role_arn: str | None = None

    @classmethod
    def from_env(cls) -> "Config":
        ttl = int(os.environ.get("LINK_TTL_SECONDS", str(MAX_PRESIGN_SECONDS)))
        if not 60 <= ttl <= MAX_PRESIGN_SECONDS:
            raise ValueError(f"LINK_TTL_SECONDS must be 60..{MAX_PRESIGN_SECONDS}, got {ttl}")
        return cls(results_bucket=os.environ["RESULTS_BUCKET"], link_ttl_seconds=ttl,
                   link_signer_secret_arn=os.environ.get("LINK_SIGNER_SECRET_ARN") or None,
                   link_signer_role_arn=os.environ.get("LINK_SIGNER_ROLE_ARN") or None)


@functools.cache
def get_config() -> Config:
    """Built on first call; tests call `get_config.cache_clear()` after changing the environment."""
    return Config.from_env()
