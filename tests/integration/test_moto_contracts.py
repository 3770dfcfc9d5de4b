"""Pins every moto internal that pipeline/local/extensions patches: these fail first when a moto upgrade moves one.

Each test names the extension module relying on the attribute and asserts what that module assumes.
"""
import inspect

import moto


def parameters(function) -> list[str]:
    return list(inspect.signature(function).parameters)


def test_moto_version_is_the_pinned_one():
    # The extension layer was written against 5.2.5; a new version must pass this file before the pin moves.
    assert moto.__version__ == "5.2.5"


def test_lambda_function_invoke():  # lambda_in_process
    from moto.awslambda.models import LambdaBackend, LambdaFunction

    assert parameters(LambdaFunction.invoke) == ["self", "body", "request_headers", "response_headers"]
    # the backend must still reach the function object's invoke (and not, e.g., a Docker-only path)
    assert "fn.invoke(body, headers, response_headers)" in inspect.getsource(LambdaBackend.invoke)


def test_lambda_function_attributes_the_runtime_reads():  # lambda_in_process, s3_events
    from moto.awslambda.models import LambdaFunction, lambda_backends

    source = inspect.getsource(LambdaFunction.__init__)
    for attribute in ("self.handler", "self.environment_vars", "self.function_name", "self.timeout", "self.region"):
        assert attribute in source
    assert "get_function" in dir(lambda_backends["123456789012"]["us-east-1"])


def test_state_task_factory_binding():  # sagemaker_sync
    from moto.stepfunctions.parser.asl.component.state.exec.state_task import state_task_factory

    assert parameters(state_task_factory.state_task_service_for) == ["service_name"]
    assert "state_task_service_for(service_name=" in inspect.getsource(state_task_factory.state_task_for)


def test_callback_base_class_hooks():  # sagemaker_sync
    from moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service_callback import \
        StateTaskServiceCallback

    assert parameters(StateTaskServiceCallback._build_sync_resolver) == [
        "self", "env", "resource_runtime_part", "normalised_parameters", "state_credentials"]
    assert parameters(StateTaskServiceCallback._eval_service_task) == [
        "self", "env", "resource_runtime_part", "normalised_parameters", "state_credentials"]
    assert parameters(StateTaskServiceCallback._from_error) == ["self", "env", "ex"]
    assert parameters(StateTaskServiceCallback._handle_retry) == ["self", "env", "failure_event"]


def test_retry_runs_in_the_execution_thread_after_from_error():  # sagemaker_sync, retry_sleep (capacity wait)
    from moto.stepfunctions.parser.asl.component.state.exec.execute_state import ExecutionState

    source = inspect.getsource(ExecutionState._eval_state)
    assert source.index("self._from_error(env=env, ex=ex)") < source.index("self._handle_retry(")
    assert "failure_event=failure_event" in source


def test_sagemaker_create_processing_job_response():  # processing_jobs
    from moto.sagemaker.models import FakeProcessingJob, SageMakerModelBackend
    from moto.sagemaker.responses import SageMakerResponse

    assert parameters(SageMakerResponse.create_processing_job) == ["self"]
    assert hasattr(SageMakerResponse, "sagemaker_backend")
    assert "self.processing_jobs[processing_job_name] = processing_job" in inspect.getsource(
        SageMakerModelBackend.create_processing_job)
    # the record's attributes become the Describe response through gen_response_object (snake → Pascal case)
    assert "processing_job_status" in inspect.getsource(FakeProcessingJob.__init__)
    assert "gen_response_object" in inspect.getsource(FakeProcessingJob)


def test_retrier_sleeps_through_the_time_module():  # retry_sleep
    from moto.stepfunctions.parser.asl.component.common.retry import retrier_decl

    source = inspect.getsource(retrier_decl)
    assert source.count("time.") == 1 and "time.sleep(interval_seconds)" in source


def test_s3_put_object():  # s3_events
    from moto.s3.models import S3Backend

    assert parameters(S3Backend.put_object)[:4] == ["self", "bucket_name", "key_name", "value"]
    assert "multipart" in parameters(S3Backend.put_object)
    # multipart uploads and copies end in put_object too, so one hook sees every object creation
    assert "self.put_object(" in inspect.getsource(S3Backend.complete_multipart_upload)


def test_ses_capture_points():  # ses_mailbox
    from moto.ses.models import SESBackend
    from moto.ses.responses import EmailResponse
    from moto.sesv2.models import SESV2Backend
    from moto.sesv2.responses import SESV2Response

    assert parameters(SESBackend.send_raw_email) == ["self", "source", "destinations", "raw_data"]
    assert parameters(EmailResponse.send_email) == ["self"]
    assert parameters(SESV2Response.send_email) == ["self"]
    assert "self.core_backend.send_raw_email(" in inspect.getsource(SESV2Backend.send_raw_email)


def test_execution_output_is_stored_where_the_fix_runs():  # execution_output
    from moto.stepfunctions.parser.backend.execution import BaseExecutionWorkerCommunication

    source = inspect.getsource(BaseExecutionWorkerCommunication._reflect_execution_status)
    assert "self.execution.output = " in source


def test_cloudformation_state_machine_model():  # cfn_state_machine
    from moto.cloudformation import parsing
    from moto.stepfunctions import responses
    from moto.stepfunctions.models import StateMachine

    for name, expected in [
        ("create_from_cloudformation_json", ["resource_name", "cloudformation_json", "account_id", "region_name",
                                             "kwargs"]),
        ("delete_from_cloudformation_json", ["resource_name", "cloudformation_json", "account_id", "region_name"]),
        ("update_from_cloudformation_json", ["original_resource", "new_resource_name", "cloudformation_json",
                                             "account_id", "region_name"]),
    ]:
        assert isinstance(vars(StateMachine)[name], classmethod), name
        assert parameters(getattr(StateMachine, name)) == expected, name
    create = inspect.getsource(StateMachine.create_from_cloudformation_json)
    # the two gaps the extension fills: when moto closes them, drop the extension
    assert "DefinitionString" in create and "DefinitionSubstitutions" not in create
    assert "stepfunctions_backends[account_id][region_name]" in create
    # the API's backend, chosen by the execute_state_machine switch
    assert parameters(responses.get_backend) == ["account", "region"]
    assert "stepfunctions_parser_backends" in inspect.getsource(responses.get_backend)
    # properties (DefinitionSubstitutions' Ref/GetAtt/Sub) are resolved before the model sees them
    assert "resource_json = clean_json(resource_json, resources_map)" in inspect.getsource(parsing.parse_resource)


def test_stack_state_machine_gets_its_substitutions(tmp_path):  # cfn_state_machine, end to end
    import json

    import boto3

    from pipeline.local.server import LocalMotoServer
    from pipeline.local.settings import RuntimeSettings

    def machine(result: str) -> dict:
        return {"Type": "AWS::StepFunctions::StateMachine", "Properties": {
            "RoleArn": "arn:aws:iam::123456789012:role/r",
            "DefinitionString": json.dumps({"StartAt": "P", "States": {"P": {
                "Type": "Pass", "Result": {"bucket": "${Bucket}", "other": "${Other}", "n": result}, "End": True}}}),
            "DefinitionSubstitutions": {"Bucket": {"Ref": "B"}, "Other": "x"}}}

    def stack_template(result: str) -> str:
        return json.dumps({"Resources": {"B": {"Type": "AWS::S3::Bucket"}, "M": machine(result)}})

    with LocalMotoServer(RuntimeSettings(mail_dir=tmp_path)) as server:
        def client(service):
            return boto3.client(service, endpoint_url=server.endpoint_url, region_name="us-east-1",
                                aws_access_key_id="testing", aws_secret_access_key="testing")
        cfn, sfn = client("cloudformation"), client("stepfunctions")
        cfn.create_stack(StackName="s", TemplateBody=stack_template("1"))
        physical = {r["LogicalResourceId"]: r["PhysicalResourceId"]
                    for r in cfn.list_stack_resources(StackName="s")["StackResourceSummaries"]}
        described = sfn.describe_state_machine(stateMachineArn=physical["M"])  # in the API's backend
        assert json.loads(described["definition"])["States"]["P"]["Result"] == {
            "bucket": physical["B"], "other": "x", "n": "1"}
        cfn.update_stack(StackName="s", TemplateBody=stack_template("2"))
        described = sfn.describe_state_machine(stateMachineArn=physical["M"])
        assert json.loads(described["definition"])["States"]["P"]["Result"]["n"] == "2"
        cfn.delete_stack(StackName="s")
        assert sfn.list_state_machines()["stateMachines"] == []


def test_interpreter_calls_back_on_moto_port():  # server sets MOTO_PORT
    from moto.stepfunctions.parser.asl.utils import boto_client

    assert "moto_server_port()" in inspect.getsource(boto_client.boto_client_for)


def test_every_patch_is_undone_when_the_server_stops(tmp_path):
    from moto.awslambda.models import LambdaFunction
    from moto.s3.models import S3Backend
    from moto.stepfunctions.models import StateMachine
    from moto.stepfunctions.parser.asl.component.common.retry import retrier_decl

    from pipeline.local.server import LocalMotoServer
    from pipeline.local.settings import RuntimeSettings

    def current():
        return (LambdaFunction.invoke, S3Backend.put_object, retrier_decl.time,
                vars(StateMachine)["create_from_cloudformation_json"])

    before = current()
    with LocalMotoServer(RuntimeSettings(mail_dir=tmp_path)):
        assert all(now is not then for now, then in zip(current(), before))
    assert current() == before


def test_a_reconfigured_function_gets_a_cold_start(monkeypatch):
    """Module-level caches (configs read from the environment once) must not outlive a configuration."""
    import sys
    import types

    from pipeline.local.extensions import lambda_in_process

    monkeypatch.setattr(lambda_in_process, "_LOADED_FOR", {})
    package = types.ModuleType("lambdas.fake_fn")
    monkeypatch.setitem(sys.modules, "lambdas.fake_fn", package)
    function = types.SimpleNamespace(handler="lambdas.fake_fn.app.handler", function_arn="arn:fn")
    lambda_in_process.cold_start_if_reconfigured(function, {"LIMIT": "1"})
    assert "lambdas.fake_fn" not in sys.modules  # first call: cold start
    sys.modules["lambdas.fake_fn"] = package
    lambda_in_process.cold_start_if_reconfigured(function, {"LIMIT": "1"})
    assert sys.modules["lambdas.fake_fn"] is package  # same configuration: warm
    lambda_in_process.cold_start_if_reconfigured(function, {"LIMIT": "2"})
    assert "lambdas.fake_fn" not in sys.modules  # new environment: cold again


def test_task_callback_internals():  # task_callbacks
    from moto.stepfunctions.parser.api import TaskTimedOut
    from moto.stepfunctions.parser.asl.eval.callback.callback import CallbackEndpoint, CallbackPoolManager
    from moto.stepfunctions.responses import StepFunctionResponse

    assert parameters(CallbackPoolManager.notify) == ["self", "callback_id", "outcome"]
    assert "get" in dir(CallbackPoolManager) and "get_outcome" in dir(CallbackEndpoint)
    # the gaps task_callbacks fills: a second answer overwrites the outcome; cause is dropped; no error TYPE
    assert "callback_endpoint.notify(outcome=outcome)" in inspect.getsource(CallbackPoolManager.notify)
    assert "cause" not in inspect.getsource(StepFunctionResponse.send_task_failure)
    assert TaskTimedOut.TYPE is None
    # a token of an ended execution: moto searches the running ones only (send_task_failure: all of them), then
    # answers InvalidToken; task_callbacks remembers what CallbackPoolManager.add issued
    from moto.stepfunctions.parser.models import StepFunctionsParserBackend

    assert parameters(CallbackPoolManager.add) == ["self", "callback_id"]
    for action in ("send_task_success", "send_task_failure", "send_task_heartbeat"):
        assert parameters(getattr(StepFunctionsParserBackend, action))[:2] == ["self", "task_token"]
        assert "raise InvalidToken()" in inspect.getsource(getattr(StepFunctionsParserBackend, action))
