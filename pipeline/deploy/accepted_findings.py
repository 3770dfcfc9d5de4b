"""checkov findings on the template that are accepted by design, each with its reason.

`annotate` writes them into each resource's Metadata (`checkov.skip`), where checkov reads them, so the
rendered template says why next to what it concerns. tests/deploy/test_deploy_checkov.py runs checkov on the
rendered template: no failed check may remain, and every skip here must still match a finding (no stale
excuses). Keyed by resource type (every resource of it) or logical id.
"""
from __future__ import annotations

from pipeline.deploy.cfn import Json

SYNC_INVOKED = ("Invoked synchronously (Step Functions tasks, the function URL): a Lambda DLQ applies to "
                "asynchronous invocations only; failures are caught by the state machine or answered to the caller")

CONFIRM_LINK = ("The confirm link in the first mail is opened by a person without AWS credentials: the Step "
                "Functions task token in it is the credential, as for any callback, and the function can only answer "
                "that token (SendTaskSuccess/Failure on this state machine); GET never answers (mail scanners)")

BY_TYPE: dict[str, dict[str, str]] = {
    "AWS::Lambda::Function": {
        "CKV_AWS_117": "The functions call only AWS APIs over HTTPS and reach nothing inside a VPC; a VPC would "
                       "add NAT or endpoints for no isolation gained",
        "CKV_AWS_173": "Environment variables hold names, prefixes and ARNs, no secrets (the link signer's keys "
                       "are in Secrets Manager); Lambda encrypts them at rest with its AWS managed key",
    },
    "AWS::Logs::LogGroup": {
        "CKV_AWS_158": "CloudWatch Logs encrypts at rest by default; the state machine logs no execution data and "
                       "the functions log no secrets, so a customer key would add cost and a key policy only",
    },
    "AWS::S3::Bucket": {
        "CKV_AWS_18": "Server access logs would be a fourth bucket of visitors' IPs and keys kept longer than the "
                      "data; CloudTrail data events can be enabled per account when an audit needs them",
    },
}
DATA_BUCKET = {
    "CKV_AWS_21": "Versioning would keep every upload and result as a noncurrent version after the lifecycle rule "
                  "expires it: the retention days are the privacy promise made to uploaders",
}
BY_ID: dict[str, dict[str, str]] = {
    "UploadsBucket": DATA_BUCKET, "ImagesBucket": DATA_BUCKET, "ResultsBucket": DATA_BUCKET,
    "WebsiteBucket": {"CKV_AWS_21": "The page is rebuilt from git on every deploy; old versions are not data"},
    "IdentityPool": {"CKV_AWS_366": "Guest access is the design: anyone with the page may paint; the guest role "
                                    "reaches only its own identity's prefixes and the paint function's URL"},
    "Distribution": {
        "CKV_AWS_68": "The distribution serves a static page; uploads and paint requests go to S3 and the function "
                      "URL directly, which a WAF here would not see (they are bounded by IAM and per-identity keys)",
        "CKV_AWS_86": "Standard logging needs an ACL-enabled log bucket of visitors' IPs; CloudFront's metrics cover "
                      "operations",
        "CKV_AWS_174": "With PageDomain and PageCertificateArn the viewer certificate is TLSv1.2_2021; without a "
                       "domain CloudFront's shared certificate cannot be given a minimum protocol",
    },
    "LinkSignerSecret": {"CKV_AWS_149": "Encrypted with the AWS managed key; who may read it is decided by IAM "
                                        "(publish_result's role only), which a customer key would not change"},
    "OpsTopic": {"CKV_AWS_26": "CloudWatch alarms cannot publish to a topic encrypted with the AWS managed SNS key; "
                               "messages are alarm states, no personal data"},
    "InferenceTopic": {"CKV_AWS_26": "Carries inference ids and S3 locations only; SageMaker's publishing would need "
                                     "a customer key and key policy"},
    "UploadEventsDeadLetters": {"CKV_AWS_27": "Encrypted at rest with SQS-managed keys (SqsManagedSseEnabled); a KMS "
                                              "key would need grants for EventBridge and Lambda to keep delivering"},
    "UploadCounters": {
        "CKV_AWS_28": "Counters of the current hour, deleted by TTL: nothing to restore from a backup",
        "CKV_AWS_119": "Encrypted with DynamoDB's AWS owned key; the items are identity ids and counts",
    },
    "ImageModel": {"CKV_AWS_370": "The endpoint reads the photos and writes progress to S3 itself (the request names "
                                  "S3 objects), which network isolation forbids"},
    **{name: {"CKV_AWS_116": SYNC_INVOKED} for name in (
        "ValidateUploadFunction", "SendEmailFunction", "PublishResultFunction", "ExplainFailureFunction",
        "PaintRequestFunction", "ConfirmUploadFunction")},
    "ConfirmUploadUrl": {"CKV_AWS_258": CONFIRM_LINK},
}


def skips_for(logical_id: str, resource: Json) -> dict[str, str]:
    return {**BY_TYPE.get(resource["Type"], {}), **BY_ID.get(logical_id, {})}


def annotate(resources: dict[str, Json]) -> None:
    for logical_id, resource in resources.items():
        skips = skips_for(logical_id, resource)
        if skips:
            resource.setdefault("Metadata", {})["checkov"] = {
                "skip": [{"id": check, "comment": reason} for check, reason in sorted(skips.items())]}
