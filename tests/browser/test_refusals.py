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


def shown_once(page, text):
    """The sentence appears in exactly one element of the page, and that one is visible."""
    count = page.evaluate("""(text) => [...document.querySelectorAll('body *')].filter((el) =>
        [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.includes(text))).length""", text)
    assert count == 1, f"{text!r} is shown {count} times"


def test_file_that_is_not_an_image(page, files, nothing_started):
    refusal = "This file is not a GIF (it is not an image format we recognise)."
    page.click("#tab-gif")
    page.set_input_files("#gif-input", str(files["text"]))
    expect(page.locator("#gif-facts")).to_have_text(refusal)
    page.fill("#email", "painter@example.com")
    page.click("#send")  # pressing on anyway repeats the refusal, next to the file, and uploads nothing
    expect(page.locator("#gif-facts")).to_have_text(refusal)
    shown_once(page, refusal)
    expect(page.locator("#upload-progress")).to_be_hidden()

    page.click("#tab-photo")
    page.set_input_files("#photo-input", str(files["photo"]))
    expect(page.locator("#photo-chosen")).to_be_visible()
    page.set_input_files("#photo-input", str(files["text"]))
    refusal = "This file is not a photo we can paint (it is not an image format we recognise); choose a PNG or JPEG."
    expect(page.locator("#photo-facts")).to_have_text(refusal)
    expect(page.locator("#photo-chosen")).to_be_hidden()  # the earlier photo does not stay in the drop zone
    expect(page.locator("#photo-summary")).to_have_text("Choose a photo and a style.")
    page.click("#paint")
    expect(page.locator("#photo-facts")).to_have_text(refusal)
    shown_once(page, refusal)
    expect(page.locator("#canvas")).to_be_hidden()


def test_gif_over_the_limits(page, files, nothing_started):
    page.click("#tab-gif")
    page.set_input_files("#gif-input", str(files["wide_gif"]))
    refusal = "The GIF is 2000x20 pixels; the limit is 1024 pixels on the longest side."
    expect(page.locator("#gif-facts")).to_have_text(refusal)
    page.fill("#email", "painter@example.com")
    page.click("#send")
    shown_once(page, refusal)
    expect(page.locator("#upload-progress")).to_be_hidden()


def test_missing_email(page, files, nothing_started):
    page.click("#tab-gif")
    page.set_input_files("#gif-input", str(files["gif"]))
    expect(page.locator("#gif-facts")).to_contain_text("15 frames")
    page.click("#send")
    expect(page.locator("#email-error")).to_have_text("Enter your email address: the painted GIF is sent there.")
    expect(page.locator("#email")).to_be_focused()
    expect(page.locator("#gif-message")).to_have_text("")
    expect(page.locator("#upload-progress")).to_be_hidden()


def test_address_the_pipeline_would_refuse_is_refused_before_upload(page, files, nothing_started):
    page.click("#tab-gif")
    page.set_input_files("#gif-input", str(files["gif"]))
    expect(page.locator("#gif-facts")).to_contain_text("15 frames")
    page.fill("#email", "Ünïcode@exämple.com")
    page.click("#send")
    expect(page.locator("#email-error")).to_contain_text("“Ünïcode@exämple.com” is not an email address we can send to")
    expect(page.locator("#upload-progress")).to_be_hidden()


def test_style_image_over_the_pixel_limit_is_refused_as_the_style_image(page, files, tmp_path, nothing_started):
    huge = tmp_path / "huge-style.png"
    huge.write_bytes(png_header(8000, 6000))  # 48 MP by its header; no pixel data needed to refuse it
    page.set_input_files(".own-input", str(huge))
    refusal = "The style image is 8000x6000 = 48.0 megapixels; the limit is 25 megapixels."
    expect(page.locator(".own-error")).to_have_text(refusal)
    shown_once(page, refusal)
    expect(page.locator(".own-style input[type=radio]")).not_to_be_checked()  # the refused image is not used
    expect(page.locator(".own-style img")).to_be_hidden()


def test_own_style_card_can_be_chosen_again(page, files):
    page.set_input_files(".own-input", str(files["photo"]))
    expect(page.locator(".own-style input[type=radio]")).to_be_checked()
    expect(page.locator(".own-style img")).to_be_visible()
    page.click(".style-card:has(input[value=great_wave])")
    expect(page.locator(".own-style input[type=radio]")).not_to_be_checked()
    page.click(".own-select")  # selects the image already chosen; no file chooser this time
    expect(page.locator(".own-style input[type=radio]")).to_be_checked()
    page.keyboard.press("Tab")


def png_header(width: int, height: int) -> bytes:
    import struct
    import zlib

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    return b"\x89PNG\r\n\x1a\n" + struct.pack(">I", len(ihdr)) + chunk + struct.pack(">I", zlib.crc32(chunk))


def test_on_a_phone_the_paint_button_photo_and_style_stay_in_reach(page, files):
    page.set_input_files("#photo-input", str(files["photo"]))
    page.click(".style-card:has(input[value=the_scream])")
    in_view = """(el) => { const box = el.getBoundingClientRect();
        return box.top >= 0 && box.bottom <= window.innerHeight && box.width > 0; }"""
    for selector in ("#paint", "#bar-photo", "#bar-style"):
        assert page.locator(selector).evaluate(in_view), f"{selector} is off screen"
    expect(page.locator("#photo-summary")).to_have_text("photo.png in “The Scream”")
    # The gallery is one strip: the whole page is not much taller than two screens.
    assert page.evaluate("document.documentElement.scrollHeight") < 3 * 844
    page.locator("#photo-drop").scroll_into_view_if_needed()
    assert page.locator("#paint").evaluate(in_view)
