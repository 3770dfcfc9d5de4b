"""The Lambda functions: code, environment, log group and a role of their own each, plus the three ways in
(EventBridge rule for GIF uploads, function URL with AWS_IAM auth for image mode, public function URL for the
confirm link in the first mail).

STATEMENTS is each function's whole policy beyond logging and tracing; tests/deploy/test_iam.py derives the
same set of actions from the boto3 calls in the function's code and asserts equality.
"""
from __future__ import annotations

from pipeline.deploy import abuse, dead_letters
from pipeline.deploy.cfn import (NO_VALUE, Json, allow, att, bucket_arn, if_, policy, ref, resource, service_role,
                                sub)
from pipeline.deploy.storage import (ASYNC_INPUT_PREFIX, FAILURE_PREFIX, OUTPUT_PREFIX, PAGE_ORIGIN, PHOTO_PREFIX,
                                     PROGRESS_PREFIX, RESULT_PREFIX, STYLE_PREFIX, UPLOAD_PREFIX)
from pipeline.workflow import CONFIRM_UPLOAD, FUNCTIONS, LIMIT_VARS, POWERTOOLS_VARS, Function

RUNTIME = "python3.11"  # the version the code and requirements.lock are tested on
METRICS_NAMESPACE = "NeuralStyle"  # = lambdas.shared.observability.NAMESPACE
LINK_TTL_USER = 7 * 24 * 3600  # SigV4's maximum; the link signer's keys outlive it
# Links signed with a role session die with it; a role assumed from the function's role (role chaining) gets
# one hour at most, and publish_result promises what the session's Expiration allows.
LINK_TTL_ROLE = 3600

# Image mode's request path (helper 6): not in the state machine, so not in workflow.FUNCTIONS.
PAINT_REQUEST = Function(
    "paint_request", "lambdas.paint_request.app.handler",
    ("IMAGES_BUCKET", "ENDPOINT_NAME", "INVOCATION_TIMEOUT_SECONDS", "URL_EXPIRES_SECONDS", "PHOTO_UPLOAD_PREFIX",
     "ASYNC_INPUT_PREFIX", "PROGRESS_PREFIX") + LIMIT_VARS + POWERTOOLS_VARS, "PaintRequestFunctionArn")
ALL_FUNCTIONS = [*FUNCTIONS, PAINT_REQUEST, CONFIRM_UPLOAD]
MEMORY_MB = {"validate_upload": 512, "paint_request": 512}  # both read image headers; the rest only talk to AWS
TIMEOUT_S = {"paint_request": 15, "publish_result": 60, "validate_upload": 60}


def logical_id(function: Function, suffix: str = "Function") -> str:
    return "".join(part.title() for part in function.name.split("_")) + suffix


def _head(bucket: str, *patterns: str) -> list[Json]:
    # HeadObject needs s3:GetObject; s3:ListBucket makes a missing key answer 404 instead of 403, which the
    # functions tell apart (UploadMissing, ResultMissing, ObjectNotFound).
    return [allow("s3:GetObject", [bucket_arn(bucket, p) for p in patterns]), allow("s3:ListBucket", bucket_arn(bucket))]


STATEMENTS: dict[str, list[Json]] = {
    "start_execution": [allow("states:StartExecution", ref("GifPipeline")), *abuse.function_statements()],
    "validate_upload": _head("UploadsBucket", UPLOAD_PREFIX + "*", STYLE_PREFIX + "*"),
    "explain_failure": _head("UploadsBucket", UPLOAD_PREFIX + "*"),
    # SES v2 SendEmail with Content.Raw is authorised as ses:SendRawEmail (ses:SendEmail covers Simple and
    # Template content only); the configuration set named in the request is a resource of the same call.
    # In the SES sandbox the recipient's identity is authorised too: hence identity/*, narrowed to mail from
    # the stack's sender.
    "send_email": [allow(["ses:SendEmail", "ses:SendRawEmail"],
                         [sub("arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:identity/*"),
                          sub("arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:"
                              "configuration-set/${MailConfigurationSet}")],
                         condition={"StringEquals": {"ses:FromAddress": ref("SenderEmail")}})],
    "publish_result": [
        *_head("ResultsBucket", RESULT_PREFIX + "*"),
        allow("s3:PutObject", bucket_arn("ResultsBucket", RESULT_PREFIX + "*")),
        allow("sagemaker:DescribeProcessingJob",
              sub("arn:${AWS::Partition}:sagemaker:${AWS::Region}:${AWS::AccountId}:processing-job/*")),
        if_("LinkSignerIsUser", allow("secretsmanager:GetSecretValue", ref("LinkSignerSecret")),
            allow("sts:AssumeRole", att("LinkSignerRole", "Arn"))),
    ],
    "paint_request": [
        # Reads: the caller's photo/style headers, and presigned GETs it hands back (progress, output, failure).
        *_head("ImagesBucket", PHOTO_PREFIX + "*", PROGRESS_PREFIX + "*", OUTPUT_PREFIX + "*", FAILURE_PREFIX + "*"),
        allow("s3:PutObject", bucket_arn("ImagesBucket", ASYNC_INPUT_PREFIX + "*")),
        allow("sagemaker:InvokeEndpointAsync", ref("ImageEndpoint")),
    ],
    # The confirm link answers AskToConfirm's task token, of this state machine only. (The Service Authorization
    # Reference lists no resource type for these actions; AWS's AccessDenied messages for them name the state
    # machine, so it is the resource here: docs/deploy.md says what a first deploy must check.)
    "confirm_upload": [allow(["states:SendTaskSuccess", "states:SendTaskFailure"], ref("GifPipeline"))],
}


# What Lambda itself does with a function's role, beyond its code's calls: the on-failure destination.
PLATFORM_STATEMENTS: dict[str, list[Json]] = {"start_execution": dead_letters.function_statements()}


def _environment(function: Function) -> Json:
    known = {
        "STATE_MACHINE_ARN": ref("GifPipeline"), "INSTANCE_TYPES": ref("InstanceTypes"),
        "THROTTLE_TABLE": ref(abuse.TABLE), "UPLOADS_PER_HOUR": ref("UploadsPerHour"),
        "UPLOAD_PREFIX": UPLOAD_PREFIX, "STYLE_UPLOAD_PREFIX": STYLE_PREFIX,
        "SENDER_EMAIL": ref("SenderEmail"), "SES_CONFIGURATION_SET": ref("MailConfigurationSet"),
        "RESULTS_BUCKET": ref("ResultsBucket"),
        "LINK_TTL_SECONDS": if_("LinkSignerIsUser", str(LINK_TTL_USER), str(LINK_TTL_ROLE)),
        "LINK_SIGNER_SECRET_ARN": if_("LinkSignerIsUser", ref("LinkSignerSecret"), NO_VALUE),
        "LINK_SIGNER_ROLE_ARN": if_("LinkSignerIsUser", NO_VALUE, att("LinkSignerRole", "Arn")),
        "IMAGES_BUCKET": ref("ImagesBucket"), "ENDPOINT_NAME": att("ImageEndpoint", "EndpointName"),
        "PHOTO_UPLOAD_PREFIX": PHOTO_PREFIX, "ASYNC_INPUT_PREFIX": ASYNC_INPUT_PREFIX,
        "PROGRESS_PREFIX": PROGRESS_PREFIX,
        "CONFIRM_UPLOADS": ref("ConfirmUploads"), "CONFIRM_TIMEOUT_SECONDS": ref("ConfirmTimeoutSeconds"),
        "CONFIRM_URL": att("ConfirmUploadUrl", "FunctionUrl"),
        "POWERTOOLS_SERVICE_NAME": function.name, "POWERTOOLS_METRICS_NAMESPACE": METRICS_NAMESPACE,
        "LOG_LEVEL": "INFO",
    }
    # Only variables the function reads; anything else (limits, style defaults) keeps the code's default.
    return {name: known[name] for name in function.environment if name in known}


def _function(function: Function) -> dict[str, Json]:
    name = logical_id(function, "")
    logs = f"{name}Logs"
    statements = [
        allow(["logs:CreateLogStream", "logs:PutLogEvents"], att(logs, "Arn")),
        allow(["xray:PutTraceSegments", "xray:PutTelemetryRecords"], "*"),  # X-Ray takes no resource ARNs
        *STATEMENTS[function.name],
        *PLATFORM_STATEMENTS.get(function.name, []),
    ]
    return {
        logs: resource("AWS::Logs::LogGroup", {"RetentionInDays": 30}, DeletionPolicy="Delete"),
        f"{name}Role": service_role("lambda.amazonaws.com", statements, function.name),
        f"{name}Function": resource("AWS::Lambda::Function", {
            "Description": f"{function.handler} ({function.name})",
            "Runtime": RUNTIME, "Handler": function.handler, "Architectures": ["x86_64"],
            "Code": {"S3Bucket": ref("ArtefactsBucket"), "S3Key": ref("CodeKey")},
            "Role": att(f"{name}Role", "Arn"), "Layers": [ref("PowertoolsLayerArn")],
            "MemorySize": MEMORY_MB.get(function.name, 256), "Timeout": TIMEOUT_S.get(function.name, 30),
            "TracingConfig": {"Mode": "Active"},
            "ReservedConcurrentExecutions": if_("HasFunctionConcurrency", ref("FunctionConcurrency"), NO_VALUE),
            # Only start_execution is invoked asynchronously (EventBridge); the rest answer their caller.
            "DeadLetterConfig": ({"TargetArn": att(dead_letters.QUEUE, "Arn")} if function.name == "start_execution"
                                 else NO_VALUE),
            "LoggingConfig": {"LogGroup": ref(logs), "LogFormat": "JSON"},
            "Environment": {"Variables": _environment(function)},
        }),
    }


def resources() -> dict[str, Json]:
    out: dict[str, Json] = {}
    for function in ALL_FUNCTIONS:
        out.update(_function(function))
    starter = "StartExecutionFunction"
    out["UploadRule"] = resource("AWS::Events::Rule", {
        "Description": "A GIF under uploads/ in the uploads bucket starts the pipeline",
        "EventPattern": {"source": ["aws.s3"], "detail-type": ["Object Created"],
                         "detail": {"bucket": {"name": [ref("UploadsBucket")]},
                                    "object": {"key": [{"prefix": UPLOAD_PREFIX}]}}},
        "Targets": [{"Id": "start-execution", "Arn": att(starter, "Arn"),
                     "RetryPolicy": {"MaximumRetryAttempts": 10, "MaximumEventAgeInSeconds": 3600},
                     "DeadLetterConfig": dead_letters.rule_target_dead_letters()}]})
    out["UploadRulePermission"] = resource("AWS::Lambda::Permission", {
        "FunctionName": ref(starter), "Action": "lambda:InvokeFunction", "Principal": "events.amazonaws.com",
        "SourceArn": att("UploadRule", "Arn")})
    out["PaintRequestUrl"] = resource("AWS::Lambda::Url", {
        "TargetFunctionArn": att("PaintRequestFunction", "Arn"), "AuthType": "AWS_IAM",
        "Cors": {"AllowOrigins": [PAGE_ORIGIN, if_("HasExtraOrigin", ref("ExtraAllowedOrigin"), NO_VALUE)],
                 "AllowMethods": ["POST"], "MaxAge": 3000,
                 "AllowHeaders": ["content-type", "authorization", "x-amz-date", "x-amz-security-token",
                                  "x-amz-content-sha256"]}})
    # The confirm link: public (AuthType NONE), since the person opening it has no credentials; the task token
    # in the link is the credential. Function URLs created since October 2025 need lambda:InvokeFunction as well
    # as lambda:InvokeFunctionUrl; the second grant holds only for calls through the URL.
    out["ConfirmUploadUrl"] = resource("AWS::Lambda::Url", {
        "TargetFunctionArn": att("ConfirmUploadFunction", "Arn"), "AuthType": "NONE"})
    out["ConfirmUploadUrlPermission"] = resource("AWS::Lambda::Permission", {
        "FunctionName": ref("ConfirmUploadFunction"), "Action": "lambda:InvokeFunctionUrl", "Principal": "*",
        "FunctionUrlAuthType": "NONE"})
    out["ConfirmUploadInvokePermission"] = resource("AWS::Lambda::Permission", {
        "FunctionName": ref("ConfirmUploadFunction"), "Action": "lambda:InvokeFunction", "Principal": "*",
        "InvokedViaFunctionUrl": True})
    # 7-day result links need long-term keys (publish_result/config.py): a user that can only read results.
    out["LinkSignerUser"] = resource("AWS::IAM::User", {"Policies": [{
        "PolicyName": "read-results", "PolicyDocument": {"Version": "2012-10-17", "Statement": [
            allow("s3:GetObject", bucket_arn("ResultsBucket", RESULT_PREFIX + "*"))]}}]},
        Condition="LinkSignerIsUser")
    out["LinkSignerKey"] = resource("AWS::IAM::AccessKey", {"UserName": ref("LinkSignerUser")},
                                    Condition="LinkSignerIsUser")
    out["LinkSignerSecret"] = resource("AWS::SecretsManager::Secret", {
        "Description": "Keys that sign the 7-day result links (s3:GetObject on results only)",
        "SecretString": sub('{"access_key_id": "${LinkSignerKey}", '
                            '"secret_access_key": "${LinkSignerKey.SecretAccessKey}"}')},
        Condition="LinkSignerIsUser")
    # LinkSigner=role: a role that can only read results, assumed by publish_result for each signing. It
    # trusts the account (naming PublishResultRole would be a circular reference); only publish_result's
    # policy grants sts:AssumeRole on it.
    out["LinkSignerRole"] = resource("AWS::IAM::Role", {
        "AssumeRolePolicyDocument": policy({"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {
            "AWS": sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:root")}}),
        "Policies": [{"PolicyName": "read-results", "PolicyDocument": policy(
            allow("s3:GetObject", bucket_arn("ResultsBucket", RESULT_PREFIX + "*")))}]},
        Condition="LinkSignerIsRole")
    return out
