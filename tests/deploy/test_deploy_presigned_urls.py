"""Every presigned URL the code makes is SigV4 on the bucket's regional endpoint (AWS refuses SigV2 for
buckets made after June 2020; moto accepts both, so only these checks see it)."""
import ast
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from lambdas.shared import presign

ROOT = Path(__file__).resolve().parents[2]
CODE = [ROOT / "lambdas", ROOT / "pipeline", ROOT / "containers" / "stylizer" / "stylizer"]
PRESIGNING = {"generate_presigned_url", "generate_presigned_post"}


def presigning_calls() -> set[str]:
    found = set()
    for folder in CODE:
        for path in folder.rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                        and node.func.attr in PRESIGNING:
                    found.add(str(path.relative_to(ROOT)))
    return found


def test_only_the_shared_signer_presigns():
    assert presigning_calls() == {"lambdas/shared/presign.py"}


@pytest.mark.parametrize("region", ["us-east-1", "eu-west-1"])
def test_the_shared_signer_is_sigv4_and_regional(monkeypatch, region):
    for name in ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3", "AWS_DEFAULT_REGION"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_REGION", region)
    url = presign.presigned_get(presign.signing_client(aws_access_key_id="AKIDEXAMPLE",
                                                       aws_secret_access_key="secret"),
                                "nst-results", "jobs/x/stylized.gif", 600, ResponseContentType="image/gif")
    parsed = urlparse(url)
    query = parse_qs(parsed.query)
    assert parsed.scheme == "https" and parsed.hostname == f"nst-results.s3.{region}.amazonaws.com"
    assert query["X-Amz-Algorithm"] == ["AWS4-HMAC-SHA256"] and query["X-Amz-Expires"] == ["600"]
    assert f"/{region}/s3/aws4_request" in query["X-Amz-Credential"][0]
    assert not {"AWSAccessKeyId", "Signature", "Expires"} & set(query)


def test_a_default_client_would_have_signed_with_sigv2(monkeypatch):
    """Guards the test above: what paint_request used to do is what the checks reject."""
    import boto3

    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    url = boto3.client("s3", region_name="us-east-1", aws_access_key_id="AKIDEXAMPLE",
                       aws_secret_access_key="secret").generate_presigned_url(
        "get_object", Params={"Bucket": "b", "Key": "k"}, ExpiresIn=60)
    assert "AWSAccessKeyId" in parse_qs(urlparse(url).query)


def test_lifetimes_beyond_sigv4s_week_are_refused():
    with pytest.raises(ValueError, match="presigned URL lasts"):
        presign.presigned_get(None, "b", "k", 8 * 24 * 3600)
