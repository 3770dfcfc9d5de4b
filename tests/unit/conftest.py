"""Fixtures of the unit tests that more than one module uses."""
import boto3
import pytest


@pytest.fixture
def results(mocked_aws, monkeypatch):
    """publish_result's results bucket in moto, with the function's configuration read afresh."""
    from lambdas.publish_result.config import get_config

    monkeypatch.setenv("RESULTS_BUCKET", "nst-results")
    for name in ("LINK_TTL_SECONDS", "LINK_SIGNER_SECRET_ARN", "LINK_SIGNER_ROLE_ARN"):
        monkeypatch.delenv(name, raising=False)
    get_config.cache_clear()
    s3 = boto3.client("s3")
    s3.create_bucket(Bucket="nst-results")
    yield s3
    get_config.cache_clear()
