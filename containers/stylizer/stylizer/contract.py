"""SageMaker's container contract: the `/opt/ml/...` paths, overridable for local runs.

`NST_OPT_ML` moves the root so the same entrypoints run as local processes (tests, the local stack).
"""
import os
from pathlib import Path

OPT_ML = Path(os.environ.get("NST_OPT_ML", "/opt/ml"))
PROCESSING_INPUT = OPT_ML / "processing" / "input"
PROCESSING_OUTPUT = OPT_ML / "processing" / "output"
FAILURE_FILE = OPT_ML / "output" / "message"  # SageMaker shows it as the job's ExitMessage/FailureReason
MODEL_DIR = OPT_ML / "model"

GIF_CHANNEL = "gif"
STYLE_CHANNEL = "style"
RESULT_CHANNEL = "result"
RESULT_GIF = "stylized.gif"
RESULT_PREVIEW = "preview.png"
RESULT_METRICS = "metrics.json"
