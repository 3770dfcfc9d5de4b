"""`LocalStack`: the GIF pipeline stood up on a local moto server, from the committed definition and handlers.

    with LocalStack(out_dir=Path("out")) as stack:
        key = stack.upload_gif("demo/newtonscradle.gif", email="me@example.com", style="starry_night")
        description = stack.wait_for_execution(stack.execution_for(key), timeout=300)

Resources: buckets (uploads, results), an IAM role, one Lambda per `pipeline.workflow.FUNCTIONS` entry (Handler
and environment from there, run in process), a verified SES sender, and the state machine from
state_machines/gif_pipeline.asl.json with every `${Placeholder}` filled with a local ARN or name (a placeholder
without a local value is an error). The S3 → EventBridge → start_execution hop is an upload route, whose
events that fail to start the pipeline land in an SQS dead-letter queue (`dead_letter_queue_url`) for replay.

Uploads are confirmed by the link in the first mail, as deployed (`confirm_uploads=False` turns it off): the
confirm_upload function answers on `confirm_url` (pipeline.local.function_urls, a route on the moto server),
and the link works for `confirm_timeout_seconds`. `confirm(execution)` follows the link of that execution's
mail like a person (GET the page, POST its form).
"""
from __future__ import annotations

import email
import mimetypes
from email import policy
from pathlib import Path
from typing import Callable, Optional
from urllib.parse import quote_plus

import boto3

from . import resources
from . import function_urls
from .extensions import s3_events
from .instance_quota import InstanceQuota
from .server import LocalMotoServer
from .settings import RuntimeSettings, UploadRoute

UPLOAD_PREFIX = "uploads/"
RESULT_PREFIX = "jobs/"
DEAD_LETTER_QUEUE = "nst-upload-events-dead-letters"


class LocalStack:
    def __init__(self, out_dir: Path = Path("out"), *, port: int = 0, instant_retries: bool = False,
                 style_size: Optional[int] = None, style_iterations: Optional[int] = None,
                 instance_types: Optional[list[str]] = None, function_env: Optional[dict[str, dict]] = None,
                 processing_command: Optional[list[str]] = None, processing_env: Optional[dict[str, str]] = None,
                 on_processing_output: Optional[Callable[[str, str], None]] = None,
                 definition_path: Optional[Path] = None, instance_quota: Optional[InstanceQuota] = None,
                 region: str = "us-east-1",
                 uploads_bucket: str = "nst-local-uploads", results_bucket: str = "nst-local-results",
                 sender: str = "nst-pipeline@example.com", state_machine_name: str = "gif-pipeline",
                 confirm_uploads: bool = True, confirm_timeout_seconds: int = 86400):
        self.out_dir = Path(out_dir)
        self.uploads_bucket, self.results_bucket, self.sender = uploads_bucket, results_bucket, sender
        self.state_machine_name = state_machine_name
        self.definition_path = definition_path
        self.runtime = RuntimeSettings(
            region=region, mail_dir=self.out_dir / "mail", instant_retries=instant_retries,
            processing_command=processing_command, processing_env=dict(processing_env or {}),
            work_dir=self.out_dir / "local" / "jobs", on_processing_output=on_processing_output)
        if instance_quota is not None:  # else NST_LOCAL_INSTANCE_QUOTA or the machine's default
            self.runtime.instance_quota = instance_quota
        self.server = LocalMotoServer(self.runtime, port=port)
        self._settings_env = {"STYLE_SIZE": style_size, "STYLE_ITERATIONS": style_iterations,
                              "INSTANCE_TYPES": ",".join(instance_types) if instance_types else None,
                              "CONFIRM_UPLOADS": "true" if confirm_uploads else "false",
                              "CONFIRM_TIMEOUT_SECONDS": confirm_timeout_seconds}
        self.confirm_uploads = confirm_uploads
        self.confirm_url = ""
        self._function_env = function_env or {}
        self.function_arns: dict[str, str] = {}
        self.state_machine_arn = ""
        self.dead_letter_queue_url = ""
        self._mail_before: set[Path] = set()

    # -- lifecycle -----------------------------------------------------------------------------------------
    def __enter__(self) -> "LocalStack":
        self.server.start()
        try:
            self._create()
        except BaseException:
            self.server.stop()
            raise
        return self

    def __exit__(self, *exc_info) -> None:
        self.server.stop()

    @property
    def endpoint_url(self) -> str:
        return self.server.endpoint_url

    def client(self, service: str):
        return boto3.client(service, endpoint_url=self.endpoint_url, region_name=self.runtime.region,
                            aws_access_key_id="testing", aws_secret_access_key="testing")

    def _create(self) -> None:
        from pipeline import workflow  # imports the lambdas' exception classes: keep it out of module import

        s3, sfn, lam = self.client("s3"), self.client("stepfunctions"), self.client("lambda")
        role = resources.create_role(self.client("iam"))
        resources.create_buckets(s3, [self.uploads_bucket, self.results_bucket])
        self.client("ses").verify_email_identity(EmailAddress=self.sender)
        mail_dir = self.runtime.mail_dir
        self._mail_before = set(mail_dir.glob("*.eml")) if mail_dir.is_dir() else set()

        # Every function but start_execution is in the definition; start_execution needs the machine's ARN.
        values = {"SageMakerRoleArn": role, "StylizerImageUri": "nst-stylizer:local",
                  "ResultsBucket": self.results_bucket}
        starter = next(f for f in workflow.FUNCTIONS if f.name == "start_execution")
        for function in workflow.FUNCTIONS:
            if function is not starter:
                values[function.placeholder] = self._create_function(lam, role, function)
        # The confirm link's function and its URL (a route on this server), before start_execution needs it.
        self._create_function(lam, role, workflow.CONFIRM_UPLOAD)
        function_urls.install(self.server, self.client)
        self.confirm_url = function_urls.url_for(self.endpoint_url, self.function_name(workflow.CONFIRM_UPLOAD.name))
        template = (self.definition_path or workflow.ASL_PATH).read_text(encoding="utf-8")
        definition = workflow.fill(template, values)  # KeyError names any placeholder without a local value
        self.state_machine_arn = resources.create_state_machine(sfn, role, self.state_machine_name, definition)
        self._create_function(lam, role, starter)
        # start_execution's on-failure destination and the rule's dead-letter queue, as deployed (one queue)
        self.dead_letter_queue_url = self.client("sqs").create_queue(QueueName=DEAD_LETTER_QUEUE)["QueueUrl"]
        self.runtime.upload_routes.append(UploadRoute(self.uploads_bucket, UPLOAD_PREFIX,
                                                      self.function_name(starter.name),
                                                      on_failure_queue_url=self.dead_letter_queue_url))

    def function_name(self, logical_name: str) -> str:
        return "nst-" + logical_name.replace("_", "-")

    def _environment(self, function) -> dict[str, str]:
        known = {
            "STATE_MACHINE_ARN": self.state_machine_arn, "UPLOAD_PREFIX": UPLOAD_PREFIX, "CONFIRM_URL": self.confirm_url,
            "SENDER_EMAIL": self.sender, "RESULTS_BUCKET": self.results_bucket,
            "POWERTOOLS_SERVICE_NAME": function.name, "POWERTOOLS_METRICS_NAMESPACE": "nst-local",
            "POWERTOOLS_TRACE_DISABLED": "true", "LOG_LEVEL": "WARNING", **self._settings_env,
        }
        environment = {name: str(known[name]) for name in function.environment if known.get(name) is not None}
        environment["POWERTOOLS_METRICS_DISABLED"] = "true"  # no EMF JSON on the terminal
        environment.update(self._function_env.get(function.name, {}))
        return environment

    def _create_function(self, lam, role: str, function) -> str:
        arn = resources.create_function(lam, role, self.function_name(function.name), function.handler,
                                        self._environment(function))
        self.function_arns[function.name] = arn
        return arn

    # -- helpers for the demo and the tests -----------------------------------------------------------------
    def upload_gif(self, path: Path | str, email: Optional[str] = None, style: Optional[str] = None,
                   key: Optional[str] = None) -> str:
        """PutObject under uploads/ with the metadata the web page sets; returns the key."""
        path = Path(path)
        key = key or UPLOAD_PREFIX + path.name
        metadata = {name: value for name, value in (("email", email), ("style", style)) if value is not None}
        self.client("s3").put_object(Bucket=self.uploads_bucket, Key=key, Body=path.read_bytes(), Metadata=metadata,
                                     ContentType=mimetypes.guess_type(path.name)[0] or "application/octet-stream")
        return key

    def execution_for(self, key: str, timeout: float = 30.0) -> str:
        """The ARN of the execution that the upload of `key` started (waits for the EventBridge hop)."""
        for delivery in reversed(s3_events.DELIVERIES):
            if delivery.event["detail"]["object"]["key"] == quote_plus(key, safe="/"):
                if not delivery.done.wait(timeout):
                    raise TimeoutError(f"start_execution did not answer within {timeout} s for {key}")
                if delivery.errored or not isinstance(delivery.payload, dict):
                    raise RuntimeError(f"start_execution failed for {key}: {delivery.payload}")
                name = delivery.payload["execution_name"]
                return self.state_machine_arn.replace(":stateMachine:", ":execution:") + ":" + name
        raise LookupError(f"no upload event was sent for {key}")

    def wait_for_execution(self, name_or_arn: str, timeout: float = 300.0) -> dict:
        from pipeline.executions import resolve_execution_arn, wait_for_execution

        sfn = self.client("stepfunctions")
        return wait_for_execution(sfn, resolve_execution_arn(sfn, name_or_arn, self.state_machine_arn), timeout)

    def mails(self) -> list[email.message.EmailMessage]:
        """Mail sent since the stack started, oldest first, parsed."""
        return [email.message_from_bytes(p.read_bytes(), policy=policy.default) for p in self.mail_paths()]

    def mail_paths(self) -> list[Path]:
        mail_dir = self.runtime.mail_dir
        return sorted(set(mail_dir.glob("*.eml")) - self._mail_before) if mail_dir.is_dir() else []

    def confirm_mail(self, execution: str, timeout: float = 30.0) -> email.message.EmailMessage:
        """The confirm mail of `execution` (name or ARN): the one whose reference names it; waits for it."""
        import time

        name = execution.rsplit(":", 1)[-1]
        deadline = time.monotonic() + timeout
        while True:
            mail = self._confirm_mail_now(name)
            if mail is not None:
                return mail
            if time.monotonic() > deadline:
                status = self.client("stepfunctions").describe_execution(
                    executionArn=self._execution_arn(name))["status"]
                raise TimeoutError(f"no confirm mail for {name} within {timeout:.0f} s (execution {status})")
            time.sleep(0.1)

    def confirm(self, execution: str, answer: str = "confirm", timeout: float = 30.0):
        """Open the link in `execution`'s confirm mail and press the button (`answer`: confirm or decline);
        returns what the pages said (pipeline.local.confirm.Visit)."""
        from .confirm import confirm_link, follow

        return follow(confirm_link(self.confirm_mail(execution, timeout)), answer=answer)

    def wait_confirming(self, execution: str, timeout: float = 300.0, answer: str = "confirm") -> dict:
        """wait_for_execution, answering the confirm mail when one arrives for it (an upload that fails
        validation gets none); what a person who wants the GIF does."""
        import time

        from pipeline.executions import TERMINAL

        from .confirm import confirm_link, follow

        arn = execution if execution.startswith("arn:") else self._execution_arn(execution)
        sfn, name = self.client("stepfunctions"), arn.rsplit(":", 1)[-1]
        deadline, answered = time.monotonic() + timeout, False
        while time.monotonic() < deadline:
            if sfn.describe_execution(executionArn=arn)["status"] in TERMINAL:
                return self.wait_for_execution(arn, timeout=5)
            mail = None if answered else self._confirm_mail_now(name)
            if mail is not None:
                visit = follow(confirm_link(mail), answer=answer)
                if visit.status not in (200, 410):  # 410: confirmed before (stack.confirm)
                    raise RuntimeError(f"confirming {name} failed: {visit.status} {visit.outcome}: {visit.text}")
                answered = True
            time.sleep(0.1)
        return self.wait_for_execution(arn, timeout=1)  # raises the usual TimeoutError with the status

    def _confirm_mail_now(self, name: str) -> Optional[email.message.EmailMessage]:
        """The confirm mail of execution `name` if it has arrived: a link with a token, and its reference."""
        for mail in self.mails():
            text = mail.get_body(("plain",)).get_content()
            if "token=" in text and f"Reference: {name}" in text:
                return mail
        return None

    def _execution_arn(self, name: str) -> str:
        return self.state_machine_arn.replace(":stateMachine:", ":execution:") + ":" + name

    def results(self, prefix: str = RESULT_PREFIX) -> list[str]:
        """Keys in the results bucket."""
        pages = self.client("s3").get_paginator("list_objects_v2").paginate(Bucket=self.results_bucket,
                                                                           Prefix=prefix)
        return [item["Key"] for page in pages for item in page.get("Contents", [])]

    def download_result(self, execution_name: str, destination: Path, filename: str = "stylized.gif") -> Path:
        destination.parent.mkdir(parents=True, exist_ok=True)
        self.client("s3").download_file(self.results_bucket, f"{RESULT_PREFIX}{execution_name}/{filename}",
                                        str(destination))
        return destination
