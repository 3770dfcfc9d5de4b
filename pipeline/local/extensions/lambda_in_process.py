"""Lambda: `Invoke` runs the function's real handler in this process (moto would need Docker).

The handler is imported from the function's `Handler` (dotted path, e.g. `lambdas.validate.app.handler`), called
with the event and a context object, with the function's environment variables applied for the call.
Exceptions come back in Lambda's error shape with `FunctionError: Unhandled`, so Step Functions' Catch and
Retry see the exception's class name as the error name, as in AWS.

Environment variables are process-wide, so invocations run one at a time (a lock); a handler that invokes
another Lambda synchronously would deadlock here — none of ours does. The function's Timeout is reported
by `get_remaining_time_in_millis` but not enforced (a thread cannot be killed).
"""
from __future__ import annotations

import importlib
import json
import os
import sys
import threading
import time
import traceback
import uuid
from contextlib import contextmanager
from typing import Any, Iterator

from moto.awslambda.models import LambdaFunction

from . import PatchSet

_INVOCATION_LOCK = threading.Lock()


class LambdaContext:
    """The attributes of the Python runtime's context object that handlers use."""

    def __init__(self, function: Any, request_id: str):
        self.function_name = function.function_name
        self.function_version = "$LATEST"
        self.invoked_function_arn = function.function_arn
        self.memory_limit_in_mb = int(getattr(function, "memory_size", 128) or 128)
        self.aws_request_id = request_id
        self.log_group_name = f"/aws/lambda/{function.function_name}"
        self.log_stream_name = f"local/{request_id}"
        self._deadline = time.monotonic() + float(getattr(function, "timeout", 3) or 3)

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


@contextmanager
def applied_environment(variables: dict[str, str]) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in variables}
    os.environ.update({name: str(value) for name, value in variables.items()})
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def resolve_handler(dotted_path: str):
    module_name, _, attribute = dotted_path.rpartition(".")
    if not module_name:
        raise ValueError(f"Handler '{dotted_path}' is not module.function")
    return getattr(importlib.import_module(module_name), attribute)


# handler package (e.g. "lambdas.validate_upload") -> the (function, environment) its modules were loaded for.
_LOADED_FOR: dict[str, tuple] = {}


def cold_start_if_reconfigured(function: Any, variables: dict[str, str]) -> None:
    """In AWS a function whose configuration changes gets new execution environments: module-level state
    (configs cached from the environment, clients) starts afresh. Emulate that: when a handler package is
    invoked for another function or another environment than it was loaded for, forget its modules so the
    next import is a cold start."""
    package = ".".join(function.handler.split(".")[:2])
    signature = (function.function_arn, tuple(sorted(variables.items())))
    if _LOADED_FOR.get(package) != signature:  # the first call in a server is a cold start too
        for name in [n for n in sys.modules if n == package or n.startswith(package + ".")]:
            del sys.modules[name]
    _LOADED_FOR[package] = signature


def error_payload(error: BaseException, request_id: str) -> dict:
    """What the Python runtime returns for an unhandled exception."""
    return {
        "errorMessage": str(error),
        "errorType": type(error).__name__,
        "requestId": request_id,
        "stackTrace": traceback.format_list(traceback.extract_tb(error.__traceback__)),
    }


def run_handler(function: Any, event: Any) -> tuple[bytes, bool]:
    """(payload, errored) of one invocation of the moto LambdaFunction `function`."""
    request_id = str(uuid.uuid4())
    variables = dict(function.environment_vars or {})
    variables.setdefault("AWS_LAMBDA_FUNCTION_NAME", function.function_name)
    variables.setdefault("AWS_REGION", function.region)
    with _INVOCATION_LOCK, applied_environment(variables):
        try:
            cold_start_if_reconfigured(function, variables)
            handler = resolve_handler(function.handler)
            result = handler(event, LambdaContext(function, request_id))
            return json.dumps(result).encode("utf-8"), False
        except Exception as error:  # the runtime reports every exception, whatever its class
            return json.dumps(error_payload(error, request_id)).encode("utf-8"), True


def invoke(self: LambdaFunction, body: Any, request_headers: Any, response_headers: Any) -> bytes:
    """Replacement for LambdaFunction.invoke(body, request_headers, response_headers) -> payload."""
    event = json.loads(body) if body else {}
    if request_headers.get("x-amz-invocation-type", "RequestResponse") == "Event":
        threading.Thread(target=run_handler, args=(self, event), daemon=True,
                         name=f"lambda-event-{self.function_name}").start()
        return b""
    payload, errored = run_handler(self, event)
    if errored:
        response_headers["x-amz-function-error"] = "Unhandled"
    return payload


def install(patches: PatchSet) -> None:
    patches.replace(LambdaFunction, "invoke", invoke)
    # Handler modules often create boto3 clients at import time, bound to this server's port: forget the
    # modules imported while the server ran, so a later server in this process imports them afresh.
    _LOADED_FOR.clear()
    before = set(sys.modules)
    patches.on_restore(lambda: _forget_handler_modules(before))


def _forget_handler_modules(before: set[str]) -> None:
    _LOADED_FOR.clear()
    roots = {"lambdas", "nst_fixture_lambdas"}
    for name in [n for n in sys.modules if n not in before]:
        if name.split(".")[0] in roots:
            del sys.modules[name]
