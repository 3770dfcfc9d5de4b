"""Where the lint tools live: checkov and hadolint are in their own venv (.tools/, `make tools`), because
checkov pins a boto3 far older than the project's. Without them a test skips, unless NST_REQUIRE_TOOLS=1
(`make test` sets it), so CI cannot pass without having run them."""
import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def tool(name: str) -> str:
    found = ROOT / ".tools" / "bin" / name
    if found.is_file():
        return str(found)
    on_path = shutil.which(name)
    if on_path:
        return on_path
    if os.environ.get("NST_REQUIRE_TOOLS") == "1":
        pytest.fail(f"{name} is not installed: run `make tools`")
    pytest.skip(f"{name} is not installed (`make tools`; make test requires it)")
