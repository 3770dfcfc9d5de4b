"""What the page does for image mode, in Python: upload a photo under its identity's prefix, POST the paint
request to the function URL (here: a function-URL-shaped event sent with Lambda Invoke), poll status.json
through the presigned URL it got back, then fetch the result through the other presigned URL.

Used by `nst paint`, the integration tests and benchmarks/image_mode.py, so all three take the user's path.
"""
from __future__ import annotations

import json
import mimetypes
import time
import urllib.error
import urllib.request
import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Optional

ACCOUNT = "123456789012"  # moto's default account
FINAL_STATES = ("done", "failed")


def local_identity(client: Callable[[str], Any], identity_pool_id: str) -> str:
    """A fresh Cognito identity id from the local identity pool (what the page's SDK gets on first load)."""
    return client("cognito-identity").get_id(IdentityPoolId=identity_pool_id, AccountId=ACCOUNT)["IdentityId"]


def function_url_event(identity_id: Optional[str], body: dict | str, identity_pool_id: str = "local-pool") -> dict:
    """A Lambda function URL event (payload 2.0) for a SigV4-signed POST by a Cognito identity; None = IAM user
    without a Cognito identity."""
    now = datetime.now(timezone.utc)
    cognito = None if identity_id is None else {"amr": ["unauthenticated"], "identityId": identity_id,
                                                "identityPoolId": identity_pool_id}
    return {
        "version": "2.0", "routeKey": "$default", "rawPath": "/", "rawQueryString": "",
        "headers": {"content-type": "application/json", "host": "local.lambda-url.us-east-1.on.aws"},
        "requestContext": {
            "accountId": ACCOUNT, "apiId": "local", "domainName": "local.lambda-url.us-east-1.on.aws",
            "domainPrefix": "local", "requestId": str(uuid.uuid4()), "routeKey": "$default", "stage": "$default",
            "time": now.strftime("%d/%b/%Y:%H:%M:%S +0000"), "timeEpoch": int(now.timestamp() * 1000),
            "http": {"method": "POST", "path": "/", "protocol": "HTTP/1.1", "sourceIp": "127.0.0.1",
                     "userAgent": "nst-paint"},
            "authorizer": {"iam": {"accessKey": "ASIALOCAL", "accountId": ACCOUNT, "callerId": "AROALOCAL:session",
                                   "cognitoIdentity": cognito, "principalOrgId": None,
                                   "userArn": f"arn:aws:sts::{ACCOUNT}:assumed-role/nst-unauth/session",
                                   "userId": "AROALOCAL:session"}},
        },
        "body": body if isinstance(body, str) else json.dumps(body), "isBase64Encoded": False,
    }


def upload_photo(client: Callable[[str], Any], bucket: str, identity_id: str, path: Path,
                 prefix: str = "uploads/photos/") -> str:
    path = Path(path)
    key = f"{prefix}{identity_id}/{uuid.uuid4().hex[:8]}-{path.name}"
    client("s3").put_object(Bucket=bucket, Key=key, Body=path.read_bytes(),
                            ContentType=mimetypes.guess_type(path.name)[0] or "application/octet-stream")
    return key


def submit(client: Callable[[str], Any], function_name: str, event: dict) -> tuple[int, dict]:
    """(HTTP status, JSON body) of the function URL's answer."""
    response = client("lambda").invoke(FunctionName=function_name, Payload=json.dumps(event).encode())
    payload = json.loads(response["Payload"].read())
    if response.get("FunctionError"):
        raise RuntimeError(f"{function_name} failed: {payload.get('errorType')}: {payload.get('errorMessage')}")
    return payload["statusCode"], json.loads(payload["body"])


def fetch(url: str) -> Optional[bytes]:
    """GET a presigned URL; None while the object does not exist yet."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read()
    except urllib.error.HTTPError as error:
        if error.code in (403, 404):  # S3 answers 403 for a missing key to callers without ListBucket
            return None
        raise


def watch(accepted: dict, on_status: Callable[[dict], None] = lambda status: None, timeout: float = 600.0,
          interval: float = 0.2) -> dict:
    """Poll status.json until done/failed; calls on_status for every new status. Returns the last one."""
    deadline, last = time.monotonic() + timeout, None
    while time.monotonic() < deadline:
        data = fetch(accepted["progress"]["status"])
        status = json.loads(data) if data else None
        if status and status != last:
            last = status
            on_status(status)
            if status.get("state") in FINAL_STATES:
                return status
        time.sleep(interval)
    raise TimeoutError(f"request {accepted['request_id']} not finished after {timeout:.0f} s (last: {last})")


def result(accepted: dict, timeout: float = 30.0) -> bytes:
    """The result image; waits briefly, since the output object lands just after the final status."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        data = fetch(accepted["result"]["url"])
        if data is not None:
            return data
        failure = fetch(accepted["result"]["failure_url"]) if accepted["result"].get("failure_url") else None
        if failure is not None:
            raise RuntimeError(json.loads(failure).get("error", failure.decode(errors="replace")))
        time.sleep(0.2)
    raise TimeoutError(f"no result at {accepted['result']['output_location']} after {timeout:.0f} s")
