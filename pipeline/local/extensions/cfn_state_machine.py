"""CloudFormation's AWS::StepFunctions::StateMachine as AWS creates it, so the deployed template runs locally.

moto 5.2.5's model (`moto.stepfunctions.models.StateMachine.*_from_cloudformation_json`) has two gaps:
- it ignores `DefinitionSubstitutions`: the machine keeps its `${Name}` placeholders, so no task can run;
- it always uses `stepfunctions_backends`, while with `execute_state_machine` on the API answers from
  `stepfunctions_parser_backends`: a machine created by a stack is invisible to DescribeStateMachine,
  ListStateMachines and StartExecution.
The replacements fill every `${key}` of `DefinitionString` (or of `Definition`, an object, as JSON) whose key is
in `DefinitionSubstitutions` (values already resolved by moto: Ref, GetAtt, Sub) and leave other `${...}` as
they are, as AWS does; and create, update and delete in the backend the API serves (`responses.get_backend`).
LoggingConfiguration and TracingConfiguration stay ignored (moto's CFN model ignores them, the local runtime
does not need them). Pinned by tests/integration/test_moto_contracts.py.
"""
from __future__ import annotations

import json
import re
from typing import Any

from moto.stepfunctions.models import StateMachine
from moto.stepfunctions.responses import get_backend
from moto.stepfunctions.utils import cfn_to_api_tags

from . import PatchSet

_PLACEHOLDER = re.compile(r"\$\{([^}]+)\}")


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def definition_of(properties: dict) -> str:
    """The definition as AWS stores it: DefinitionString (or Definition) with DefinitionSubstitutions applied."""
    definition = properties.get("DefinitionString")
    if definition is None:
        definition = json.dumps(properties["Definition"]) if "Definition" in properties else ""
    substitutions = properties.get("DefinitionSubstitutions") or {}
    return _PLACEHOLDER.sub(
        lambda match: _text(substitutions[match.group(1)]) if match.group(1) in substitutions else match.group(0),
        definition)


def _tags(properties: dict) -> list[dict[str, str]]:
    return cfn_to_api_tags(properties.get("Tags", []))


def create_from_cloudformation_json(cls, resource_name: str, cloudformation_json: Any, account_id: str,
                                    region_name: str, **kwargs: Any) -> StateMachine:
    properties = cloudformation_json["Properties"]
    name = properties.get("StateMachineName", resource_name)
    return get_backend(account_id, region_name).create_state_machine(
        name, definition_of(properties), properties.get("RoleArn", ""), tags=_tags(properties))


def delete_from_cloudformation_json(cls, resource_name: str, cloudformation_json: Any, account_id: str,
                                    region_name: str) -> None:
    # moto passes the physical id (the ARN) as resource_name
    get_backend(account_id, region_name).delete_state_machine(resource_name)


def update_from_cloudformation_json(cls, original_resource: Any, new_resource_name: str, cloudformation_json: Any,
                                    account_id: str, region_name: str) -> StateMachine:
    properties = cloudformation_json.get("Properties", {})
    name = properties.get("StateMachineName", original_resource.name)
    backend = get_backend(account_id, region_name)
    if name != original_resource.name:  # replacement
        new_resource = cls.create_from_cloudformation_json(name, cloudformation_json, account_id, region_name)
        cls.delete_from_cloudformation_json(original_resource.arn, cloudformation_json, account_id, region_name)
        return new_resource
    state_machine = backend.update_state_machine(original_resource.arn, definition=definition_of(properties),
                                                 role_arn=properties.get("RoleArn"))
    backend.tagger.tag_resource(state_machine.arn, _tags(properties))
    return state_machine


def install(patches: PatchSet) -> None:
    for function in (create_from_cloudformation_json, delete_from_cloudformation_json,
                     update_from_cloudformation_json):
        patches.replace(StateMachine, function.__name__, classmethod(function))
