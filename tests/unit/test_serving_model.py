"""stylizer.serving.model and the /ping route: 503 until the model is loaded, never 200 after a failure."""
import threading

from stylizer.serving.app import create_app
from stylizer.serving.model import Model, model_weights_file


def test_ping_is_503_while_loading_and_200_once_loaded():
    release = threading.Event()
    model = Model(loader=lambda: release.wait(5))
    client = create_app(model=model, s3=object()).test_client()
    response = client.get("/ping")
    assert response.status_code == 503 and response.get_json() == {"status": "loading"}
    release.set()
    assert model.wait(5)
    response = client.get("/ping")
    assert response.status_code == 200 and response.get_json() == {"status": "ready"}


def test_a_failed_load_keeps_ping_at_503_with_the_reason():
    def broken():
        raise OSError("weights file truncated")

    model = Model(loader=broken).start()
    assert not model.wait(5)
    response = create_app(model=model, s3=object()).test_client().get("/ping")
    assert response.status_code == 503
    assert response.get_json()["status"] == "failed to load: OSError: weights file truncated"


def test_shutting_down_turns_ping_to_503():
    model = Model(loader=lambda: None).start()
    assert model.wait(5) and model.ready
    model.shutting_down.set()
    assert not model.ready and model.state() == "shutting down"


def test_loader_runs_once_even_if_started_twice():
    calls = []
    model = Model(loader=lambda: calls.append(1))
    model.start().start()
    assert model.wait(5) and calls == [1]


def test_model_weights_file_is_found_under_the_model_dir(tmp_path):
    assert model_weights_file(tmp_path / "missing") is None
    assert model_weights_file(tmp_path) is None
    (tmp_path / "vgg").mkdir()
    (tmp_path / "vgg" / "vgg19.weights.h5").write_bytes(b"h5")
    assert model_weights_file(tmp_path) == tmp_path / "vgg" / "vgg19.weights.h5"
