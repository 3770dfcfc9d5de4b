"""validate_upload: each defect → the right exception class (the state machine's error name) and a message
an uploader can act on; a good upload → the facts and job arguments the later states use."""
import json
import os
from pathlib import Path

os.environ.setdefault("POWERTOOLS_TRACE_DISABLED", "1")
os.environ.setdefault("POWERTOOLS_METRICS_NAMESPACE", "NeuralStyle")

import boto3
import pytest
from moto import mock_aws

from lambdas.validate_upload import app
from lambdas.validate_upload.config import get_config
from lambdas.validate_upload.exceptions import (REJECTIONS, GifTooLarge, InvalidEmail, InvalidGif, InvalidSettings,
                                                InvalidStyleImage, InvalidUpload, UnknownStyle, UploadMissing)

TESTS = Path(__file__).resolve().parents[1]
GIF = (TESTS / "data" / "muybridge_tiny.gif").read_bytes()  # 30x20, 15 frames, 1.5 s
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
BUCKET = "nst-uploads"
KEY = "uploads/horse in motion.gif"


@pytest.fixture
def s3(monkeypatch):
    for name, value in {"AWS_DEFAULT_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "testing",
                        "AWS_SECRET_ACCESS_KEY": "testing"}.items():
        monkeypatch.setenv(name, value)
    for name in ("NST_MAX_FRAMES", "NST_MAX_DURATION_MS", "NST_MAX_SIDE", "NST_MAX_BYTES"):
        monkeypatch.delenv(name, raising=False)
    get_config.cache_clear()
    with mock_aws():
        client = boto3.client("s3")
        client.create_bucket(Bucket=BUCKET)
        yield client
    get_config.cache_clear()


def upload(s3, body=GIF, key=KEY, **metadata):
    metadata = {"email": "rider@example.com", "style": "starry_night", **metadata}
    s3.put_object(Bucket=BUCKET, Key=key, Body=body,
                  Metadata={k: v for k, v in metadata.items() if v is not None})


def validate(**changes):
    event = json.loads((TESTS / "events" / "validate_upload.json").read_text())
    event.update(changes)
    return app.handler(event, None)


def rejected(error_class, match):
    return pytest.raises(error_class, match=match)


def test_good_upload(s3):
    upload(s3)
    result = validate()
    assert {k: result[k] for k in ("email", "file", "style", "width", "height", "frames", "duration_ms", "bytes")} \
        == {"email": "rider@example.com", "file": "horse in motion.gif", "style": "starry_night", "width": 30,
            "height": 20, "frames": 15, "duration_ms": 1500, "bytes": len(GIF)}
    assert result["style_credit"] == "Vincent van Gogh, The Starry Night (1889)"
    assert result["gif_uri"] == f"s3://{BUCKET}/{KEY}" == result["style_uri"]
    assert result["arguments"] == ["--size", "256", "--iterations", "40", "--style", "starry_night"]
    assert result["job_name_prefix"].startswith("nst-horse-in-motion")
    assert result["estimate_seconds"] > 15 and result["estimate"].startswith("about ")
    json.dumps(result)  # JSON-plain: moto's DescribeExecution cannot serialise anything else


def test_uploaded_style_image(s3):
    upload(s3, style="upload:styles/mine.png")
    s3.put_object(Bucket=BUCKET, Key="styles/mine.png", Body=PNG)
    result = validate()
    assert result["style"] == "upload" and result["style_uri"] == f"s3://{BUCKET}/styles/mine.png"
    assert "--style" not in result["arguments"]  # process.py then reads the `style` channel


@pytest.mark.parametrize("style, error, match", [
    ("upload:styles/absent.png", InvalidStyleImage, "does not exist"),
    ("upload:uploads/other.gif", UnknownStyle, "must be under styles/"),
    ("upload:styles/../uploads/x.png", UnknownStyle, "must be under styles/"),
    ("upload:styles/fake.png", InvalidStyleImage, "must be a PNG or JPEG; it is GIF"),
])
def test_bad_uploaded_style(s3, style, error, match):
    upload(s3, style=style)
    s3.put_object(Bucket=BUCKET, Key="styles/fake.png", Body=GIF)
    with rejected(error, match):
        validate()


OWNER, OTHER = "us-east-1:11111111-2222-3333-4444-555555555555", "us-east-1:99999999-8888-7777-6666-555555555555"


def test_an_uploaded_style_must_be_under_the_same_identity_as_the_gif(s3):
    """The page writes uploads/<identity>/x.gif and styles/<identity>/y.png; another visitor's style image
    (readable by the pipeline, not by them) must not be usable by naming its key."""
    gif_key = f"uploads/{OWNER}/cat.gif"
    for owner in (OWNER, OTHER):
        s3.put_object(Bucket=BUCKET, Key=f"styles/{owner}/mine.png", Body=PNG)
    upload(s3, key=gif_key, style=f"upload:styles/{OWNER}/mine.png")
    assert validate(key=gif_key)["style_uri"] == f"s3://{BUCKET}/styles/{OWNER}/mine.png"
    for foreign in (f"styles/{OTHER}/mine.png", "styles/mine.png", f"styles/{OWNER}x/mine.png"):
        upload(s3, key=gif_key, style=f"upload:{foreign}")
        with rejected(UnknownStyle, "not one of your own uploads"):
            validate(key=gif_key)


def test_not_a_gif(s3):
    upload(s3, body=PNG)
    with rejected(InvalidGif, "not a GIF.*PNG"):
        validate()


def test_truncated(s3):
    upload(s3, body=GIF[: len(GIF) // 2])
    with rejected(InvalidGif, "truncated"):
        validate()


@pytest.mark.parametrize("env, match", [
    ({"NST_MAX_FRAMES": "10"}, "frames; the limit is 10"),
    ({"NST_MAX_DURATION_MS": "1000"}, "lasts .*the limit is 1 s"),
    ({"NST_MAX_SIDE": "16"}, "30x20 pixels; the limit is 16 pixels"),
    ({"NST_MAX_BYTES": "5000"}, "the limit is 5,000 bytes"),
])
def test_over_a_limit(s3, monkeypatch, env, match):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    get_config.cache_clear()
    upload(s3)
    with rejected(GifTooLarge, match):
        validate()


def test_unknown_style_lists_the_catalogue(s3):
    upload(s3, style="picasso")
    with rejected(UnknownStyle, "Unknown style 'picasso'. Choose one of: .*starry_night"):
        validate()


def test_missing_style(s3):
    upload(s3, style=None)
    with rejected(UnknownStyle, "No style was chosen"):
        validate()


@pytest.mark.parametrize("email, match", [
    (None, "no e-mail address"), ("not-an-address", "not a valid e-mail address"),
    ("a@b", "not a valid"), ("x@example.com, all@example.com", "not a valid")])
def test_missing_or_malformed_email(s3, email, match):
    upload(s3, email=email)
    with rejected(InvalidEmail, match):
        validate()


def test_missing_object(s3):
    with rejected(UploadMissing, "does not exist"):
        validate()


def test_settings_out_of_range(s3):
    upload(s3)
    with rejected(InvalidSettings, "Size 5000 px is outside"):
        validate(settings={"size": 5000, "iterations": 100})


def test_every_rejection_is_an_invalid_upload():
    assert all(issubclass(cls, InvalidUpload) and cls is not InvalidUpload for cls in REJECTIONS)
    assert len({cls.__name__ for cls in REJECTIONS}) == len(REJECTIONS)


def test_rejection_emits_a_metric_with_the_reason(s3, capsys):
    upload(s3, body=PNG)
    with pytest.raises(InvalidGif):
        validate()
    blobs = [json.loads(line) for line in capsys.readouterr().out.splitlines() if '"_aws"' in line]
    assert any(b.get("reason") == "InvalidGif" and b.get("Rejections") == [1.0] for b in blobs)


def test_estimate_grows_with_the_painting_pixels():
    """A frame painted at the product's size costs the instance type's seconds per 100 steps; a larger
    size, a strip lengthened to VGG's 16 px (a 1024x1 strip is painted at 16384x16: 4x a 256 px square's
    pixels) or a large GIF's steps at its own size cost in proportion to their pixels."""
    from lambdas.validate_upload.config import STARTUP_SECONDS, Config

    config = Config(limits=get_config().limits, seconds_per_frame={"ml.g4dn.xlarge": 9.0})

    def per_frame_step(shape, size):
        return (config.estimate_seconds("ml.g4dn.xlarge", 100, 100, shape, size) - STARTUP_SECONDS) / 100

    assert per_frame_step((120, 180), 256) == pytest.approx(9.0)
    assert per_frame_step((256, 256), 256) == pytest.approx(9.0)
    assert per_frame_step((60, 90), 128) == pytest.approx(9.0)  # smaller paintings keep the floor
    assert per_frame_step((512, 512), 512) == pytest.approx(36.0)
    assert per_frame_step((1, 1024), 256) == pytest.approx(36.0)
    # a 480x320 GIF: 96 steps at 256 px, its last 4 at its own 480 px (2.34x the pixels)
    assert per_frame_step((320, 480), 256) == pytest.approx(9.0 * (96 + 4 * 480 * 320 / 256 ** 2) / 100, abs=0.01)
