"""publish_result: presigned links with the stated lifetime, a manifest next to the result, SecondsPerFrame."""
import json
import os
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import parse_qs, urlparse

os.environ.setdefault("POWERTOOLS_TRACE_DISABLED", "1")
os.environ.setdefault("POWERTOOLS_METRICS_NAMESPACE", "NeuralStyle")

import boto3
import pytest

from lambdas.publish_result import app
from lambdas.publish_result.config import get_config
from lambdas.publish_result.exceptions import ResultMissing
from lambdas.shared.models import PublishRequest

EVENT = json.loads((Path(__file__).resolve().parents[1] / "events" / "publish_result.json").read_text())
PREFIX = f"jobs/{EVENT['execution']}/"


def test_links_last_seven_days_and_manifest_is_written(results):
    results.put_object(Bucket="nst-results", Key=PREFIX + "stylized.gif", Body=b"GIF89a")
    results.put_object(Bucket="nst-results", Key=PREFIX + "preview.png", Body=b"\x89PNG")
    out = app.handler(EVENT, None)
    gif = urlparse(out["gif_url"])
    query = parse_qs(gif.query)
    assert gif.path.endswith(PREFIX + "stylized.gif") and query["X-Amz-Expires"] == ["604800"]
    assert query["response-content-type"] == ["image/gif"]
    assert urlparse(out["preview_url"]).path.endswith("preview.png")
    assert out["link_lifetime"] == "7 days" and out["result_uri"] == f"s3://nst-results/{PREFIX}stylized.gif"
    expires = datetime.fromisoformat(out["expires"])
    assert timedelta(days=6, hours=23) < expires - datetime.now(timezone.utc) <= timedelta(days=7)
    manifest = json.loads(results.get_object(Bucket="nst-results", Key=PREFIX + "result.json")["Body"].read())
    assert manifest == out
    assert results.get_object(Bucket="nst-results", Key=PREFIX + "stylized.gif")["Body"].read() == b"GIF89a"


def test_presigned_link_downloads_the_gif(results):
    results.put_object(Bucket="nst-results", Key=PREFIX + "stylized.gif", Body=b"GIF89a-result")
    import requests  # moto intercepts the presigned GET like any other S3 request

    out = app.handler(EVENT, None)
    assert out["preview_url"] == out["gif_url"]  # no preview.png: the GIF stands in
    assert requests.get(out["gif_url"], timeout=5).content == b"GIF89a-result"


def test_missing_result_is_an_error(results):
    with pytest.raises(ResultMissing, match="stylized.gif is missing"):
        app.handler(EVENT, None)


def test_shorter_ttl_is_stated(results, monkeypatch):
    monkeypatch.setenv("LINK_TTL_SECONDS", str(2 * 3600))
    get_config.cache_clear()
    results.put_object(Bucket="nst-results", Key=PREFIX + "stylized.gif", Body=b"GIF89a")
    out = app.handler(EVENT, None)
    assert out["link_lifetime"] == "2 hours" and "X-Amz-Expires=7200" in out["gif_url"]


def test_ttl_beyond_sigv4_limit_is_refused(monkeypatch):
    monkeypatch.setenv("RESULTS_BUCKET", "b")
    monkeypatch.setenv("LINK_TTL_SECONDS", str(8 * 86400))
    with pytest.raises(ValueError, match="LINK_TTL_SECONDS"):
        app.Config.from_env()


class FakeSageMaker:
    def describe_processing_job(self, ProcessingJobName):
        start = datetime(2026, 11, 2, 10, 0, tzinfo=timezone.utc)
        return {"ProcessingJobName": ProcessingJobName, "ProcessingStartTime": start,
                "ProcessingEndTime": start + timedelta(seconds=150)}


def test_seconds_per_frame_metric(capsys):
    # Powertools keeps metrics in storage shared by every Metrics instance of the process: start from none
    # (another test on this worker may have recorded SecondsPerFrame without flushing)
    app.metrics.clear_metrics()
    seconds = app.record_speed(FakeSageMaker(), PublishRequest(**EVENT))
    app.metrics.flush_metrics()
    assert seconds == 10.0
    blob = next(json.loads(l) for l in capsys.readouterr().out.splitlines() if "SecondsPerFrame" in l)
    assert blob["SecondsPerFrame"] == [10.0] and blob["instance_type"] == "ml.g4dn.xlarge"


def test_every_link_is_sigv4_on_the_regional_endpoint(results):
    results.put_object(Bucket="nst-results", Key=PREFIX + "stylized.gif", Body=b"GIF89a")
    results.put_object(Bucket="nst-results", Key=PREFIX + "preview.png", Body=b"\x89PNG")
    out = app.handler(EVENT, None)
    for url in (out["gif_url"], out["preview_url"]):
        parsed = urlparse(url)
        assert parse_qs(parsed.query)["X-Amz-Algorithm"] == ["AWS4-HMAC-SHA256"]
        assert parsed.hostname == "nst-results.s3.us-east-1.amazonaws.com"


def test_role_signed_links_promise_only_what_the_role_session_keeps(results, monkeypatch):
    """LinkSigner=role: a chained role session lasts an hour at most, so an asked-for 7 days becomes the
    session's own expiry (minus a minute), and the mail says so."""
    iam = boto3.client("iam")
    role = iam.create_role(RoleName="links", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
    monkeypatch.setenv("LINK_SIGNER_ROLE_ARN", role)
    get_config.cache_clear()
    results.put_object(Bucket="nst-results", Key=PREFIX + "stylized.gif", Body=b"GIF89a")
    out = app.handler(EVENT, None)
    query = parse_qs(urlparse(out["gif_url"]).query)
    assert "X-Amz-Security-Token" in query  # signed by the assumed session, not the function's own keys
    assert 3400 < int(query["X-Amz-Expires"][0]) <= 3600 - 60
    assert out["link_lifetime"] in ("58 minutes", "59 minutes")
    assert datetime.fromisoformat(out["expires"]) - datetime.now(timezone.utc) < timedelta(hours=1)


def test_session_credentials_of_unknown_expiry_are_trusted_for_an_hour(results, monkeypatch):
    monkeypatch.setenv("AWS_SESSION_TOKEN", "a-lambda-role-session")
    results.put_object(Bucket="nst-results", Key=PREFIX + "stylized.gif", Body=b"GIF89a")
    out = app.handler(EVENT, None)
    assert int(parse_qs(urlparse(out["gif_url"]).query)["X-Amz-Expires"][0]) <= 3600
    assert "minutes" in out["link_lifetime"]


def test_credentials_about_to_expire_are_refused():
    config = app.Config(results_bucket="b", link_ttl_seconds=3600, link_signer_secret_arn=None)
    now = datetime.now(timezone.utc)
    with pytest.raises(app.ShortLivedCredentials):
        app.link_lifetime(config, app.Signer(None, now + timedelta(seconds=90)), now)
    assert app.link_lifetime(config, app.Signer(None, None), now) == 3600
