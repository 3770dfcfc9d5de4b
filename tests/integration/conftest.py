"""Shared fixtures of the local runtime's tests: one moto server per test module, fixture handlers on sys.path."""
import sys
from pathlib import Path

import boto3
import pytest

FIXTURES = Path(__file__).parent / "fixtures"
sys.path.insert(0, str(FIXTURES))  # nst_fixture_lambdas.* handlers and the fake container

from pipeline.local.server import LocalMotoServer  # noqa: E402
from pipeline.local.settings import RuntimeSettings  # noqa: E402

REGION = "us-east-1"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    work = tmp_path_factory.mktemp("local-runtime")
    runtime = RuntimeSettings(region=REGION, mail_dir=work / "mail", instant_retries=True, work_dir=work / "jobs",
                              processing_command=[sys.executable, str(FIXTURES / "fake_container.py")])
    with LocalMotoServer(runtime) as running:
        yield running


@pytest.fixture(scope="module")
def aws(server):
    """boto3 clients bound to the module's server."""
    def client(service):
        return boto3.client(service, endpoint_url=server.endpoint_url, region_name=REGION,
                            aws_access_key_id="testing", aws_secret_access_key="testing")
    return client


@pytest.fixture
def settle():
    """settle(stack, execution, timeout) -> DescribeExecution: waits for a LocalStack execution to end, confirming
    the upload by the link in its first mail as the uploader would (uploads are confirmed before any job runs)."""
    def wait(stack, execution, timeout=60.0):
        return stack.wait_confirming(execution, timeout=timeout)
    return wait
