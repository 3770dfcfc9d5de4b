"""Faults the GIF pipeline survives on the local stack, with the real stylizer as the processing job: each ends in
a failed execution with a readable cause, the uploader's apology mail, the upload kept and no half result."""
import sys
from pathlib import Path

import psutil
import pytest
from gif_fixtures import make_gif

from pipeline.local.stack import LocalStack

FAULTY_STYLIZER = Path(__file__).parent / "fixtures" / "faulty_stylizer.py"
TINY_GIF = Path(__file__).parents[1] / "data" / "muybridge_tiny.gif"  # 30x20, 15 frames

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    with LocalStack(tmp_path_factory.mktemp("faults"), instant_retries=True, style_size=32,
                    style_iterations=2) as running:
        yield running


@pytest.fixture
def upload(stack, tmp_path, settle):
    """upload(gif, processing_command=None, on_output=None) -> (description, this execution's mails, key)."""
    def run(gif, processing_command=None, on_output=None):
        stack.runtime.processing_command, stack.runtime.on_processing_output = processing_command, on_output
        try:
            before = len(stack.mails())
            key = stack.upload_gif(gif, email="uploader@example.com", style="udnie",
                                   key=f"uploads/{tmp_path.name}/{gif.name}")
            description = settle(stack, stack.execution_for(key), timeout=300)
        finally:
            stack.runtime.processing_command, stack.runtime.on_processing_output = None, None
        return description, stack.mails()[before:], key
    return run


def assert_failed_readably(stack, description, mails, key, reason):
    assert (description["status"], description.get("error")) == ("FAILED", "StylizerFailed"), description
    assert reason in description["cause"]
    assert [m["To"] for m in mails] == ["uploader@example.com"] * 2
    assert "got your GIF" in mails[0]["Subject"] and "failed" in mails[1]["Subject"]
    assert reason in mails[1].get_body(("plain",)).get_content()
    s3 = stack.client("s3")
    assert s3.head_object(Bucket=stack.uploads_bucket, Key=key)["ContentLength"] > 0, "the upload is kept"
    assert not [k for k in stack.results(f"jobs/{description['name']}/") if k.endswith("stylized.gif")]


def test_processing_process_killed_mid_gif(stack, upload):
    killed = []

    def kill_the_container_on_frame_3(job, line):
        if killed or not line.startswith("PROGRESS") or '"frame": 2' not in line:
            return
        for child in psutil.Process().children(recursive=True):
            try:
                if "stylizer.process" in child.cmdline():
                    child.kill()  # SIGKILL: no handler runs, no message is written (as an OOM kill)
                    killed.append(child.pid)
            except psutil.Error:
                pass

    description, mails, key = upload(TINY_GIF, on_output=kill_the_container_on_frame_3)
    assert killed, "the container was not running when frame 3 was reported"
    assert_failed_readably(stack, description, mails, key,
                           "the container process was killed by SIGKILL before it finished (exit code 137)")


def test_disk_full_while_writing_the_result(stack, upload):
    description, mails, key = upload(TINY_GIF, [sys.executable, str(FAULTY_STYLIZER), "--fault", "disk-full"])
    assert_failed_readably(stack, description, mails, key,
                           "Stylizer failed: OSError: [Errno 28] No space left on device")


def test_stylizer_crash_on_frame_5_of_10(stack, upload, tmp_path):
    gif = make_gif(tmp_path / "ten.gif", frames=10, size=(24, 16))
    seen = []
    description, mails, key = upload(gif, [sys.executable, str(FAULTY_STYLIZER), "--fault", "crash-on-frame=5"],
                                     on_output=lambda job, line: seen.append(line))
    assert_failed_readably(stack, description, mails, key,
                           "Stylizer failed: RuntimeError: injected fault: the engine crashed on frame 5 of 10")
    assert any(line.startswith("PROGRESS") and '"frame": 3' in line for line in seen), "frames 1-4 ran first"
