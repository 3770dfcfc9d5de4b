"""The template cut down to what moto 5.2.5's CloudFormation can create.

moto skips resource types it does not implement and then fails on references to them. So the filter removes
those resources (the list comes from moto itself, see `unsupported_types`) and replaces every reference to
them (Ref, Fn::GetAtt, `${Name}`/`${Name.Attr}` inside Fn::Sub, DependsOn) with a stand-in string
"moto-stand-in-<Name>[-<Attr>]". Everything moto does implement (buckets, roles, functions, the state
machine, the SageMaker model/config/endpoint, topics, log groups, the rule, the dashboard) is created as the
template says. Today that removes: bucket policies, CloudFront, Cognito, SES identity, function URL,
scaling target/policies, alarms, the link-signer secret and SNS subscription.
"""
from __future__ import annotations

import copy
import re


def unsupported_types(template: dict) -> set[str]:
    from moto.cloudformation.parsing import get_model_map

    supported = set(get_model_map())
    return {r["Type"] for r in template["Resources"].values() if r["Type"] not in supported}


def _stand_in(name: str, attribute: str | None = None) -> str:
    return f"moto-stand-in-{name}" + (f"-{attribute}" if attribute else "")


def _replace(value, removed: set[str]):
    if isinstance(value, list):
        return [_replace(v, removed) for v in value]
    if not isinstance(value, dict):
        return value
    if set(value) == {"Ref"} and value["Ref"] in removed:
        return _stand_in(value["Ref"])
    if set(value) == {"Fn::GetAtt"} and value["Fn::GetAtt"][0] in removed:
        return _stand_in(*value["Fn::GetAtt"])
    if set(value) == {"Fn::Sub"}:
        body = value["Fn::Sub"]
        text, variables = (body, None) if isinstance(body, str) else body

        def swap(match: re.Match) -> str:
            name, _, attribute = match.group(1).partition(".")
            return _stand_in(name, attribute or None) if name in removed else match.group(0)

        text = re.sub(r"\$\{([A-Za-z0-9_.:]+)\}", swap, text)
        return {"Fn::Sub": text if variables is None else [text, _replace(variables, removed)]}
    return {k: _replace(v, removed) for k, v in value.items()}


def for_moto(template: dict) -> tuple[dict, set[str]]:
    """(filtered template, logical ids removed)."""
    out = copy.deepcopy(template)
    kinds = unsupported_types(out)
    removed = {name for name, r in out["Resources"].items() if r["Type"] in kinds}
    for name in removed:
        del out["Resources"][name]
    for name, resource in out["Resources"].items():
        depends = resource.get("DependsOn")
        if depends:
            depends = [d for d in ([depends] if isinstance(depends, str) else depends) if d not in removed]
            resource["DependsOn"] = depends or resource.pop("DependsOn")
    out["Resources"] = _replace(out["Resources"], removed)
    out["Outputs"] = _replace(out["Outputs"], removed)
    return out, removed
