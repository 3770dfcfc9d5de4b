"""The template's intrinsic functions resolved the way CloudFormation would for one made-up deployment, so its
IAM policies can be evaluated as AWS evaluates them: Ref, Fn::GetAtt (Arn), Fn::Join, Fn::Sub. IAM policy
variables (`${aws:...}`, `${cognito-identity.amazonaws.com:sub}`) are left to the evaluator, as CloudFormation
leaves them; anything else is an error rather than a guess."""
import re

ACCOUNT = "123456789012"
REGION = "us-east-1"
STACK = "nst"
PSEUDO = {"AWS::AccountId": ACCOUNT, "AWS::Region": REGION, "AWS::Partition": "aws", "AWS::StackName": STACK,
          "AWS::URLSuffix": "amazonaws.com"}


def physical_name(template: dict, logical_id: str) -> str:
    """CloudFormation's generated name: <stack>-<logical id>-<suffix>, lower case for buckets."""
    name = f"{STACK}-{logical_id}-1A2B3C4D5E6F"
    return name.lower() if template["Resources"][logical_id]["Type"] == "AWS::S3::Bucket" else name


def arn_of(template: dict, logical_id: str) -> str:
    kind, name = template["Resources"][logical_id]["Type"], physical_name(template, logical_id)
    if kind == "AWS::S3::Bucket":
        return f"arn:aws:s3:::{name}"
    if kind == "AWS::Lambda::Function":
        return f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{name}"
    if kind == "AWS::IAM::Role":
        return f"arn:aws:iam::{ACCOUNT}:role/{name}"
    raise KeyError(f"no ARN rule for {logical_id} ({kind})")


def ref(template: dict, name: str) -> str:
    if name in PSEUDO:
        return PSEUDO[name]
    if name in template.get("Parameters", {}):
        return str(template["Parameters"][name].get("Default", f"param-{name}"))
    return physical_name(template, name)


def resolve(template: dict, value):
    if isinstance(value, list):
        return [resolve(template, v) for v in value]
    if not isinstance(value, dict):
        return value
    if len(value) == 1:
        (key, argument), = value.items()
        if key == "Ref":
            return ref(template, argument)
        if key == "Fn::GetAtt":
            logical_id, attribute = argument if isinstance(argument, list) else argument.split(".", 1)
            if attribute != "Arn":
                raise KeyError(f"Fn::GetAtt {logical_id}.{attribute}: only Arn is resolved here")
            return arn_of(template, logical_id)
        if key == "Fn::Join":
            separator, parts = argument
            return separator.join(str(resolve(template, p)) for p in parts)
        if key == "Fn::Sub":
            text, variables = (argument, {}) if isinstance(argument, str) else argument
            variables = {k: resolve(template, v) for k, v in (variables or {}).items()}

            def substitute(match):
                name = match.group(1)
                if name in variables:
                    return str(variables[name])
                if "." in name:
                    logical_id, attribute = name.split(".", 1)
                    return resolve(template, {"Fn::GetAtt": [logical_id, attribute]})
                return ref(template, name)
            return re.sub(r"\$\{([^!}][^}]*)\}", substitute, text)
        if key.startswith("Fn::"):
            raise KeyError(f"{key} is not resolved here")
    return {k: resolve(template, v) for k, v in value.items()}
