"""Lambda: `Invoke` runs the function's real handler in this process (moto would need Docker).

The handler is imported from the function's `Handler` (dotted path, e.g. `lambdas.validate.app.handler`), called
with the event and a context object, with the function's environment variables applied for the call.
Exceptions come back in Lambda's error shape with `FunctionError: Unhandled`, so Step Functions' Catch and
Retry see the exception's class name as the error name, as in AWS.

A function's environment variables are visible to the thread that runs its handler and to no other: while the
server runs, `os.environ`'s storage is a `ThreadLayeredEnviron`, the process environment with a layer per
thread on top. Setting and removing them in the process environment instead (as this module once did) raced
with every other thread that iterates `os.environ` — botocore does, for its proxy settings, each time a client
is made (`urllib.request.getproxies()`), as do the processing runner and urllib: a key removed between their
snapshot of the keys and the read of its value raised KeyError there (a Step Functions task that made its
Lambda client at that moment failed with States.Runtime; for the "received" mail its Catch swallows that, the
one way found for the load test's lost mail). Invocations still run one at a time (a lock: module reloads,
and handlers' module-level state); a handler that invokes another Lambda synchronously would deadlock here —
none of ours does. Threads a handler starts itself do not see its variables. The function's Timeout is
reported by `get_remaining_time_in_millis` but not enforced (a thread cannot be killed).
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


class ThreadLayeredEnviron(dict):
    """`os.environ`'s storage (`os.environ._data`, which `os.environb` shares: encoded keys and values) with a
    layer per thread on top. Outside a layer it is the process environment, as before; inside `layer()` the
    thread sees the process environment plus the layer's variables, and its own writes land in the layer. So
    a handler's variables come and go without the process environment's keys ever changing under the other
    threads. The C-level environment (what a child process inherits) is the process environment only."""

    def __init__(self, data: dict) -> None:
        super().__init__(data)
        self._local = threading.local()

    @contextmanager
    def layer(self, variables: dict) -> Iterator[None]:
        previous = getattr(self._local, "layer", None)
        self._local.layer = {**(previous or {}), **variables}
        try:
            yield
        finally:
            self._local.layer = previous

    def _layer(self) -> dict | None:
        return getattr(self._local, "layer", None)

    def __getitem__(self, key):
        layer = self._layer()
        if layer is not None and key in layer:
            if layer[key] is _REMOVED:
                raise KeyError(key)
            return layer[key]
        return super().__getitem__(key)

    def __setitem__(self, key, value) -> None:
        layer = self._layer()
        if layer is None:
            super().__setitem__(key, value)
        else:
            layer[key] = value

    def __delitem__(self, key) -> None:
        layer = self._layer()
        if layer is None:
            super().__delitem__(key)
        elif key not in self:
            raise KeyError(key)
        else:
            layer[key] = _REMOVED

    def __contains__(self, key) -> bool:
        layer = self._layer()
        if layer is not None and key in layer:
            return layer[key] is not _REMOVED
        return super().__contains__(key)

    def get(self, key, default=None):
        try:
            return self[key]
        except KeyError:
            return default

    def __iter__(self):
        layer = self._layer()
        if layer is None:
            return super().__iter__()
        base = list(dict.keys(self))  # comprehensions cannot use super()
        return iter([k for k in base if layer.get(k) is not _REMOVED] +
                    [k for k, v in layer.items() if v is not _REMOVED and not dict.__contains__(self, k)])

    def __len__(self) -> int:
        return super().__len__() if self._layer() is None else len(list(iter(self)))

    def keys(self):
        return list(iter(self))

    def items(self):
        return [(k, self[k]) for k in iter(self)]

    def values(self):
        return [self[k] for k in iter(self)]

    def copy(self) -> dict:
        return dict(self.items())

    def __repr__(self) -> str:
        return repr(dict(self.items()))


_REMOVED = object()


def install_environment_layers(patches: PatchSet) -> ThreadLayeredEnviron:
    """Make `os.environ`'s storage a ThreadLayeredEnviron until the patches are restored (then the process
    environment, as it is by then, goes back into the original storage)."""
    original = os.environ._data
    if isinstance(original, ThreadLayeredEnviron):
        return original
    layered = ThreadLayeredEnviron(original)
    environs = [os.environ] + ([os.environb] if getattr(os, "environb", None) is not None else [])
    for environ in environs:
        environ._data = layered

    def restore() -> None:
        original.clear()
        original.update(dict(dict.items(layered)))
        for environ in environs:
            environ._data = original

    patches.on_restore(restore)
    return layered


@contextmanager
def applied_environment(variables: dict[str, str]) -> Iterator[None]:
    """The function's variables for the calling thread only (a layer), where the layers are installed; without
    them (a handler run outside a server), set in the process environment and put back after."""
    storage = os.environ._data
    if isinstance(storage, ThreadLayeredEnviron):
        with storage.layer({os.environ.encodekey(name): os.environ.encodevalue(str(value))
                            for name, value in variables.items()}):
            yield
        return
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
    install_environment_layers(patches)
    patches.replace(LambdaFunction, "invoke", invoke)
    # Handler modules often create boto3 clients at import time, bound to this server's port: forget the
    # modules imported while the server ran, so a later server in this process imports them afresh.
    _LOADED_FOR.clear()
    before = dict(sys.modules)
    patches.on_restore(lambda: _forget_handler_modules(before))


HANDLER_ROOTS = {"lambdas", "nst_fixture_lambdas"}


def _forget_handler_modules(before: dict) -> None:
    """Handler modules as they were before the server: those it imported are forgotten, and those that cold
    starts took out of sys.modules go back. Otherwise code imported earlier (a test module's `app`) and a later
    import of the same name (a fixture's `get_config`) would be two module objects with two config caches."""
    _LOADED_FOR.clear()
    for name in [n for n in sys.modules if n.split(".")[0] in HANDLER_ROOTS]:
        if before.get(name) is not sys.modules[name]:
            del sys.modules[name]
    sys.modules.update({name: module for name, module in before.items() if name.split(".")[0] in HANDLER_ROOTS})
