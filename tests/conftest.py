"""Fixtures shared by every test folder."""
import pytest


@pytest.fixture
def mocked_aws(monkeypatch):
    """moto in process with dummy credentials; AWS_ENDPOINT_URL cleared so boto3 does not reach a local server."""
    from moto import mock_aws

    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                        "AWS_DEFAULT_REGION": "us-east-1"}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    with mock_aws():
        yield
