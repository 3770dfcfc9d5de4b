"""One email rule for the page and the pipeline: config.json carries addresses.page_rule(), and the page's
checkEmail (frontend/src/gifmode.js, run in Node) accepts exactly the addresses validate_upload accepts."""
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from lambdas.shared.addresses import address_problem, page_rule

FRONTEND = Path(__file__).resolve().parents[2] / "frontend"
SAMPLES = ["painter@example.com", " painter@example.com ", "Ünïcode@exämple.com", "ünicode@example.com",
           "first.last+tag@sub.example.co.uk", "no-at-sign.example.com", "two@@example.com", "a@b", "a@b.c",
           "space in@example.com", "x@-bad.example.com", "x@example.com\nBcc: y@example.com", "o'brien@example.ie",
           "a" * 250 + "@example.com", ""]

CHECK_IN_NODE = """
import { checkEmail } from './src/gifmode.js';
const { rule, samples } = JSON.parse(process.argv[1]);
console.log(JSON.stringify(samples.map((address) => checkEmail(address, rule) === null)));
"""


def test_page_config_carries_the_pipelines_rule():
    from pipeline.local.web import page_config

    config = page_config(region="us-east-1", identity_pool_id="p", uploads_bucket="u", results_bucket="r",
                         images_bucket="i", paint_url="http://x/paint")
    assert config["email"] == page_rule()


@pytest.mark.skipif(shutil.which("node") is None or not (FRONTEND / "node_modules").is_dir(),
                    reason="needs Node.js and frontend/node_modules (npm ci in frontend/)")
def test_page_and_pipeline_accept_the_same_addresses():
    payload = json.dumps({"rule": page_rule(), "samples": SAMPLES})
    result = subprocess.run(["node", "--input-type=module", "-e", CHECK_IN_NODE, payload], cwd=FRONTEND,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    page = json.loads(result.stdout)
    pipeline = [address_problem(address) is None for address in SAMPLES]
    assert page == pipeline, [(a, p, q) for a, p, q in zip(SAMPLES, page, pipeline) if p != q]
    assert page[SAMPLES.index("Ünïcode@exämple.com")] is False
