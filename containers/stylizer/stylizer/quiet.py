"""Library chatter off unless asked: TensorFlow's C++ and Python logs, absl, Python warnings.

`nst` and the processing entrypoint call `quiet_libraries(verbose)` before TensorFlow is imported: the C++
side reads TF_CPP_MIN_LOG_LEVEL once at import, and the Python loggers keep a level set before they exist.
A person reads a progress bar and one result line; the log lines ("oneDNN custom operations are on",
"AutoGraph could not transform ...") are for whoever debugs TensorFlow, so `--verbose` brings them back.
"""
import logging
import os
import warnings

LIBRARY_LOGGERS = ("tensorflow", "absl", "h5py", "keras", "onnxruntime")


def quiet_libraries(verbose: bool = False) -> None:
    if verbose:
        os.environ["TF_CPP_MIN_LOG_LEVEL"] = "0"
        for name in LIBRARY_LOGGERS:
            logging.getLogger(name).setLevel(logging.NOTSET)
        return
    # 3 = errors of TensorFlow's C++ side hidden too: a real failure reaches the user as a Python exception.
    os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
    os.environ.setdefault("GRPC_VERBOSITY", "ERROR")
    os.environ.setdefault("AUTOGRAPH_VERBOSITY", "0")
    for name in LIBRARY_LOGGERS:
        logging.getLogger(name).setLevel(logging.ERROR)
    # Deprecation and user warnings from TensorFlow/Keras/numpy internals are not the user's to act on.
    for category in (DeprecationWarning, FutureWarning, UserWarning):
        warnings.filterwarnings("ignore", category=category)
