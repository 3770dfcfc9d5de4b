"""Fixtures shared by every test folder."""
import pytest


@pytest.fixture
def mocked_aws(monkeypatch):
    """moto in process with dummy long-term credentials; whatever a local stack alive on this worker put in
    the environment (its endpoint, its session token: a session-scoped stack of the browser tests lives
    while other tests run here) is cleared, so boto3 reaches neither that server nor believes in a session."""
    from moto import mock_aws

    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                        "AWS_DEFAULT_REGION": "us-east-1", "AWS_REGION": "us-east-1"}.items():
        monkeypatch.setenv(name, value)
    for name in ("AWS_ENDPOINT_URL", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    with mock_aws():
        yield
