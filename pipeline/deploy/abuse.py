"""Bounds on what one page visitor can make the pipeline do: the per-identity upload counters that
start_execution checks (lambdas/start_execution/throttle.py). The SES configuration set that keeps the
sender's reputation is in mail.py."""
from __future__ import annotations

from pipeline.deploy.cfn import Json, allow, att, resource

TABLE = "UploadCounters"


def function_statements() -> list[Json]:
    return [allow("dynamodb:UpdateItem", att(TABLE, "Arn"))]


def resources() -> dict[str, Json]:
    return {TABLE: resource("AWS::DynamoDB::Table", {
        "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [{"AttributeName": "identity_hour", "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": "identity_hour", "KeyType": "HASH"}],
        "TimeToLiveSpecification": {"AttributeName": "expires_at", "Enabled": True},
        "SSESpecification": {"SSEEnabled": True}}, DeletionPolicy="Delete", UpdateReplacePolicy="Delete")}
