"""A real IAM policy evaluator for the tests here: @cloud-copilot/iam-simulate (npm, pinned in package-lock.json),
installed on first use with `npm ci` (one installer at a time across xdist workers), run by evaluate.mjs."""
import fcntl
import json
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
LIBRARY = HERE / "node_modules" / "@cloud-copilot" / "iam-simulate"


def install() -> None:
    with open(Path(tempfile.gettempdir()) / "nst-policy-tests-npm.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not LIBRARY.is_dir():
            if shutil.which("npm") is None:
                pytest.fail("npm is needed for the IAM policy evaluator (tests/policies/package.json)")
            subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=HERE, check=True,
                           timeout=600)


@pytest.fixture(scope="session")
def evaluate():
    """evaluate(cases) -> [{decision, errors, ignoredContextKeys}] (see evaluate.mjs)."""
    install()

    def run(cases: list[dict]) -> list[dict]:
        done = subprocess.run(["node", str(HERE / "evaluate.mjs")], input=json.dumps(cases), capture_output=True,
                              text=True, timeout=120, cwd=HERE)
        if done.returncode != 0:
            raise RuntimeError(f"evaluate.mjs failed: {done.stderr.strip()[-2000:]}")
        return json.loads(done.stdout)
    return run
