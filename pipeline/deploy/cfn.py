"""Small constructors for CloudFormation intrinsics and IAM documents, so the resource modules read as data."""
from __future__ import annotations

from typing import Any

Json = dict[str, Any]
POLICY_VERSION = "2012-10-17"


def ref(name: str) -> Json:
    return {"Ref": name}


def att(resource: str, attribute: str) -> Json:
    return {"Fn::GetAtt": [resource, attribute]}


def sub(text: str, variables: Json | None = None) -> Json:
    return {"Fn::Sub": [text, variables]} if variables else {"Fn::Sub": text}


def join(*parts: Any) -> Json:
    """Fn::Join with "": used where the text holds IAM policy variables like ${aws:...}, which Fn::Sub would
    try to resolve."""
    return {"Fn::Join": ["", list(parts)]}


def if_(condition: str, yes: Any, no: Any) -> Json:
    return {"Fn::If": [condition, yes, no]}


NO_VALUE = ref("AWS::NoValue")


def resource(kind: str, properties: Json, **attributes: Any) -> Json:
    """A resource; keyword arguments are top-level attributes (DependsOn, Condition, DeletionPolicy…)."""
    return {"Type": kind, "Properties": properties, **attributes}


def allow(actions: list[str] | str, resources: Any, condition: Json | None = None, sid: str | None = None) -> Json:
    statement: Json = {"Effect": "Allow", "Action": sorted([actions] if isinstance(actions, str) else actions),
                       "Resource": resources}
    if condition:
        statement["Condition"] = condition
    if sid:
        statement["Sid"] = sid
    return statement


def policy(*statements: Json) -> Json:
    return {"Version": POLICY_VERSION, "Statement": list(statements)}


def service_role(service: str, statements: list[Json], policy_name: str, **properties: Any) -> Json:
    """An IAM role that `service` assumes, with one inline policy (inline: deleted with the role, no ARN to
    manage, and visible in one place when reviewing least privilege)."""
    return resource("AWS::IAM::Role", {
        "AssumeRolePolicyDocument": policy({"Effect": "Allow", "Principal": {"Service": service},
                                            "Action": "sts:AssumeRole"}),
        "Policies": [{"PolicyName": policy_name, "PolicyDocument": policy(*statements)}],
        **properties,
    })


def bucket_arn(bucket_logical_id: str, key_pattern: str | None = None) -> Json:
    """The bucket's ARN, or the ARN of `key_pattern` objects in it (a plain pattern, no Fn::Sub)."""
    if key_pattern is None:
        return att(bucket_logical_id, "Arn")
    return join(att(bucket_logical_id, "Arn"), "/" + key_pattern)
