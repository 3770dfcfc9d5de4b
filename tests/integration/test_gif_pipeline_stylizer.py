"""The happy path with the real stylizer (`python -m stylizer.process`) as the processing container: slow."""
from pathlib import Path

import pytest

from pipeline.local.stack import LocalStack

TINY_GIF = Path(__file__).parents[1] / "data" / "muybridge_tiny.gif"  # 30x20, 15 frames


@pytest.mark.slow
def test_real_stylizer_runs_as_the_processing_job(tmp_path, settle):
    frames = []
    with LocalStack(tmp_path, instant_retries=True, style_size=32, style_iterations=2,
                    on_processing_output=lambda job, line: frames.append(line)) as stack:
        key = stack.upload_gif(TINY_GIF, email="uploader@example.com", style="udnie")
        description = settle(stack, stack.execution_for(key), timeout=300)
        assert description["status"] == "SUCCEEDED", description
        result = stack.download_result(description["name"], tmp_path / "result.gif")
        assert result.read_bytes()[:6] in (b"GIF87a", b"GIF89a")
        assert {f"jobs/{description['name']}/{name}" for name in ("stylized.gif", "preview.png", "metrics.json")
                } <= set(stack.results())
        assert len(stack.mails()) == 2
    assert sum('"kind": "frame"' in line for line in frames) == 15
