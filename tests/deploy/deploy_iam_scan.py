"""What IAM actions code needs, read from its source: boto3 clients created and the methods called on them.

The mapping from (boto3 service, method) to IAM actions is explicit and small on purpose: a call the
mapping does not know, on a service the code creates a client for, fails the test (add it here, with the
action AWS documents, and grant it in the template).
"""
from __future__ import annotations

import ast
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STYLIZER = ROOT / "containers" / "stylizer"

# HeadObject is authorised as s3:GetObject; s3:ListBucket is what makes a missing key 404 rather than 403,
# which every caller of head_object here relies on (it tells "missing" from "forbidden").
ACTIONS: dict[tuple[str, str], set[str]] = {
    ("s3", "head_object"): {"s3:GetObject", "s3:ListBucket"},
    ("s3", "get_object"): {"s3:GetObject"},
    ("s3", "put_object"): {"s3:PutObject"},
    ("stepfunctions", "start_execution"): {"states:StartExecution"},
    ("stepfunctions", "send_task_success"): {"states:SendTaskSuccess"},
    ("stepfunctions", "send_task_failure"): {"states:SendTaskFailure"},
    ("sesv2", "send_email"): {"ses:SendEmail"},  # + ses:SendRawEmail for Raw content (REQUEST_KEYS)
    ("sagemaker", "describe_processing_job"): {"sagemaker:DescribeProcessingJob"},
    ("secretsmanager", "get_secret_value"): {"secretsmanager:GetSecretValue"},
    ("sts", "assume_role"): {"sts:AssumeRole"},
    ("dynamodb", "update_item"): {"dynamodb:UpdateItem"},
    ("sagemaker-runtime", "invoke_endpoint_async"): {"sagemaker:InvokeEndpointAsync"},
}

# Actions a call needs when its request carries a key: SES v2 SendEmail with Content.Raw is authorised as
# ses:SendRawEmail (AWS's SES v2 permissions reference), which moto never checks.
REQUEST_KEYS: dict[tuple[str, str], dict[str, set[str]]] = {
    ("sesv2", "send_email"): {"Raw": {"ses:SendRawEmail"}},
}


@lru_cache(maxsize=None)
def operations(service: str) -> frozenset[str]:
    import botocore.session
    from botocore import xform_name

    model = botocore.session.get_session().get_service_model(service)
    return frozenset(xform_name(name) for name in model.operation_names)


def _file(module: str) -> Path | None:
    base = (STYLIZER if module.startswith("stylizer") else ROOT) / Path(*module.split("."))
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.is_file():
            return path
    return None


def module_files(entry: str, prefixes: tuple[str, ...] = ("lambdas", "stylizer")) -> set[Path]:
    """`entry` and every project module it imports (at any level), transitively."""
    seen: set[Path] = set()
    pending = [entry]
    while pending:
        module = pending.pop()
        path = _file(module)
        if path is None or path in seen:
            continue
        seen.add(path)
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                    base = f"{parent}.{base}" if base else parent
                names = [base] + [f"{base}.{a.name}" for a in node.names]
            else:
                continue
            pending += [n for n in names if n.split(".")[0] in prefixes]
    return seen


def dict_keys(paths: set[Path]) -> set[str]:
    """Every constant key of a dict literal in the code (request shapes such as {"Raw": ...})."""
    return {key.value for path in paths for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, ast.Dict) for key in node.keys if isinstance(key, ast.Constant)}


def calls(paths: set[Path]) -> tuple[set[str], set[str]]:
    """(services of boto3.client(...) calls, method names called on anything, presigned operations included)."""
    services, methods = set(), set()
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            name = node.func.attr
            first = node.args[0].value if node.args and isinstance(node.args[0], ast.Constant) else None
            if name == "client" and isinstance(first, str):
                services.add(first)
            elif name == "generate_presigned_url" and isinstance(first, str):
                methods.add(first)  # the URL's bearer acts with the signer's s3:GetObject
            else:
                methods.add(name)
    return services, methods


def required_actions(paths: set[Path]) -> set[str]:
    services, methods = calls(paths)
    keys = dict_keys(paths)
    needed: set[str] = set()
    for service in services:
        for method in methods & operations(service):
            assert (service, method) in ACTIONS, f"no IAM mapping for {service}.{method}: add it to ACTIONS"
            needed |= ACTIONS[(service, method)]
            for key, actions in REQUEST_KEYS.get((service, method), {}).items():
                if key in keys:
                    needed |= actions
    return needed


def granted_actions(statements: list) -> set[str]:
    """Allowed actions in a policy's statements; both branches of an Fn::If count (the widest deployment)."""
    out: set[str] = set()
    for statement in statements:
        if isinstance(statement, dict) and "Fn::If" in statement:
            out |= granted_actions([s for s in statement["Fn::If"][1:] if s != {"Ref": "AWS::NoValue"}])
            continue
        if statement.get("Effect") != "Allow":
            continue
        actions = statement["Action"]
        out |= {actions} if isinstance(actions, str) else set(actions)
    return out


def role_statements(template: dict, role: str) -> list:
    return [s for p in template["Resources"][role]["Properties"]["Policies"] for s in p["PolicyDocument"]["Statement"]]
