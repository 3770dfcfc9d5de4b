"""checkov on the rendered template and hadolint on the Dockerfile: nothing failed, and every finding we
accept carries its reason in the template (pipeline/deploy/accepted_findings.py) and still matches one."""
import json
import subprocess

import pytest

from deploy_tools import ROOT, tool
from pipeline.deploy import accepted_findings, template

pytestmark = pytest.mark.xdist_group("lint_tools")  # checkov takes ~1 GB and a core for ~40 s


@pytest.fixture(scope="module")
def checkov(tmp_path_factory):
    path = tmp_path_factory.mktemp("checkov") / "template.json"
    built = template.build()
    path.write_text(template.render(built))
    # CKV2_AWS_75 (no open CORS on a function URL) is run by test_no_function_url_allows_any_origin below:
    # checkov 3.3.30's JSON report crashes on it for a URL without Cors (the confirm link's: TypeError,
    # keys must be str ... not tuple), while its text report passes it.
    result = subprocess.run([tool("checkov"), "-f", str(path), "--framework", "cloudformation",
                             "--compact", "-o", "json", "--skip-download", "--skip-check", "CKV2_AWS_75"],
                            capture_output=True, text=True,
                            timeout=600, env={"PATH": "/usr/bin:/bin", "HOME": str(path.parent),
                                              "BC_SKIP_MAPPING": "TRUE"})
    assert result.stdout.startswith("{"), result.stderr[-2000:]
    report = json.loads(result.stdout)
    return built, report["results"]


def test_no_function_url_allows_any_origin():
    """CKV2_AWS_75's rule, checked here: no function URL's CORS allows every origin or every method."""
    urls = {name: resource["Properties"] for name, resource in template.build()["Resources"].items()
            if resource["Type"] == "AWS::Lambda::Url"}
    assert {"PaintRequestUrl", "ConfirmUploadUrl"} <= set(urls)
    for name, properties in urls.items():
        cors = properties.get("Cors", {})
        assert "*" not in json.dumps(cors.get("AllowOrigins", [])), name
        assert "*" not in cors.get("AllowMethods", []), name


def test_checkov_finds_nothing_we_have_not_accepted(checkov):
    _, results = checkov
    assert [(c["check_id"], c["resource"], c["check_name"]) for c in results["failed_checks"]] == []


def test_every_accepted_finding_has_a_reason_and_still_matches(checkov):
    built, results = checkov
    declared = {(name, skip["id"]) for name, resource in built["Resources"].items()
                for skip in resource.get("Metadata", {}).get("checkov", {}).get("skip", [])
                if len(skip["comment"]) > 40}
    used = {(c["resource"].split(".")[-1], c["check_id"]) for c in results["skipped_checks"]}
    assert declared == used  # no excuse without a reason, none left over after a fix
    assert declared  # guards the test: skips are read at all


def test_the_fixes_checkov_asked_for_are_there(checkov):
    built, _ = checkov
    resources = built["Resources"]
    viewer = resources["Distribution"]["Properties"]["DistributionConfig"]["ViewerCertificate"]["Fn::If"]
    assert viewer[0] == "HasPageDomain" and viewer[1]["MinimumProtocolVersion"] == "TLSv1.2_2021"
    assert resources["StartExecutionFunction"]["Properties"]["DeadLetterConfig"] == {
        "TargetArn": {"Fn::GetAtt": ["UploadEventsDeadLetters", "Arn"]}}
    assert "HasFunctionConcurrency" in json.dumps(resources["PaintRequestFunction"]["Properties"])
    assert set(accepted_findings.BY_ID) <= set(resources)


def test_hadolint_passes_the_dockerfile():
    result = subprocess.run([tool("hadolint"), "--no-color", str(ROOT / "containers" / "stylizer" / "Dockerfile")],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_hadolint_would_catch_a_bad_dockerfile(tmp_path):
    """Guards the test above: an unpinned, cached pip install is what hadolint refuses."""
    bad = tmp_path / "Dockerfile"
    bad.write_text("FROM python:latest\nRUN pip install flask\n")
    result = subprocess.run([tool("hadolint"), "--no-color", str(bad)], capture_output=True, text=True, timeout=60)
    assert result.returncode != 0 and "DL3007" in result.stdout
