"""The GIF pipeline's state machine, built with the Step Functions Data Science SDK.

`python -m pipeline.workflow` rewrites state_machines/gif_pipeline.asl.json (sorted keys, indented) with
`${Name}` placeholders (PLACEHOLDERS) that deploy tooling / the local runtime fill in. FUNCTIONS lists the
Lambda functions the JSON invokes. Built offline: boto3.Session(region_name=...) and no credentials.

Flow: ValidateUpload → ConfirmationRequired → AskToConfirm (the "received" mail with a confirm link, sent with
`.waitForTaskToken`; confirm_upload's SendTaskSuccess resumes it; its timeout ends in NotConfirmed, "Not me"
in Declined, the upload kept) or, with confirmation off, SendReceivedEmail → InitCapacity → HasInstanceTypeLeft ⇄ SelectInstanceType →
StylizeGif (Retry on capacity and throttling; Catch moves to NextInstanceType on ResourceLimitExceeded,
and through WasCapacityShortage on a job that failed with CapacityError) → DeliverResult (Parallel: PublishResult →
SendCompletedEmail) → Done. Failures: ExplainRejection → NotifyInvalidInput → RejectUpload;
NotifyNoCapacity → NoCapacity; ExplainFailure → NotifyFailure → JobFailed. Nothing deletes the upload.
"""
import json
import os
from dataclasses import dataclass
from pathlib import Path

from lambdas.confirm_upload.exceptions import DECLINED_ERROR  # what "Not me: cancel" fails the task with
from lambdas.validate_upload.exceptions import REJECTIONS

ASL_PATH = Path(__file__).resolve().parent.parent / "state_machines" / "gif_pipeline.asl.json"
REGION = "us-east-1"  # only shapes ARNs the SDK derives; every real ARN is a placeholder
DEFAULT_INSTANCE_TYPES = ["ml.g4dn.xlarge", "ml.g5.xlarge"]  # ml.p2.xlarge (K80) selectable, no TF GPU support
MAX_RUNTIME_SECONDS = 2 * 3600
VOLUME_GB = 30
# No capacity, as CreateProcessingJob refuses it: the quota for the instance type is used up.
CAPACITY_ERROR = "SageMaker.ResourceLimitExceededException"
# No capacity, as it usually shows: the job is accepted, starts, then fails with this FailureReason; the .sync
# integration reports States.TaskFailed with DescribeProcessingJob's output (FailureReason inside) as Cause.
CAPACITY_FAILURE_REASON = "CapacityError:"
# Throttled SageMaker API calls arrive through the Step Functions integration as AmazonSageMakerException
# (ThrottlingException is only in its Cause): SageMaker's SDK models no ThrottlingException class.
THROTTLING_ERRORS = ["SageMaker.AmazonSageMakerException"]
LAMBDA_TRANSIENT = ["Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException",
                    "Lambda.TooManyRequestsException"]
INPUT = "/opt/ml/processing/input"
OUTPUT = "/opt/ml/processing/output"


@dataclass(frozen=True)
class Function:
    name: str  # logical name = folder under lambdas/
    handler: str
    environment: tuple[str, ...]  # variables it reads (optional ones included)
    placeholder: str  # the ${...} holding its ARN in the ASL

    @property
    def arn(self) -> str:
        return "${" + self.placeholder + "}"


LIMIT_VARS = ("NST_MAX_BYTES", "NST_MAX_FRAMES", "NST_MAX_DURATION_MS", "NST_MAX_SCREEN_PIXELS",
              "NST_MAX_SIDE", "NST_MAX_IMAGE_PIXELS")
POWERTOOLS_VARS = ("POWERTOOLS_SERVICE_NAME", "POWERTOOLS_METRICS_NAMESPACE", "POWERTOOLS_TRACE_DISABLED",
                   "LOG_LEVEL")

FUNCTIONS = [
    Function("start_execution", "lambdas.start_execution.app.handler",
             ("STATE_MACHINE_ARN", "INSTANCE_TYPES", "STYLE_SIZE", "STYLE_ITERATIONS", "UPLOAD_PREFIX",
              "THROTTLE_TABLE", "UPLOADS_PER_HOUR", "CONFIRM_UPLOADS", "CONFIRM_TIMEOUT_SECONDS", "CONFIRM_URL")
             + POWERTOOLS_VARS, "StartExecutionFunctionArn"),
    Function("validate_upload", "lambdas.validate_upload.app.handler",
             LIMIT_VARS + ("SECONDS_PER_FRAME", "UPLOAD_PREFIX", "STYLE_UPLOAD_PREFIX", "STYLE_MAX_SIZE",
                           "STYLE_MAX_ITERATIONS")
             + POWERTOOLS_VARS, "ValidateUploadFunctionArn"),
    Function("send_email", "lambdas.send_email.app.handler",
             ("SENDER_EMAIL", "SES_CONFIGURATION_SET") + POWERTOOLS_VARS, "SendEmailFunctionArn"),
    Function("publish_result", "lambdas.publish_result.app.handler",
             ("RESULTS_BUCKET", "LINK_TTL_SECONDS", "LINK_SIGNER_SECRET_ARN", "LINK_SIGNER_ROLE_ARN")
             + POWERTOOLS_VARS,
             "PublishResultFunctionArn"),
    Function("explain_failure", "lambdas.explain_failure.app.handler", LIMIT_VARS + POWERTOOLS_VARS,
             "ExplainFailureFunctionArn"),
]
_FN = {f.name: f for f in FUNCTIONS}
# The confirm link's function (behind its own function URL): not in the ASL, it answers AskToConfirm's token.
CONFIRM_UPLOAD = Function("confirm_upload", "lambdas.confirm_upload.app.handler", ("ALLOW_DECLINE",) + POWERTOOLS_VARS,
                          "ConfirmUploadFunctionArn")

PLACEHOLDERS = {
    "SageMakerRoleArn": "IAM role the processing job runs as (reads uploads, writes results, pulls the image)",
    "StylizerImageUri": "ECR image URI of containers/stylizer (entrypoint python3 -m stylizer.process)",
    "ResultsBucket": "bucket name the job writes s3://<ResultsBucket>/jobs/<execution name>/ to",
    # start_execution's ARN is not in the ASL (it starts the machine); its placeholder is used by deploy only.
    **{f.placeholder: f"ARN of the {f.name} Lambda function ({f.handler})"
       for f in FUNCTIONS if f.name != "start_execution"},
}

# ResultSelector per Task state: the fields later states use, copied out of the raw result (the SDK
# cannot express ResultSelector). Dropping the rest keeps results JSON-plain (no timestamps) and small.
RESULT_SELECTORS = {
    "ValidateUpload": {k: f"$.Payload.{k}" for k in (
        "email", "file", "style", "style_title", "style_credit", "style_uri", "gif_uri", "width", "height",
        "frames", "duration_ms", "bytes", "arguments", "job_name_prefix", "estimate_seconds", "estimate")},
    "PublishResult": {k: f"$.Payload.{k}" for k in (
        "result_uri", "gif_url", "preview_url", "page_url", "expires", "link_lifetime")},
    "ExplainRejection": {k: f"$.Payload.{k}" for k in ("error", "reason", "to", "file", "limits")},
    "ExplainFailure": {k: f"$.Payload.{k}" for k in ("error", "reason", "to", "file", "limits")},
    "StylizeGif": {"name": "$.ProcessingJobName", "status": "$.ProcessingJobStatus"},
}
# Fail states whose Error/Cause come from the state (ErrorPath/CausePath, which the SDK lacks).
FAIL_PATHS = {"RejectUpload": "$.explained", "JobFailed": "$.explained"}


def _lambda(state_id: str, function: str, payload: dict, result_path: str | None, **kwargs):
    from stepfunctions.steps import LambdaStep, Retry

    step = LambdaStep(state_id, parameters={"FunctionName": _FN[function].arn,
                                            "Payload": {"execution.$": "$$.Execution.Name", **payload}},
                      result_path=result_path, **kwargs)
    # Lambda's own transient errors; a handler's exception (e.g. InvalidGif) is never retried.
    step.add_retry(Retry(error_equals=LAMBDA_TRANSIENT, interval_seconds=2, max_attempts=3, backoff_rate=2.0))
    return step


def _email(state_id: str, template: str, to: str, context: dict, result_path: str | None = None, **kwargs):
    return _lambda(state_id, "send_email", {"template": template, "to.$": to, "context": context}, result_path,
                   **kwargs)


def _processing_step():
    import boto3
    import sagemaker
    from sagemaker.processing import ProcessingInput, ProcessingOutput, Processor
    from stepfunctions.steps import ProcessingStep

    session = sagemaker.Session(boto_session=boto3.Session(region_name=REGION), default_bucket="unused")
    entrypoint = ["python3", "-m", "stylizer.process"]
    processor = Processor(role="${SageMakerRoleArn}", image_uri="${StylizerImageUri}", instance_count=1,
                          instance_type=DEFAULT_INSTANCE_TYPES[0], entrypoint=entrypoint,
                          volume_size_in_gb=VOLUME_GB, max_runtime_in_seconds=MAX_RUNTIME_SECONDS,
                          sagemaker_session=session)
    # Job name, arguments, S3 URIs and instance type are static stand-ins here, made dynamic in _finish()
    # (the SDK's placeholders are checked against the previous state's output schema, which we lack).
    return ProcessingStep(
        "StylizeGif", processor=processor, job_name="stand-in",
        inputs=[ProcessingInput(source="s3://stand-in/gif", destination=f"{INPUT}/gif", input_name="gif"),
                ProcessingInput(source="s3://stand-in/style", destination=f"{INPUT}/style", input_name="style")],
        outputs=[ProcessingOutput(source=f"{OUTPUT}/result", destination="s3://stand-in/result",
                                  output_name="result")],
        container_entrypoint=entrypoint, container_arguments=["stand-in"],
        result_path="$.job")


def build_graph():
    """The state machine as the SDK builds it (before _finish)."""
    from stepfunctions.steps import Catch, Chain, Choice, ChoiceRule, Fail, Parallel, Pass, Retry, Succeed
    from stepfunctions.steps.states import Graph

    explain_payload = {"bucket.$": "$.bucket", "key.$": "$.key", "error.$": "$.error"}
    failure_unexplained = Fail("FailureUnexplained", error="PipelineError",
                               cause="The pipeline failed and could not explain why; see the execution history.")
    unexplained = Catch(error_equals=["States.ALL"], next_step=failure_unexplained, result_path="$.explain_error")

    # Invalid input: explain, e-mail (best effort), fail with the validator's error name and message.
    reject = Fail("RejectUpload")
    explain_rejection = _lambda("ExplainRejection", "explain_failure", explain_payload, "$.explained")
    explain_rejection.add_catch(unexplained)
    notify_invalid = _email("NotifyInvalidInput", "invalid_input", "$.explained.to", {
        "file.$": "$.explained.file", "reason.$": "$.explained.reason", "limits.$": "$.explained.limits"})
    notify_invalid.add_catch(Catch(error_equals=["States.ALL"], next_step=reject, result_path="$.notify_error"))
    Chain([explain_rejection, notify_invalid, reject])

    # Stylizer or delivery failure: apology with the reason and the execution name as reference.
    job_failed = Fail("JobFailed")
    explain_failure = _lambda("ExplainFailure", "explain_failure", explain_payload, "$.explained")
    explain_failure.add_catch(unexplained)
    # $.explained, not $.upload: validation itself may be what failed (an unexpected error)
    notify_failure = _email("NotifyFailure", "failed", "$.explained.to", {
        "file.$": "$.explained.file", "reason.$": "$.explained.reason"})
    notify_failure.add_catch(Catch(error_equals=["States.ALL"], next_step=job_failed, result_path="$.notify_error"))
    Chain([explain_failure, notify_failure, job_failed])
    to_failure = Catch(error_equals=["States.ALL"], next_step=explain_failure, result_path="$.error")

    # No capacity in any instance type: tell the uploader to try later; the upload stays.
    no_capacity = Fail("NoCapacity", error="NoCapacity", cause=(
        "No GPU capacity (SageMaker ResourceLimitExceeded, or a job failed with CapacityError) for any of the "
        "execution's instance_types after retries. The upload is kept; start the job again later or add "
        "instance types."))
    notify_no_capacity = _email("NotifyNoCapacity", "no_capacity", "$.upload.email", {
        "file.$": "$.upload.file", "instance_types.$": "$.instance_types"})
    notify_no_capacity.add_catch(Catch(error_equals=["States.ALL"], next_step=no_capacity,
                                       result_path="$.notify_error"))
    Chain([notify_no_capacity, no_capacity])

    validate = _lambda("ValidateUpload", "validate_upload", {
        "bucket.$": "$.bucket", "key.$": "$.key", "instance_types.$": "$.instance_types",
        "settings.$": "$.settings"}, "$.upload")
    validate.add_catch(Catch(error_equals=[cls.__name__ for cls in REJECTIONS], next_step=explain_rejection,
                             result_path="$.error"))
    validate.add_catch(Catch(error_equals=["States.ALL"], next_step=explain_failure, result_path="$.error"))

    upload_facts = {"file.$": "$.upload.file", "style.$": "$.upload.style_credit", "frames.$": "$.upload.frames",
                    "width.$": "$.upload.width", "height.$": "$.upload.height", "estimate.$": "$.upload.estimate"}
    received = _email("SendReceivedEmail", "received", "$.upload.email", upload_facts)

    # Confirm by link (issue 11, point 10): the first mail carries a link with this task's token and the state
    # waits for confirm_upload's SendTaskSuccess. Its timeout (from the execution input: CONFIRM_TIMEOUT_SECONDS)
    # ends the execution in NotConfirmed, "Not me" (SendTaskFailure) in Declined; nothing is painted, nothing
    # deleted (the upload expires with the bucket's lifecycle rule).
    not_confirmed = Fail("NotConfirmed", error="NotConfirmed", cause=(
        "The uploader did not confirm by the link in the first mail before it expired, so nothing was painted. "
        "The upload is kept until the bucket's lifecycle rule deletes it; uploading it again from the page starts anew."))
    declined = Fail("Declined", error=DECLINED_ERROR, cause=(
        "The uploader answered 'Not me: cancel' at the link in the first mail, so nothing was painted. The upload "
        "is kept until the bucket's lifecycle rule deletes it."))
    ask = _email("AskToConfirm", "confirm", "$.upload.email", {
        **upload_facts, "style_title.$": "$.upload.style_title", "token.$": "$$.Task.Token",
        "confirm_url.$": "$.confirm.url", "timeout_seconds.$": "$.confirm.timeout_seconds"},
        result_path="$.confirmation", wait_for_callback=True, timeout_seconds_path="$.confirm.timeout_seconds")
    ask.add_catch(Catch(error_equals=["States.Timeout"], next_step=not_confirmed, result_path="$.confirm_error"))
    ask.add_catch(Catch(error_equals=[DECLINED_ERROR], next_step=declined, result_path="$.confirm_error"))
    # A confirm mail that cannot be sent stops the job (nobody could confirm): explained as any failure.
    confirm_required = Choice("ConfirmationRequired")
    confirm_required.add_choice(ChoiceRule.BooleanEquals(variable="$.confirm.required", value=False), received)
    confirm_required.default_choice(ask)

    # Capacity loop: try instance_types in order; each gets the Retry below before the Catch moves on.
    init_capacity = Pass("InitCapacity", result_path="$.capacity", parameters={
        "index": 0, "count.$": "States.ArrayLength($.instance_types)"})
    received.add_catch(Catch(error_equals=["States.ALL"], next_step=init_capacity,
                             result_path="$.received_email_error"))  # a lost "received" mail stops nothing
    received.next(init_capacity)
    ask.add_catch(to_failure)
    ask.next(init_capacity)
    has_type = Choice("HasInstanceTypeLeft")
    select_type = Pass("SelectInstanceType", result_path="$.capacity", parameters={
        "index.$": "$.capacity.index", "count.$": "$.capacity.count",
        "instance_type.$": "States.ArrayGetItem($.instance_types, $.capacity.index)",
        # one job name per attempt: SageMaker job names are never reusable
        "job_name.$": "States.Format('{}-{}', $.upload.job_name_prefix, $.capacity.index)"})
    next_type = Pass("NextInstanceType", result_path="$.capacity", parameters={
        "index.$": "States.MathAdd($.capacity.index, 1)", "count.$": "$.capacity.count"})
    stylize = _processing_step()
    # AWS's guidance for SageMaker capacity: long waits with backoff before giving up on a type.
    stylize.add_retry(Retry(error_equals=[CAPACITY_ERROR], interval_seconds=60, max_attempts=3, backoff_rate=2.0))
    # Throttling clears in seconds. Other AmazonSageMakerExceptions (a ValidationException) are retried too,
    # briefly: the name cannot tell them apart, and they then fail as before.
    stylize.add_retry(Retry(error_equals=THROTTLING_ERRORS, interval_seconds=5, max_attempts=4, backoff_rate=2.0))
    stylize.add_catch(Catch(error_equals=[CAPACITY_ERROR], next_step=next_type, result_path="$.capacity_error"))
    # A job that failed: a CapacityError moves on to the next instance type, anything else is the stylizer's.
    job_failed_how = Choice("WasCapacityShortage")
    job_failed_how.add_choice(ChoiceRule.StringMatches(variable="$.error.Cause",
                                                       value=f"*{CAPACITY_FAILURE_REASON}*"), next_type)
    job_failed_how.default_choice(explain_failure)
    stylize.add_catch(Catch(error_equals=["States.TaskFailed"], next_step=job_failed_how, result_path="$.error"))
    stylize.add_catch(to_failure)
    has_type.add_choice(ChoiceRule.NumericLessThanPath(variable="$.capacity.index", value="$.capacity.count"),
                        select_type)
    has_type.default_choice(notify_no_capacity)
    next_type.next(has_type)

    publish = _lambda("PublishResult", "publish_result", {
        "job_name.$": "$.job.name", "frames.$": "$.upload.frames",
        "instance_type.$": "$.capacity.instance_type", "file.$": "$.upload.file", "style.$": "$.upload.style",
        "style_title.$": "$.upload.style_title"}, "$.result")
    completed = _email("SendCompletedEmail", "completed", "$.upload.email", {
        "file.$": "$.upload.file", "style.$": "$.upload.style_credit", "gif_url.$": "$.result.gif_url",
        "preview_url.$": "$.result.preview_url", "page_url.$": "$.result.page_url", "expires.$": "$.result.expires",
        "link_lifetime.$": "$.result.link_lifetime"})
    deliver = Parallel("DeliverResult", result_path="$.delivery")
    deliver.add_branch(Chain([publish, completed]))
    deliver.add_catch(to_failure)

    chain = Chain([validate, confirm_required])
    Chain([init_capacity, has_type])
    Chain([select_type, stylize, deliver, Succeed("Done")])
    return Graph(chain, comment="Neural style transfer for an uploaded GIF (built by pipeline/workflow.py)")


def _states(asl: dict):
    """Every state, Parallel branches included: (name, state)."""
    for name, state in asl["States"].items():
        yield name, state
        for branch in state.get("Branches", []):
            yield from _states(branch)


def _finish(asl: dict) -> dict:
    """The one place that edits the SDK's output, for what the SDK cannot express:

    - ResultSelector on Task states (RESULT_SELECTORS; the SDK rejects result_selector);
    - the processing job's per-execution fields: job name and ContainerArguments, input URIs from validation, the result prefix
      s3://${ResultsBucket}/jobs/<execution name>/ (States.Format), the instance type of this attempt;
    - ErrorPath/CausePath on Fail states (FAIL_PATHS) so Error = exception class, Cause = readable reason.
    """
    for name, state in _states(asl):
        if name in RESULT_SELECTORS:
            state["ResultSelector"] = {f"{k}.$": v for k, v in RESULT_SELECTORS[name].items()}
        if name in FAIL_PATHS:
            state.pop("Error", None), state.pop("Cause", None)
            state["ErrorPath"], state["CausePath"] = f"{FAIL_PATHS[name]}.error", f"{FAIL_PATHS[name]}.reason"
        if name == "StylizeGif":
            params = state["Parameters"]
            del params["ProcessingJobName"], params["AppSpecification"]["ContainerArguments"]
            params["ProcessingJobName.$"] = "$.capacity.job_name"
            params["AppSpecification"]["ContainerArguments.$"] = "$.upload.arguments"
            uris = {"gif": "$.upload.gif_uri", "style": "$.upload.style_uri"}
            for channel in params["ProcessingInputs"]:
                s3_input = channel["S3Input"]
                del s3_input["S3Uri"]
                s3_input["S3Uri.$"] = uris[channel["InputName"]]
            (output,) = params["ProcessingOutputConfig"]["Outputs"]
            del output["S3Output"]["S3Uri"]
            output["S3Output"]["S3Uri.$"] = "States.Format('s3://${ResultsBucket}/jobs/{}/', $$.Execution.Name)"
            cluster = params["ProcessingResources"]["ClusterConfig"]
            del cluster["InstanceType"]
            cluster["InstanceType.$"] = "$.capacity.instance_type"
    return asl


def build() -> dict:
    os.environ.setdefault("SAGEMAKER_SUPPRESS_V2_WARNING", "1")
    return _finish(json.loads(build_graph().to_json()))


def render(asl: dict) -> str:
    return json.dumps(asl, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def placeholders_in(text: str) -> set[str]:
    import re

    return set(re.findall(r"\$\{([A-Za-z0-9_]+)\}", text))


def fill(text: str, values: dict[str, str]) -> str:
    """The definition with every placeholder replaced (deploy and the local runtime); missing → KeyError."""
    missing = placeholders_in(text) - set(values)
    if missing:
        raise KeyError(f"no value for placeholders {sorted(missing)}")
    for name, value in values.items():
        text = text.replace("${" + name + "}", value)
    return text


def main() -> int:
    text = render(build())
    ASL_PATH.parent.mkdir(parents=True, exist_ok=True)
    ASL_PATH.write_text(text, encoding="utf-8")
    print(f"wrote {ASL_PATH} ({len(text):,} bytes, placeholders: {', '.join(sorted(placeholders_in(text)))})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
