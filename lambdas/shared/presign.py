"""Presigned S3 GET URLs: always SigV4, always on the bucket's regional endpoint.

A default `boto3.client("s3")` presigns with SigV2 (`AWSAccessKeyId=…&Signature=…`) on the global endpoint
s3.amazonaws.com. Buckets created after June 2020 refuse SigV2, and a global-endpoint URL for a bucket in
another region is redirected. Every presigned URL of the project is made here (tests/deploy/
test_deploy_presigned_urls.py checks that no other code calls generate_presigned_url), with:

- `signature_version="s3v4"` (X-Amz-Algorithm=AWS4-HMAC-SHA256; lasts at most 7 days);
- `https://s3.<region>.amazonaws.com` with virtual-hosted addressing, the functions' own region (their
  buckets are in the stack's region). With AWS_ENDPOINT_URL(_S3) set (the local runtime on moto) boto3's
  own endpoint resolution is kept.
"""
import os

MAX_EXPIRES_SECONDS = 7 * 24 * 3600  # SigV4 query signatures cannot last longer


def _region() -> str:
    return os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"


def signing_client(**credentials):
    """An S3 client for presigning; `credentials` (aws_access_key_id=…, …) replace the default chain."""
    import boto3
    from botocore.config import Config

    region = _region()
    if os.environ.get("AWS_ENDPOINT_URL_S3") or os.environ.get("AWS_ENDPOINT_URL"):
        return boto3.client("s3", region_name=region, config=Config(signature_version="s3v4"), **credentials)
    return boto3.client("s3", region_name=region, endpoint_url=f"https://s3.{region}.amazonaws.com",
                        config=Config(signature_version="s3v4", s3={"addressing_style": "virtual"}),
                        **credentials)


def presigned_get(client, bucket: str, key: str, expires_in: int, **params) -> str:
    """A GET URL for s3://bucket/key valid `expires_in` seconds; `params` are response overrides
    (ResponseContentType=…, ResponseContentDisposition=…)."""
    if not 1 <= expires_in <= MAX_EXPIRES_SECONDS:
        raise ValueError(f"a presigned URL lasts 1..{MAX_EXPIRES_SECONDS} s, not {expires_in}")
    return client.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": key, **params},
                                         ExpiresIn=expires_in)
