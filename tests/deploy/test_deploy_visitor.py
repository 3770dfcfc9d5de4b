"""The page's own AWS calls (frontend/src) against the visitor role and the buckets' CORS rules.

moto enforces neither IAM for Cognito identities nor the bucket CORS of a deployed stack, so this reads what
the page's code uses and states what AWS then checks:
- @aws-sdk/lib-storage's Upload goes multipart above 5 MiB: CreateMultipartUpload / CompleteMultipartUpload
  (POST), UploadPart (PUT, ETag read back), AbortMultipartUpload (DELETE) on failure. IAM: s3:PutObject
  covers all but the abort, which is s3:AbortMultipartUpload.
- A SigV4-signed POST to a function URL (service 'lambda'): lambda:InvokeFunctionUrl and, for URLs made since
  October 2025, lambda:InvokeFunction.
"""
import json
from pathlib import Path

import pytest

from deploy_iam_scan import granted_actions, role_statements
from pipeline.deploy import template

SOURCE = Path(__file__).resolve().parents[2] / "frontend" / "src"
RULES = {  # what appears in the page's code → (IAM actions on the visitor's prefixes, CORS methods)
    "@aws-sdk/lib-storage": ({"s3:PutObject", "s3:AbortMultipartUpload"}, {"PUT", "POST", "DELETE"}),
    "service: 'lambda'": ({"lambda:InvokeFunctionUrl", "lambda:InvokeFunction"}, set()),
}
UPLOAD_BUCKETS = ("UploadsBucket", "ImagesBucket")  # gifmode.js and photo.js upload into these


@pytest.fixture(scope="module")
def built():
    return template.build()


def page_code() -> str:
    return "\n".join(path.read_text(encoding="utf-8") for path in sorted(SOURCE.glob("*.js")))


def test_the_page_uses_what_the_rules_describe():
    code = page_code()
    assert all(marker in code for marker in RULES), "a rule no longer matches the page: update RULES"


def test_visitor_role_allows_what_the_page_calls(built):
    needed = set().union(*(actions for marker, (actions, _) in RULES.items() if marker in page_code()))
    statements = role_statements(built, "VisitorRole")
    assert needed <= granted_actions(statements)
    # Abort is granted exactly where PutObject is: the visitor's own prefixes.
    by_action = {action: json.dumps(s["Resource"], sort_keys=True) for s in statements for action in s["Action"]}
    assert by_action["s3:AbortMultipartUpload"] == by_action["s3:PutObject"]


@pytest.mark.parametrize("bucket", UPLOAD_BUCKETS)
def test_bucket_cors_allows_multipart_uploads(built, bucket):
    methods = set().union(*(m for marker, (_, m) in RULES.items() if marker in page_code()))
    (rule,) = built["Resources"][bucket]["Properties"]["CorsConfiguration"]["CorsRules"]
    assert methods <= set(rule["AllowedMethods"])
    assert "ETag" in rule["ExposedHeaders"]  # UploadPart's ETag goes into CompleteMultipartUpload
