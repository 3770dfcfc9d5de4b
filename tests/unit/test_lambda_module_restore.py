"""A local server's cold starts must leave the handler modules that were imported before it in place."""
import sys
import types

from pipeline.local.extensions import lambda_in_process


def test_handler_modules_imported_before_a_server_are_back_after_it(monkeypatch):
    original = types.ModuleType("lambdas.fake_restore")
    monkeypatch.setitem(sys.modules, "lambdas.fake_restore", original)
    before = dict(sys.modules)
    function = types.SimpleNamespace(handler="lambdas.fake_restore.app.handler", function_arn="arn:fn")
    monkeypatch.setattr(lambda_in_process, "_LOADED_FOR", {})
    lambda_in_process.cold_start_if_reconfigured(function, {"A": "1"})  # takes the module out
    sys.modules["lambdas.fake_restore"] = types.ModuleType("lambdas.fake_restore")  # the handler re-imports it
    sys.modules["lambdas.fake_restore.app"] = types.ModuleType("lambdas.fake_restore.app")
    lambda_in_process._forget_handler_modules(before)  # the server stops
    assert sys.modules["lambdas.fake_restore"] is original
    assert "lambdas.fake_restore.app" not in sys.modules
