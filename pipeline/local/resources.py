"""Creating the AWS resources of a local stack: IAM role, Lambda functions, state machines from ASL templates."""
from __future__ import annotations

import io
import json
import re
import zipfile
from string import Template
from typing import Iterable, Mapping

PLACEHOLDER = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
ASSUME_ROLE_POLICY = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                   "Principal": {"Service": ["lambda.amazonaws.com", "states.amazonaws.com",
                                             "sagemaker.amazonaws.com"]}}],
}


def placeholders_in(template: str) -> set[str]:
    return set(PLACEHOLDER.findall(template))


def render_definition(template: str, values: Mapping[str, str]) -> str:
    """Substitute every `${Name}`; a placeholder without a value is an error, not an empty string."""
    missing = placeholders_in(template) - set(values)
    if missing:
        raise KeyError(f"state machine placeholders without a local value: {', '.join(sorted(missing))}")
    rendered = Template(template).substitute(values)
    json.loads(rendered)  # the substitution must leave valid JSON
    return rendered


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
