"""Names derived from an upload: the Step Functions execution name, the SageMaker job name, the file's name.

The execution name is a pure function of (bucket, key, ETag) so that a repeated S3 event (EventBridge
delivers at least once) maps to the same execution and StartExecution refuses a second one.
"""
import hashlib
import re
from urllib.parse import unquote

EXECUTION_NAME_MAX = 80  # Step Functions limit
JOB_NAME_MAX = 63  # SageMaker processing job name limit
_HASH_LEN = 16


def _slug(text: str, allowed: str) -> str:
    return re.sub(f"[^{allowed}]+", "-", text).strip("-")


def execution_name(bucket: str, key: str, etag: str) -> str:
    """`<readable part of the key>-<16 hex of sha256(bucket/key/etag)>`, at most 80 chars of [A-Za-z0-9-_]."""
    digest = hashlib.sha256(f"{bucket}/{key}/{etag.strip(chr(34))}".encode()).hexdigest()[:_HASH_LEN]
    stem = key.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    readable = _slug(stem, "A-Za-z0-9_-")[: EXECUTION_NAME_MAX - _HASH_LEN - 1].strip("-_")
    return f"{readable}-{digest}" if readable else digest


def job_name_prefix(execution: str) -> str:
    """A SageMaker-safe prefix ([A-Za-z0-9-], <= 60 chars) unique per execution.

    The state machine appends `-<attempt index>` (one job per instance type tried), so 60 + 3 <= 63.
    """
    digest = hashlib.sha256(execution.encode()).hexdigest()[:10]
    readable = _slug(execution, "A-Za-z0-9")[: 60 - 11 - 3].strip("-")  # 3 chars of "nst" prefix room
    return f"nst-{readable}-{digest}" if readable else f"nst-{digest}"


def upload_file_name(sent: str | None, key: str) -> str:
    """The uploader's own file name for the e-mails and the download (the page sends it percent-encoded in
    metadata `filename`, as S3 metadata is ASCII), else the key's last part. Only a name: no folders, no control
    characters, at most 120 characters."""
    name = unquote(sent or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip()[:120]
    return name or key.rsplit("/", 1)[-1]
