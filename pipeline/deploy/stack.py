"""Creating, updating and deleting the stack with change sets, and reporting failures readably."""
from __future__ import annotations

import time
from typing import Callable

from botocore.exceptions import ClientError, WaiterError

CAPABILITIES = ["CAPABILITY_IAM"]  # the template makes roles and the link-signer user, all unnamed
NO_CHANGES = ("didn't contain changes", "No updates are to be performed")
FAILED = ("CREATE_FAILED", "UPDATE_FAILED", "DELETE_FAILED")


class DeployError(RuntimeError):
    pass


def _status(cfn, name: str) -> str | None:
    try:
        return cfn.describe_stacks(StackName=name)["Stacks"][0]["StackStatus"]
    except ClientError as error:
        if "does not exist" in str(error):
            return None
        raise


def failures(cfn, name: str, since: float = 0.0) -> list[str]:
    """'LogicalId (Type): reason' for every failed resource event since `since` (epoch seconds), oldest first."""
    lines = []
    for page in cfn.get_paginator("describe_stack_events").paginate(StackName=name):
        for event in page["StackEvents"]:
            if event["Timestamp"].timestamp() < since:
                continue
            if event.get("ResourceStatus") in FAILED and event.get("ResourceStatusReason"):
                lines.append(f"{event['LogicalResourceId']} ({event.get('ResourceType')}): "
                             f"{event['ResourceStatusReason']}")
    return lines[::-1]


def _wait(cfn, waiter: str, name: str, delay: int, since: float, **kwargs) -> None:
    try:
        cfn.get_waiter(waiter).wait(StackName=name, WaiterConfig={"Delay": delay, "MaxAttempts": 7200 // delay},
                                    **kwargs)
    except WaiterError as error:
        reasons = failures(cfn, name, since) or [str(error)]
        raise DeployError(f"stack {name}: {_status(cfn, name)}\n  " + "\n  ".join(reasons)) from None


def deploy(cfn, name: str, template_url: str, parameters: dict[str, str], say: Callable[[str], None] = print,
           delay: int = 15) -> dict[str, str]:
    """Create or update `name` from the template at `template_url`; returns the stack's outputs."""
    status = _status(cfn, name)
    if status == "ROLLBACK_COMPLETE":  # a failed first create cannot be updated, only deleted
        say(f"stack {name} is ROLLBACK_COMPLETE after a failed create: deleting it first")
        cfn.delete_stack(StackName=name)
        _wait(cfn, "stack_delete_complete", name, delay, time.time())
        status = None
    kind = "CREATE" if status is None else "UPDATE"
    change_set = f"nst-{time.strftime('%Y%m%d-%H%M%S')}"
    since = time.time() - 1
    cfn.create_change_set(StackName=name, ChangeSetName=change_set, ChangeSetType=kind, TemplateURL=template_url,
                          Capabilities=CAPABILITIES,
                          Parameters=[{"ParameterKey": k, "ParameterValue": v} for k, v in parameters.items()])
    try:
        cfn.get_waiter("change_set_create_complete").wait(
            StackName=name, ChangeSetName=change_set, WaiterConfig={"Delay": max(delay // 3, 1), "MaxAttempts": 120})
    except WaiterError:
        described = cfn.describe_change_set(StackName=name, ChangeSetName=change_set)
        reason = described.get("StatusReason", "")
        if any(text in reason for text in NO_CHANGES):
            say(f"stack {name}: no changes")
            cfn.delete_change_set(StackName=name, ChangeSetName=change_set)
            return outputs(cfn, name)
        raise DeployError(f"change set for {name} failed: {reason}") from None
    changes = cfn.describe_change_set(StackName=name, ChangeSetName=change_set).get("Changes", [])
    say(f"stack {name}: {kind.lower()} with {len(changes)} change(s); waiting (a new endpoint takes ~10 min)")
    cfn.execute_change_set(StackName=name, ChangeSetName=change_set)
    _wait(cfn, f"stack_{kind.lower()}_complete", name, delay, since)
    return outputs(cfn, name)


def outputs(cfn, name: str) -> dict[str, str]:
    stack = cfn.describe_stacks(StackName=name)["Stacks"][0]
    return {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}


def delete(cfn, name: str, delay: int = 15) -> None:
    since = time.time() - 1
    cfn.delete_stack(StackName=name)
    _wait(cfn, "stack_delete_complete", name, delay, since)


def empty_bucket(s3, bucket: str) -> int:
    """Delete every object (and version) in `bucket`; returns how many. A missing bucket counts as empty."""
    deleted = 0
    try:
        for page in s3.get_paginator("list_object_versions").paginate(Bucket=bucket):
            keys = [{"Key": v["Key"], "VersionId": v["VersionId"]}
                    for v in page.get("Versions", []) + page.get("DeleteMarkers", [])]
            for start in range(0, len(keys), 1000):
                s3.delete_objects(Bucket=bucket, Delete={"Objects": keys[start:start + 1000], "Quiet": True})
            deleted += len(keys)
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") != "NoSuchBucket":
            raise
    return deleted
