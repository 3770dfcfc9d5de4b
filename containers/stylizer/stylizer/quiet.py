"""Library chatter off unless asked: TensorFlow's C++ and Python logs, absl, Python warnings.

`nst` and the processing entrypoint call `quiet_libraries(verbose)` before TensorFlow is imported: the C++
side reads TF_CPP_MIN_LOG_LEVEL once at import, and the Python loggers keep a level set before they exist.
A person reads a progress bar and one result line; the log lines ("oneDNN custom operations are on",
"AutoGraph could not transform ...") are for whoever debugs TensorFlow, so `--verbose` brings them back.

Since TF 2.19 a few lines are written while TensorFlow is imported, through absl before
absl::InitializeLog, whatever TF_CPP_MIN_LOG_LEVEL says (tensorflow/tensorflow#100442; on CPUs with
AVX512-BF16/AMX, where oneDNN is on by default, "oneDNN custom operations are on" every time). So the
first `import tensorflow` runs with file descriptor 2 on /dev/null; an import that fails still raises.
"""
import contextlib
import importlib.abc
import importlib.machinery
import logging
import os
import sys
import warnings

LIBRARY_LOGGERS = ("tensorflow", "absl", "h5py", "keras", "onnxruntime")


def quiet_libraries(verbose: bool = False) -> None:
    if verbose:
        os.environ["TF_CPP_MIN_LOG_LEVEL"] = "0"
        for name in LIBRARY_LOGGERS:
            logging.getLogger(name).setLevel(logging.NOTSET)
        return
    if "tensorflow" not in sys.modules and not any(isinstance(f, _QuietImport) for f in sys.meta_path):
        sys.meta_path.insert(0, _QuietImport("tensorflow"))
    # 3 = errors of TensorFlow's C++ side hidden too: a real failure reaches the user as a Python exception.
    os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
    os.environ.setdefault("GRPC_VERBOSITY", "ERROR")
    os.environ.setdefault("AUTOGRAPH_VERBOSITY", "0")
    for name in LIBRARY_LOGGERS:
        logging.getLogger(name).setLevel(logging.ERROR)
    # Deprecation and user warnings from TensorFlow/Keras/numpy internals are not the user's to act on.
    for category in (DeprecationWarning, FutureWarning, UserWarning):
        warnings.filterwarnings("ignore", category=category)


@contextlib.contextmanager
def stderr_to_devnull():
    """File descriptor 2 (what C++ libraries write to) on /dev/null for the duration."""
    sys.stderr.flush()
    saved, devnull = os.dup(2), os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


class _QuietImport(importlib.abc.MetaPathFinder):
    """Finds the top-level package `name` as usual, once, and executes it under stderr_to_devnull."""

    def __init__(self, name: str):
        self.name = name

    def find_spec(self, fullname, path=None, target=None):
        if fullname != self.name:
            return None
        sys.meta_path.remove(self)
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or spec.loader is None:
            return spec
        execute = spec.loader.exec_module

        def exec_module(module):
            with stderr_to_devnull():
                execute(module)

        spec.loader.exec_module = exec_module
        return spec
