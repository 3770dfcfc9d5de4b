"""Fixtures of the unit tests that more than one module uses."""
import importlib.util
import sys
from pathlib import Path

import boto3
import pytest

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


@pytest.fixture
def load_benchmark(monkeypatch):
    """load_benchmark("stopwatch"): a module of benchmarks/ (scripts, not a package), imported the way the
    scripts import each other (benchmarks/ on sys.path) and registered under its name for this test only
    (dataclasses look their module up in sys.modules)."""
    monkeypatch.syspath_prepend(str(BENCHMARKS))

    def load(name: str):
        spec = importlib.util.spec_from_file_location(f"{name}_under_test", BENCHMARKS / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        monkeypatch.setitem(sys.modules, spec.name, module)
        spec.loader.exec_module(module)
        return module

    return load


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
