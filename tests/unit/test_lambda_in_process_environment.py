"""The in-process Lambda runner gives a handler its function's environment variables without changing the process
environment under other threads.

It used to set them in os.environ and remove them after the call. Every other thread that iterates os.environ
(botocore, for its proxy settings, whenever a client is made; urllib; the processing runner) takes a snapshot
of the keys and then reads each value, so a key removed in between raised KeyError in that thread: a Step
Functions task making its Lambda client then failed with States.Runtime, which the "received" mail's Catch
swallows (how the load test's one lost mail of 60 can happen). These tests replay that interleaving step by step.
"""
import os
import threading

import pytest
from botocore.utils import get_environ_proxies

from pipeline.local.extensions import PatchSet
from pipeline.local.extensions.lambda_in_process import applied_environment, install_environment_layers

VARIABLES = {"NST_TEST_FUNCTION_VARIABLE": "from-the-function", "NST_TEST_SECOND_VARIABLE": "2"}


@pytest.fixture
def layers():
    patches = PatchSet()
    install_environment_layers(patches)
    yield
    patches.restore()


class Handler(threading.Thread):
    """Runs `with applied_environment(VARIABLES)` in a thread of its own, holding it until told to finish."""

    def __init__(self):
        super().__init__(daemon=True)
        self.inside, self.finish, self.saw, self.errors = threading.Event(), threading.Event(), {}, []

    def run(self):
        try:
            with applied_environment(VARIABLES):
                self.saw = {"getitem": os.environ["NST_TEST_FUNCTION_VARIABLE"],
                            "getenv": os.getenv("NST_TEST_SECOND_VARIABLE"),
                            "copy": {k: v for k, v in os.environ.copy().items() if k.startswith("NST_TEST_")}}
                self.inside.set()
                self.finish.wait(10)
            self.saw["after"] = os.environ.get("NST_TEST_FUNCTION_VARIABLE")
        except Exception as error:  # reported to the test thread
            self.errors.append(error)
            self.inside.set()


def test_a_thread_iterating_the_environment_survives_a_handler_that_ends_meanwhile(layers):
    handler = Handler()
    handler.start()
    assert handler.inside.wait(10)
    items = iter(os.environ.items())  # another thread (botocore making a client) starts iterating now ...
    next(items)
    handler.finish.set()  # ... the handler returns meanwhile, its variables go ...
    handler.join(10)
    assert not handler.errors
    names = [name for name, _ in items]  # ... and the iteration goes on: KeyError when a key it listed went
    assert not set(VARIABLES) & set(names)
    assert handler.saw == {"getitem": "from-the-function", "getenv": "2", "copy": VARIABLES, "after": None}


def test_other_threads_never_see_a_handlers_variables(layers):
    handler = Handler()
    handler.start()
    assert handler.inside.wait(10)
    try:
        assert "NST_TEST_FUNCTION_VARIABLE" not in os.environ
        assert os.environ.get("NST_TEST_FUNCTION_VARIABLE") is None
        assert not [name for name in os.environ if name.startswith("NST_TEST_")]
        assert get_environ_proxies("http://127.0.0.1:5000/") == {}
    finally:
        handler.finish.set()
        handler.join(10)
    assert not handler.errors


def test_the_process_environment_is_whole_after_the_layers_are_removed(monkeypatch):
    patches = PatchSet()
    install_environment_layers(patches)
    try:
        os.environ["NST_TEST_SET_WHILE_LAYERED"] = "kept"  # outside any layer: the process environment
        with applied_environment(VARIABLES):
            os.environ["NST_TEST_HANDLER_WRITE"] = "layer only"
            assert os.environ["NST_TEST_HANDLER_WRITE"] == "layer only"
        assert "NST_TEST_HANDLER_WRITE" not in os.environ
    finally:
        patches.restore()
    assert type(os.environ._data) is dict
    assert os.environ["NST_TEST_SET_WHILE_LAYERED"] == "kept"
    assert "NST_TEST_FUNCTION_VARIABLE" not in os.environ
    del os.environ["NST_TEST_SET_WHILE_LAYERED"]
    os.environ.pop("NST_TEST_HANDLER_WRITE", None)  # putenv'd by the handler's write (C environment)
