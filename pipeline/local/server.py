"""moto in server mode inside this process, with state machine execution and our extension layer switched on.

In process (not the `moto_server` CLI) because the extensions patch moto's Python objects, and the Lambda
handlers and the processing runner must run next to moto's backends. One server per process at a time: moto's
backends, its config and the `MOTO_PORT` its Step Functions interpreter calls back on are process-wide.
"""
from __future__ import annotations

import logging
import os
from typing import Optional

from moto.core.config import default_user_config
from moto.moto_server.threaded_moto_server import ThreadedMotoServer

from . import settings
from .extensions import PatchSet, install_all

# What handlers and SDK clients running in this process need to reach the local server, not AWS.
DUMMY_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                     "AWS_SESSION_TOKEN": "testing"}


class LocalMotoServer(ThreadedMotoServer):
    """`with LocalMotoServer(runtime) as server:` → `server.endpoint_url`; port 0 picks a free port."""

    def __init__(self, runtime: Optional[settings.RuntimeSettings] = None, port: int = 0, host: str = "127.0.0.1"):
        super().__init__(ip_address=host, port=port, verbose=False)
        self.runtime = runtime or settings.RuntimeSettings()
        self._patches = PatchSet()
        self._saved_environ: dict[str, Optional[str]] = {}
        self._saved_config: dict = {}

    @property
    def endpoint_url(self) -> str:
        host, port = self.get_host_and_port()
        return f"http://{host}:{port}"

    def start(self) -> None:
        if settings.ACTIVE is not None:
            raise RuntimeError("a LocalMotoServer is already running in this process")
        # Lambda keeps moto's default "use_docker" backend: our invoke replaces the only part that needs Docker,
        # whereas "use_docker": False would swap in moto's echoing LambdaSimpleBackend.
        self._saved_config = {"stepfunctions": dict(default_user_config.get("stepfunctions", {}))}
        default_user_config["stepfunctions"] = {**self._saved_config["stepfunctions"], "execute_state_machine": True}
        super().start()
        self.runtime.endpoint_url = self.endpoint_url
        self._set_environ({
            **DUMMY_CREDENTIALS,
            "AWS_ENDPOINT_URL": self.endpoint_url,  # handlers' boto3 clients
            "AWS_DEFAULT_REGION": self.runtime.region,
            "AWS_REGION": self.runtime.region,
            "MOTO_PORT": str(self.get_host_and_port()[1]),  # moto's Step Functions interpreter calls back here
        })
        settings.ACTIVE = self.runtime
        try:
            # werkzeug logs every request at INFO; the pipeline's progress is what the terminal should show.
            self._patches.set_logger_level("werkzeug", logging.WARNING)
            install_all(self._patches)
        except Exception:
            self.stop()
            raise

    def stop(self) -> None:
        try:
            super().stop()
        finally:
            self._patches.restore()
            settings.ACTIVE = None
            for name, value in self._saved_environ.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
            self._saved_environ.clear()
            default_user_config.update(self._saved_config)
            self._reset_backends()

    def __enter__(self) -> "LocalMotoServer":
        self.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def _set_environ(self, values: dict[str, str]) -> None:
        for name, value in values.items():
            self._saved_environ.setdefault(name, os.environ.get(name))
            os.environ[name] = value

    @staticmethod
    def _reset_backends() -> None:
        """Forget every resource, so the next server in this process starts empty (as a fresh moto_server)."""
        from moto.moto_api._internal.models import moto_api_backend

        moto_api_backend.reset()
