"""Step Functions: Retry intervals sleep for real in moto; `RuntimeSettings.instant_retries` skips them.

moto's `RetrierDecl._eval_body` calls `time.sleep(interval)` through the `time` module it imported; that module
global is replaced by a stand-in whose `sleep` consults the active settings (real in the demo, instant in tests).
Nothing else in retrier_decl uses `time`.
"""
from __future__ import annotations

import time as real_time
from types import SimpleNamespace

from moto.stepfunctions.parser.asl.component.common.retry import retrier_decl

from .. import settings
from . import PatchSet


def retry_sleep(seconds: float) -> None:
    runtime = settings.ACTIVE
    if runtime is not None and runtime.instant_retries:
        return
    real_time.sleep(seconds)


def install(patches: PatchSet) -> None:
    patches.replace(retrier_decl, "time", SimpleNamespace(sleep=retry_sleep))
