"""The stack's CloudFormation template as a dict: `build()`; `render()` gives the JSON text that is uploaded.

    python -m pipeline.deploy.template > out/template.json      (for cfn-lint or a manual review)

Parameters are what differs between deployments (image, sender, instance types, artefacts); everything
else is fixed here and checked by tests/deploy/.
"""
from __future__ import annotations

import json

from pipeline.deploy import (abuse, accepted_findings, access, dead_letters, functions, inference, mail, operations,
                             orchestration, storage)
from pipeline.deploy.cfn import Json, att, ref, sub
from pipeline.workflow import DEFAULT_INSTANCE_TYPES

DESCRIPTION = "Neural style transfer for photos and animated GIFs (nst deploy; docs/deploy.md)"


def _string(description: str, default: str | None = None, **extra) -> Json:
    parameter = {"Type": "String", "Description": description, **extra}
    if default is not None:
        parameter["Default"] = default
    return parameter


def _number(description: str, default: int, minimum: int) -> Json:
    return {"Type": "Number", "Description": description, "Default": default, "MinValue": minimum}


PARAMETERS: dict[str, Json] = {
    "ImageUri": _string("ECR URI of containers/stylizer's image (processing jobs and the endpoint)",
                        AllowedPattern=r".+\.dkr\.ecr\..+/.+"),
    "ImageRepository": _string("ECR repository name holding ImageUri (SageMaker's pull permission)", "nst-stylizer"),
    "SenderEmail": _string("From address of the pipeline's e-mail (an SES identity)", AllowedPattern=r".+@.+"),
    "CreateSenderIdentity": _string("Create the SES identity for SenderEmail (false when it already exists)",
                                    "true", AllowedValues=["true", "false"]),
    "InstanceTypes": _string("GIF processing instance types, in order of preference, comma-separated",
                             ",".join(DEFAULT_INSTANCE_TYPES)),
    "EndpointInstanceType": _string("Image mode endpoint instance type", "ml.g4dn.xlarge"),
    "EndpointMaxInstances": _number("Image mode endpoint: most instances while a queue builds up", 1, 1),
    "ArtefactsBucket": _string("Bucket holding the Lambda package (written by nst deploy)"),
    "CodeKey": _string("Key of the Lambda package in ArtefactsBucket"),
    "PowertoolsLayerArn": _string("Public Powertools for AWS Lambda (Python) v3 layer ARN for the region"),
    "LinkSigner": _string("Who signs result links: 'user' (an IAM user that can only read results: 7-day links) "
                          "or 'role' (a read-only role's session: links last one hour)", "user",
                          AllowedValues=["user", "role"]),
    "PageDomain": _string("The page's own domain name, e.g. paint.example.org (empty: CloudFront's domain). "
                          "Needs PageCertificateArn; point its DNS at the distribution", ""),
    "PageCertificateArn": _string("ACM certificate (us-east-1) for PageDomain; served with TLS 1.2 minimum", "",
                                  AllowedPattern=r"^$|^arn:aws[a-zA-Z-]*:acm:us-east-1:\d{12}:certificate/.+$"),
    "FunctionConcurrency": _number("Reserved concurrency of each function (0: none; accounts whose concurrency "
                                   "quota is 10 cannot reserve any)", 0, 0),
    "ExtraAllowedOrigin": _string("Another page origin for CORS, e.g. http://localhost:5173 (empty: none)", ""),
    "OperatorEmail": _string("E-mail subscribed to the alarms topic (empty: none)", ""),
    "ConfirmUploads": _string("Ask the uploader to confirm by a link in the first mail before a GIF is painted "
                              "(false only for a private deployment: anyone with the page could then mail any "
                              "address and spend GPU time)", "true", AllowedValues=["true", "false"]),
    "ConfirmTimeoutSeconds": {**_number("How long the confirm link works; then the execution ends NotConfirmed "
                                        "and nothing is painted (keep it below UploadRetentionDays)", 86400, 60),
                              "MaxValue": 604800},
    "UploadsPerHour": _number("GIF uploads one page visitor (Cognito identity) may start per hour", 10, 1),
    "UploadRetentionDays": _number("Days uploads, request inputs and progress objects are kept", 7, 1),
    "ResultRetentionDays": _number("Days results are kept (result links last at most 7 days)", 30, 1),
}

CONDITIONS: dict[str, Json] = {
    "HasExtraOrigin": {"Fn::Not": [{"Fn::Equals": [ref("ExtraAllowedOrigin"), ""]}]},
    "HasPageDomain": {"Fn::And": [{"Fn::Not": [{"Fn::Equals": [ref("PageDomain"), ""]}]},
                                  {"Fn::Not": [{"Fn::Equals": [ref("PageCertificateArn"), ""]}]}]},
    "HasFunctionConcurrency": {"Fn::Not": [{"Fn::Equals": [ref("FunctionConcurrency"), "0"]}]},
    "HasOperatorEmail": {"Fn::Not": [{"Fn::Equals": [ref("OperatorEmail"), ""]}]},
    "LinkSignerIsUser": {"Fn::Equals": [ref("LinkSigner"), "user"]},
    "LinkSignerIsRole": {"Fn::Not": [{"Condition": "LinkSignerIsUser"}]},
    "CreateSenderIdentity": {"Fn::Equals": [ref("CreateSenderIdentity"), "true"]},
}

# Read by nst deploy for config.json and the summary; names are part of its contract.
OUTPUTS: dict[str, Json] = {
    "PageUrl": {"Fn::Join": ["", [storage.PAGE_ORIGIN, "/"]]},
    "DistributionId": ref("Distribution"),
    "WebsiteBucket": ref("WebsiteBucket"),
    "UploadsBucket": ref("UploadsBucket"),
    "ImagesBucket": ref("ImagesBucket"),
    "ResultsBucket": ref("ResultsBucket"),
    "IdentityPoolId": ref("IdentityPool"),
    "PaintUrl": att("PaintRequestUrl", "FunctionUrl"),
    "StateMachineArn": ref("GifPipeline"),
    "EndpointName": att("ImageEndpoint", "EndpointName"),
    "DashboardName": ref("Dashboard"),
    "UploadEventsDeadLetterQueueUrl": ref("UploadEventsDeadLetters"),  # nst replay
    "StartExecutionFunctionName": ref("StartExecutionFunction"),
}


def build(asl_text: str | None = None) -> Json:
    resources: dict[str, Json] = {}
    for part in (storage.resources(), access.resources(), functions.resources(),
                 orchestration.resources(asl_text), inference.resources(), mail.resources(),
                 dead_letters.resources(), abuse.resources(), operations.resources()):
        clash = resources.keys() & part.keys()
        assert not clash, f"logical ids defined twice: {sorted(clash)}"
        resources.update(part)
    accepted_findings.annotate(resources)
    return {
        "AWSTemplateFormatVersion": "2010-09-09", "Description": DESCRIPTION,
        "Parameters": PARAMETERS, "Conditions": CONDITIONS, "Resources": resources,
        "Outputs": {name: {"Value": value, "Export": {"Name": sub("${AWS::StackName}-" + name)}}
                    for name, value in OUTPUTS.items()},
    }


def render(template: Json | None = None) -> str:
    return json.dumps(template or build(), indent=1, sort_keys=False) + "\n"


if __name__ == "__main__":
    print(render(), end="")
