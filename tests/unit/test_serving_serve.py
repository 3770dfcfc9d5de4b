"""stylizer.serve: gunicorn settings that keep SageMaker's hosting contract."""
import sys

from stylizer import serve


def test_gunicorn_options_fit_sagemaker():
    options = serve.gunicorn_options(serve.build_parser().parse_args([]))
    assert options["bind"] == "0.0.0.0:8080"
    assert options["workers"] == 1 and options["worker_class"] == "gthread" and options["threads"] >= 2
    assert options["graceful_timeout"] < 30  # SIGKILL follows SIGTERM after 30 s
    assert options["timeout"] >= 3600  # the longest async invocation
    assert options["preload_app"] is False  # TensorFlow starts after the fork


def test_main_explains_a_missing_gunicorn(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "gunicorn.app.base", None)  # makes the import raise ImportError
    assert serve.main([]) == 1
    assert "gunicorn is not installed" in capsys.readouterr().err


def test_sigterm_hook_stops_invocations_and_chains(monkeypatch):
    import signal
    from types import SimpleNamespace

    from stylizer.serving.model import Model

    model, chained = Model(loader=lambda: None), []
    installed = {}
    monkeypatch.setattr(signal, "getsignal", lambda signum: lambda *a: chained.append(signum))
    monkeypatch.setattr(signal, "signal", lambda signum, handler: installed.setdefault(signum, handler))
    worker = SimpleNamespace(wsgi=SimpleNamespace(extensions={"stylizer": SimpleNamespace(model=model)}))
    serve._stop_invocations_on_sigterm(worker)
    installed[signal.SIGTERM](signal.SIGTERM, None)
    assert model.shutting_down.is_set() and chained == [signal.SIGTERM]
