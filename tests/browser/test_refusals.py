"""Refusals: each gets its message on the page and starts nothing (no upload, no execution, no paint request)."""
import pytest
from playwright.sync_api import expect

from .conftest import bucket_keys


@pytest.fixture
def nothing_started(site):
    """Asserts, after the test, that no object was written and no execution started."""
    buckets = (site.stack.uploads_bucket, site.image_mode.bucket)
    before = {bucket: set(bucket_keys(site, bucket)) for bucket in buckets}
    sfn = site.stack.client("stepfunctions")
    executions = len(sfn.list_executions(stateMachineArn=site.stack.state_machine_arn)["executions"])
    yield
    for bucket in buckets:
        assert set(bucket_keys(site, bucket)) == before[bucket], f"something was uploaded to {bucket}"
    assert len(sfn.list_executions(stateMachineArn=site.stack.state_machine_arn)["executions"]) == executions


@pytest.fixture(params=[{"width": 390, "height": 844}], ids=["phone"])
def viewport(request):
    return request.param


def test_file_that_is_not_an_image(page, files, nothing_started):
    page.click("#tab-gif")
    page.set_input_files("#gif-input", str(files["text"]))
    expect(page.locator("#gif-message")).to_have_text(
        "This file is not a GIF (it is not an image format we recognise).")
    page.fill("#email", "painter@example.com")
    page.click("#send")  # pressing on anyway repeats the refusal and uploads nothing
    expect(page.locator("#gif-message")).to_have_text(
        "This file is not a GIF (it is not an image format we recognise).")
    expect(page.locator("#upload-progress")).to_be_hidden()

    page.click("#tab-photo")
    page.set_input_files("#photo-input", str(files["text"]))
    expect(page.locator("#photo-message")).to_have_text(
        "This file is not a photo we can paint (it is not an image format we recognise); choose a PNG or JPEG.")
    page.click("#paint")
    expect(page.locator("#canvas")).to_be_hidden()


def test_gif_over_the_limits(page, files, nothing_started):
    page.click("#tab-gif")
    page.set_input_files("#gif-input", str(files["wide_gif"]))
    expect(page.locator("#gif-message")).to_have_text(
        "The GIF is 2000x20 pixels; the limit is 1024 pixels on the longest side.")
    page.fill("#email", "painter@example.com")
    page.click("#send")
    expect(page.locator("#gif-message")).to_contain_text("the limit is 1024 pixels")
    expect(page.locator("#upload-progress")).to_be_hidden()


def test_missing_email(page, files, nothing_started):
    page.click("#tab-gif")
    page.set_input_files("#gif-input", str(files["gif"]))
    expect(page.locator("#gif-facts")).to_contain_text("15 frames")
    page.click("#send")
    expect(page.locator("#gif-message")).to_have_text("Enter your email address: the painted GIF is sent there.")
    expect(page.locator("#upload-progress")).to_be_hidden()


def test_address_the_pipeline_would_refuse_is_refused_before_upload(page, files, nothing_started):
    page.click("#tab-gif")
    page.set_input_files("#gif-input", str(files["gif"]))
    expect(page.locator("#gif-facts")).to_contain_text("15 frames")
    page.fill("#email", "Ünïcode@exämple.com")
    page.click("#send")
    expect(page.locator("#gif-message")).to_contain_text("“Ünïcode@exämple.com” is not an email address we can send to")
    expect(page.locator("#upload-progress")).to_be_hidden()


def test_style_image_over_the_pixel_limit_is_refused_as_the_style_image(page, files, tmp_path, nothing_started):
    huge = tmp_path / "huge-style.png"
    huge.write_bytes(png_header(8000, 6000))  # 48 MP by its header; no pixel data needed to refuse it
    page.set_input_files(".own-input", str(huge))
    expect(page.locator(".own-error")).to_have_text(
        "The style image is 8000x6000 = 48.0 megapixels; the limit is 25 megapixels.")
    page.set_input_files("#photo-input", str(files["photo"]))
    page.click(".own-style input[type=radio]", force=True)
    page.click("#paint")
    expect(page.locator("#photo-message")).to_contain_text("own style image")
    expect(page.locator("#canvas")).to_be_hidden()


def png_header(width: int, height: int) -> bytes:
    import struct
    import zlib

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    return b"\x89PNG\r\n\x1a\n" + struct.pack(">I", len(ihdr)) + chunk + struct.pack(">I", zlib.crc32(chunk))
