"""GIF mode end to end: the page checks and uploads (with the visitor's file name), the pipeline paints and
reports frames through S3 (page and `nst executions`), the page shows the animated result, the emails name
the file and their link opens a page that shows the GIF animating with a download button."""
import re
import time
import urllib.request

from playwright.sync_api import expect

from .conftest import SCREENSHOTS, accessibility_violations, bucket_keys

EXECUTION_TIMEOUT_MS = 240_000  # a TensorFlow import and 15 toy frames on 2 shared CPU cores

# Every text #execution shows, so a progress line between two of the test's looks is not missed.
RECORD_TEXTS = """(node) => {
  window.executionTexts = [];
  new MutationObserver(() => window.executionTexts.push(node.textContent))
    .observe(node, { childList: true, characterData: true, subtree: true });
}"""


def test_uploaded_gif_is_painted_shown_and_mailed(page, site, files, browser):
    from pipeline.commands.executions import painting_progress

    page.click("#tab-gif")
    page.set_input_files("#gif-input", str(files["gif"]))
    expect(page.locator("#gif-facts")).to_have_text("15 frames, 1.5 s, 30x20 pixels, 9,828 bytes")
    page.fill("#email", "painter@example.com")
    page.click(".style-card:has(input[value=the_scream])")
    expect(page.locator("#gif-summary")).to_have_text("muybridge.gif in “The Scream”")
    page.locator("#execution").evaluate(RECORD_TEXTS)
    page.click("#send")

    expect(page.locator("#gif-message")).to_contain_text("Uploaded. An email to painter@example.com", timeout=30_000)
    expect(page.locator("#upload-progress")).to_have_attribute("value", "1")

    # Nothing is painted until the uploader presses the button on the page the first mail links to.
    expect(page.locator("#execution")).to_contain_text("confirm", timeout=60_000)
    executions = site.stack.client("stepfunctions").list_executions(stateMachineArn=site.stack.state_machine_arn)
    (execution,) = executions["executions"]
    from pipeline.local.confirm import confirm_link

    confirm_page = page.context.new_page()
    confirm_page.goto(confirm_link(site.stack.confirm_mail(execution["executionArn"], timeout=60)))
    expect(confirm_page.locator("h1")).to_have_text("Paint muybridge.gif in The Scream?")
    confirm_page.click("button[value=confirm]")
    expect(confirm_page.locator("h1")).to_have_text("Thank you: it is being painted")
    confirm_page.close()

    # While it paints, the operator's command line says the same as the page.
    sfn, s3 = site.stack.client("stepfunctions"), site.stack.client("s3")
    cli_lines = set()
    deadline = time.monotonic() + EXECUTION_TIMEOUT_MS / 1000
    while time.monotonic() < deadline and not page.locator("#gif-result").is_visible():
        running = sfn.list_executions(stateMachineArn=site.stack.state_machine_arn, statusFilter="RUNNING")
        for execution in running["executions"]:
            cli_lines.add(painting_progress(sfn, s3, execution["executionArn"]))
        page.wait_for_timeout(300)

    expect(page.locator("#execution")).to_have_text("Your GIF is painted: here it is (the email has the link too).")
    texts = page.evaluate("window.executionTexts")
    frame_line = r"(Pass \d+ of \d+, f|F)rame \d+ of 15(, about \d+ (s|minutes?) left)?"  # passes: the lead's engine
    assert any(re.fullmatch(frame_line, t) for t in texts), texts
    assert any(line and re.fullmatch(frame_line, line) for line in cli_lines), cli_lines

    # The animated result on the page, with a download named after the visitor's file.
    painted = page.locator("#gif-painting")
    expect(painted).to_be_visible()
    assert painted.evaluate("img => img.complete && img.naturalWidth") == 30
    href = page.get_attribute("#gif-download", "href")
    with urllib.request.urlopen(href, timeout=10) as response:
        assert response.read(6) == b"GIF89a"
        assert 'filename="muybridge-the-scream.gif"' in response.headers.get("Content-Disposition", "")

    # The upload: under the visitor's identity, with the metadata validate_upload reads.
    keys = [k for k in bucket_keys(site, site.stack.uploads_bucket) if k.startswith("uploads/")]
    assert len(keys) == 1 and re.fullmatch(r"uploads/us-east-1:[0-9a-f-]{36}/[0-9a-f-]{36}\.gif", keys[0]), keys
    head = s3.head_object(Bucket=site.stack.uploads_bucket, Key=keys[0])
    assert head["Metadata"] == {"email": "painter@example.com", "style": "the_scream", "filename": "muybridge.gif"}

    # The emails name the visitor's file; the link opens a page showing the GIF animating, with a download.
    mails = site.stack.mails()
    assert [m["To"] for m in mails] == ["painter@example.com"] * 2, [m["Subject"] for m in mails]
    assert [m["Subject"] for m in mails] == ["We got your GIF: muybridge.gif. Confirm to paint it",
                                            "Your stylised GIF is ready: muybridge.gif"]
    text = mails[-1].get_body(("plain",)).get_content()
    assert "muybridge.gif" in text
    link = re.search(r"See it and download it: (\S+)", text).group(1)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "gif-result-on-the-page.png"), full_page=True)
    assert accessibility_violations(page) == []  # the page with the painted GIF
    # The mail's page forbids scripts (CSP): the axe check needs a context that may bypass that.
    mail_context = browser.new_context(bypass_csp=True)
    page = mail_context.new_page()
    page.goto(link)
    result = page.locator("img")
    expect(result).to_be_visible()
    assert result.evaluate("img => img.complete && img.naturalWidth") == 30
    download = page.locator("a[download]")
    expect(download).to_have_text(re.compile("Download"))
    with urllib.request.urlopen(download.get_attribute("href"), timeout=10) as response:
        gif = response.read()
    assert gif[:6] == b"GIF89a" and gif.count(b"\x2c\x00\x00\x00\x00") >= 1
    assert accessibility_violations(page) == []  # the mail's result page
    page.screenshot(path=str(SCREENSHOTS / "gif-result-page-from-the-mail.png"), full_page=True)
    mail_context.close()
