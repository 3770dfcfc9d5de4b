"""Per-identity throttle: at most `limit` pipeline starts per Cognito identity per clock hour.

Anyone with the page can upload; without a bound one visitor could mail any address again and again and
spend GPU time. Each (identity, hour) is one DynamoDB item counted by a single conditional UpdateItem
(atomic, so concurrent uploads cannot both take the last slot); a TTL attribute lets DynamoDB delete it
after two hours. An over-limit upload starts nothing and mails nobody (the mail is the abuse); it stays in
S3 until the lifecycle rule expires it, and the `Throttled` metric counts it.
"""
from datetime import datetime

from botocore.exceptions import ClientError

KEEP_SECONDS = 2 * 3600  # the item outlives its hour; DynamoDB's TTL deletes it within days, harmlessly late


def identity_of(key: str, upload_prefix: str) -> str | None:
    """`<identity>` in uploads/<identity>/<file>.gif (the page's layout); None for a key straight under the
    prefix (an operator's upload, not throttled)."""
    folder = key[len(upload_prefix):].rpartition("/")[0] if key.startswith(upload_prefix) else ""
    return folder or None


def admit(dynamodb, table: str, identity: str, limit: int, now: datetime) -> bool:
    """True and counted if `identity` has started fewer than `limit` executions this hour, else False."""
    try:
        dynamodb.update_item(
            TableName=table, Key={"identity_hour": {"S": f"{identity}#{now:%Y-%m-%dT%H}"}},
            UpdateExpression="ADD uploads :one SET expires_at = :expires",
            ConditionExpression="attribute_not_exists(uploads) OR uploads < :limit",
            ExpressionAttributeValues={":one": {"N": "1"}, ":limit": {"N": str(limit)},
                                       ":expires": {"N": str(int(now.timestamp()) + KEEP_SECONDS)}})
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
            return False
        raise
    return True
