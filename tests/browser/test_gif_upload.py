"""GIF mode end to end: the page checks and uploads, the pipeline paints, the email's link serves the GIF."""
import re
import urllib.request

from playwright.sync_api import expect

from .conftest import bucket_keys

EXECUTION_TIMEOUT_MS = 240_000  # a TensorFlow import and 15 toy frames on 2 shared CPU cores


def test_uploaded_gif_is_painted_and_mailed(page, site, files):
    page.click("#tab-gif")
    page.set_input_files("#gif-input", str(files["gif"]))
    expect(page.locator("#gif-facts")).to_have_text("15 frames, 1.5 s, 30x20 pixels, 9,828 bytes")
    page.fill("#email", "painter@example.com")
    page.click(".style-card:has(input[value=the_scream])")
    page.click("#send")

    expect(page.locator("#gif-message")).to_contain_text("Uploaded. An email to painter@example.com", timeout=30_000)
    expect(page.locator("#upload-progress")).to_have_attribute("value", "1")
    expect(page.locator("#execution")).to_have_text("The pipeline has finished: check your email.",
                                                    timeout=EXECUTION_TIMEOUT_MS)

    # The upload: under the visitor's identity, with the metadata validate_upload reads.
    keys = [k for k in bucket_keys(site, site.stack.uploads_bucket) if k.startswith("uploads/")]
    assert len(keys) == 1 and re.fullmatch(r"uploads/us-east-1:[0-9a-f-]{36}/[0-9a-f-]{36}\.gif", keys[0]), keys
    head = site.stack.client("s3").head_object(Bucket=site.stack.uploads_bucket, Key=keys[0])
    assert head["Metadata"] == {"email": "painter@example.com", "style": "the_scream"}

    mails = site.stack.mails()
    assert [m["To"] for m in mails] == ["painter@example.com"] * 2, [m["Subject"] for m in mails]
    text = mails[-1].get_body(("plain",)).get_content()
    link = re.search(r"Download it: (\S+)", text).group(1)
    with urllib.request.urlopen(link, timeout=10) as response:
        painted = response.read()
    assert painted[:6] == b"GIF89a"
    assert painted.count(b"\x2c\x00\x00\x00\x00") >= 1  # at least one image descriptor at the origin
