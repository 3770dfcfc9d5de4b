"""Creating the AWS resources of a local stack: IAM role, buckets, Lambda functions, state machines."""
from __future__ import annotations

import io
import json
import zipfile
from typing import Iterable, Mapping

ASSUME_ROLE_POLICY = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                   "Principal": {"Service": ["lambda.amazonaws.com", "states.amazonaws.com",
                                             "sagemaker.amazonaws.com"]}}],
}


def placeholder_zip() -> bytes:
    """moto wants a deployment package; the local runtime imports the handler instead of running it."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("README.txt", "The local stack runs handlers in process from the source tree.\n")
    return buffer.getvalue()


def create_role(iam, name: str = "nst-local-pipeline") -> str:
    return iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(ASSUME_ROLE_POLICY))["Role"]["Arn"]


def create_function(lambda_client, role_arn: str, name: str, handler: str,
                    environment: Mapping[str, str] | None = None, timeout: int = 60) -> str:
    response = lambda_client.create_function(
        FunctionName=name, Runtime="python3.11", Role=role_arn, Handler=handler,
        Code={"ZipFile": placeholder_zip()}, Timeout=timeout,
        Environment={"Variables": {k: str(v) for k, v in (environment or {}).items()}})
    return response["FunctionArn"]


def create_state_machine(sfn, role_arn: str, name: str, definition: str) -> str:
    return sfn.create_state_machine(name=name, definition=definition, roleArn=role_arn)["stateMachineArn"]


def create_buckets(s3, names: Iterable[str]) -> None:
    for name in names:
        s3.create_bucket(Bucket=name)
