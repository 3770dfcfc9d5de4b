"""The image's entrypoints exist and start: what the Dockerfile, the ASL and SageMaker hosting invoke."""
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.workflow import ASL_PATH

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "containers" / "stylizer" / "Dockerfile"
PACKAGE = ROOT / "containers" / "stylizer" / "stylizer"


def _instruction(name: str) -> list[str]:
    (line,) = [l for l in DOCKERFILE.read_text().splitlines() if re.match(rf"{name}\s", l)]
    return json.loads(line.split(None, 1)[1])


def test_dockerfile_entrypoint_is_the_package_main():
    assert _instruction("ENTRYPOINT") == ["python3", "-m", "stylizer"]
    assert (PACKAGE / "__main__.py").is_file()
    assert _instruction("CMD") == ["serve"]  # SageMaker hosting passes `serve` too
    main = (PACKAGE / "__main__.py").read_text()
    assert '"process"' in main and '"serve"' in main


def test_processing_entrypoint_in_the_definition_is_a_module():
    text = ASL_PATH.read_text(encoding="utf-8")
    entrypoint = json.loads(text)["States"]["StylizeGif"]["Parameters"]["AppSpecification"]["ContainerEntrypoint"]
    assert entrypoint[:2] == ["python3", "-m"]
    assert (PACKAGE / (entrypoint[2].split(".", 1)[1] + ".py")).is_file()


@pytest.mark.parametrize("argv", [["-m", "stylizer.process", "--help"], ["-m", "stylizer.serve", "--help"],
                                  ["-m", "stylizer", "serve", "--help"]])
def test_help_runs(argv):
    result = subprocess.run([sys.executable, *argv], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "usage:" in result.stdout
