"""Live progress of one invocation as two S3 objects under the request's `progress` prefix.

    <prefix>status.json   {"request_id", "state": "started"|"running"|"done"|"failed", "iteration",
                           "iterations", "losses", "elapsed_s", "preview_key", "updated_at", ...}
    <prefix>preview.jpg   the newest preview (small JPEG)

SageMaker's async endpoint only reports the end of an invocation, so a page polls these to show the image
forming. Uploads happen on a background thread: a PUT to S3 takes tens of milliseconds, an optimiser step
on a GPU a few, so writing inline would slow the optimisation. The queue keeps only the newest pending
body per object key: if S3 is slow, intermediate previews are dropped, never queued up.
"""
import datetime
import json
import logging
import threading
import time

log = logging.getLogger(__name__)

STATUS_NAME = "status.json"
PREVIEW_NAME = "preview.jpg"
CLOSE_TIMEOUT_S = 10.0  # stays well inside SageMaker's 30 s between SIGTERM and SIGKILL


def utc_now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class ProgressWriter:
    """Writes status.json and preview.jpg under s3://bucket/prefix; put()s never block on S3.

    `s3` is a boto3 S3 client (thread-safe). Failed uploads are logged and skipped: progress is a courtesy,
    the invocation's result must not depend on it.
    """

    def __init__(self, s3, bucket: str, prefix: str, request_id: str):
        self.s3, self.bucket, self.request_id = s3, bucket, request_id
        self.prefix = prefix if prefix.endswith("/") or not prefix else prefix + "/"
        self.status_key = self.prefix + STATUS_NAME
        self.preview_key = self.prefix + PREVIEW_NAME
        self.has_preview = False
        self.started = time.monotonic()
        self._pending: dict[str, tuple[bytes, str]] = {}  # key -> (body, content type), oldest first
        self._lock = threading.Condition()
        self._closing = False
        self._busy = False
        self.failures = 0
        self._thread = threading.Thread(target=self._run, name=f"progress-{request_id}", daemon=True)
        self._thread.start()

    # What the request handler calls.

    def status(self, state: str, **fields) -> None:
        body = {"request_id": self.request_id, "state": state, "updated_at": utc_now(),
                "elapsed_s": round(time.monotonic() - self.started, 3),
                "preview_key": self.preview_key if self.has_preview else None, **fields}
        self._put(self.status_key, json.dumps(body).encode(), "application/json")

    def preview(self, jpeg: bytes) -> None:
        """Queue the preview; call status() after it so the status never names a preview not yet written."""
        self.has_preview = True
        self._put(self.preview_key, jpeg, "image/jpeg")

    def flush(self, timeout: float = CLOSE_TIMEOUT_S) -> bool:
        """Wait until everything queued so far is uploaded: the "started" status is worth one PUT of delay
        before the optimisation begins, so a poller sees the request accepted even if it fails at once."""
        with self._lock:
            return self._lock.wait_for(lambda: not self._pending and not self._busy, timeout)

    def close(self, timeout: float = CLOSE_TIMEOUT_S) -> None:
        """Flush what is pending (the final status above all) and stop the thread."""
        with self._lock:
            self._closing = True
            self._lock.notify_all()
        self._thread.join(timeout)
        if self._thread.is_alive():
            log.warning("progress writer for %s still busy after %.0f s", self.request_id, timeout)

    # The background thread.

    def _put(self, key: str, body: bytes, content_type: str) -> None:
        with self._lock:
            self._pending.pop(key, None)  # re-insert so the dict's order is the order of the newest puts
            self._pending[key] = (body, content_type)
            self._lock.notify_all()

    def _run(self) -> None:
        while True:
            with self._lock:
                while not self._pending and not self._closing:
                    self._lock.wait()
                batch, self._pending = self._pending, {}
                self._busy = bool(batch)
                if not batch:  # closing, and nothing left
                    self._lock.notify_all()
                    return
            for key, (body, content_type) in batch.items():
                self._upload(key, body, content_type)
            with self._lock:
                self._busy = False
                self._lock.notify_all()

    def _upload(self, key: str, body: bytes, content_type: str) -> None:
        try:
            # no-store: the page polls the same key and must not be served a cached status
            self.s3.put_object(Bucket=self.bucket, Key=key, Body=body, ContentType=content_type,
                               CacheControl="no-store")
        except Exception as error:  # noqa: BLE001 - see class docstring
            self.failures += 1
            log.warning("progress upload s3://%s/%s failed: %s", self.bucket, key, error)
