"""Photo mode end to end: downscaled upload with its bar, the signed paint request, previews forming live with
a progress bar in % and time left, the final painting with its size, before/after, download name, sharing, and
a request that survives a reload."""
import io
import re
import time

from playwright.sync_api import expect

from .conftest import PHOTO_OPTIONS, accessibility_violations, bucket_keys

PAINT_TIMEOUT_S = 180  # the endpoint's model warms up (TensorFlow, VGG19) before the first step

# In the page, before painting starts: fingerprint the bytes behind every src the <img> gets while "forming"
# (a preview), so no preview is missed between the test's own looks; and note whether the painting was in
# the viewport when the first preview arrived.
RECORD_PREVIEWS = """(img) => {
  window.previewFingerprints = [];
  window.previewInView = null;
  new MutationObserver(async () => {
    if (!img.classList.contains('forming') || !img.src) return;
    const bytes = new Uint8Array(await (await fetch(img.src)).arrayBuffer());
    let hash = 0;
    for (const b of bytes) hash = (hash * 31 + b) >>> 0;
    window.previewFingerprints.push(`${bytes.length}:${hash}`);
    if (window.previewInView === null) {
      await new Promise((resolve) => setTimeout(resolve, 900)); // the smooth scroll
      const box = document.getElementById('canvas').getBoundingClientRect();
      window.previewInView = box.top >= 0 && box.top < window.innerHeight - 60;
    }
  }).observe(img, { attributes: true, attributeFilter: ['src'] });
}"""

# A browser with the Web Share API for files (phones): records what the page hands to the share sheet.
FAKE_SHARE = """
navigator.canShare = (data) => Boolean(data && data.files && data.files.length);
navigator.share = async (data) => {
  window.shared = { title: data.title, names: data.files.map((f) => f.name), types: data.files.map((f) => f.type),
                    sizes: data.files.map((f) => f.size) };
};
"""


def big_photo(tmp_path, width=480, height=320):
    """A photo ten times the painted size: the page must send it at the painted size."""
    from PIL import Image

    from .conftest import ROOT

    path = tmp_path / "chelsea.png"
    Image.open(ROOT / "demo" / "chelsea.png").convert("RGB").resize((width, height)).save(path)
    return path


def wait_for_painting(page, seen_progress=None):
    deadline = time.monotonic() + PAINT_TIMEOUT_S
    download = page.locator("#download")
    while time.monotonic() < deadline and not download.is_visible():
        assert "error" not in (page.get_attribute("#photo-message", "class") or ""), page.inner_text("#photo-message")
        if seen_progress is not None and page.locator("#paint-progress").is_visible():
            seen_progress.add(page.inner_text("#iteration"))
        page.wait_for_timeout(150)
    expect(download).to_be_visible()


def test_photo_is_downscaled_painted_live_and_offered(page, site, files, tmp_path):
    page.add_init_script(FAKE_SHARE)
    page.reload()
    page.wait_for_selector("body[data-ready=true]")
    page.set_input_files("#photo-input", str(big_photo(tmp_path)))
    expect(page.locator("#photo-chosen")).to_be_visible()
    page.click(".style-card:has(input[value=starry_night])")
    expect(page.locator("#photo-summary")).to_have_text("chelsea.png in “The Starry Night”")
    page.locator("#painting").evaluate(RECORD_PREVIEWS)
    before = set(bucket_keys(site, site.image_mode.bucket))
    page.click("#paint")

    progress = set()
    wait_for_painting(page, progress)
    expect(page.locator("#photo-message")).to_have_text("Done. Here is your painting.")
    assert page.get_attribute("#photo-upload-bar", "value") == "1"

    # The upload was the photo at the painted size (48 px here), not the 480x320 original.
    from PIL import Image

    uploaded = [k for k in set(bucket_keys(site, site.image_mode.bucket)) - before if k.startswith("uploads/photos/")]
    assert len(uploaded) == 1, uploaded
    body = site.stack.client("s3").get_object(Bucket=site.image_mode.bucket, Key=uploaded[0])["Body"].read()
    assert Image.open(io.BytesIO(body)).size == (48, 32)

    previews = page.evaluate("window.previewFingerprints")
    assert len(set(previews)) >= 2, f"the previews did not change: {previews}"
    assert page.evaluate("window.previewInView") is True, "the live preview was not scrolled into view"
    assert any(re.fullmatch(r"\d{1,3} % · about \d+ s left", text) for text in progress), progress

    # The result: its size said, the endpoint's PNG at the size asked for, named after photo and style.
    size = page.locator("#painting").evaluate("img => [img.naturalWidth, img.naturalHeight]")
    assert max(size) == PHOTO_OPTIONS["size"], size
    expect(page.locator("#result-facts")).to_contain_text(f"{size[0]}×{size[1]} pixels")
    assert page.get_attribute("#download", "download") == "chelsea-starry-night.png"

    # Before/after: at 0 the painting is cut away entirely, showing the photo.
    expect(page.locator("#original")).to_be_visible()
    page.locator("#compare-slider").fill("0")
    assert page.locator("#compare").evaluate("el => el.style.getPropertyValue('--split')") == "0%"
    clip = page.locator("#painting").evaluate("img => getComputedStyle(img).clipPath")
    assert "100%" in clip, clip
    page.locator("#compare-slider").fill("50")

    # Web Share where the browser has it: the PNG under its name.
    expect(page.locator("#share")).to_be_visible()
    page.click("#share")
    shared = page.evaluate("window.shared")
    assert shared["names"] == ["chelsea-starry-night.png"] and shared["types"] == ["image/png"], shared
    assert accessibility_violations(page) == []  # the painted state
    assert page.console_errors == []


def test_no_share_button_without_web_share(page, site):
    assert page.evaluate("typeof navigator.canShare") == "undefined"  # desktop Chromium on Linux
    expect(page.locator("#share")).to_be_hidden()


def test_reload_resumes_the_request_and_a_second_one_says_the_painter_is_busy(page, site, files):
    page.set_input_files("#photo-input", str(files["photo"]))
    page.click(".style-card:has(input[value=udnie])")
    page.click("#paint")
    page.wait_for_url(re.compile(r"\?painting="), timeout=60_000)
    first = page.url
    page.reload()  # mid-painting
    page.wait_for_selector("body[data-ready=true]")
    expect(page.locator("#photo-message")).not_to_have_text("")
    assert page.url == first
    wait_for_painting(page)
    expect(page.locator("#photo-message")).to_have_text("Done. Here is your painting.")
    assert page.get_attribute("#download", "download") == "photo-udnie.png"
    expect(page.locator("#original")).to_be_attached()

    # Reloading a finished request shows its painting again.
    page.reload()
    page.wait_for_selector("body[data-ready=true]")
    wait_for_painting(page)

    # Two requests in a row: the second waits for the first, and the page says so.
    page.goto(page.url.split("?")[0])
    page.wait_for_selector("body[data-ready=true]")
    page.set_input_files("#photo-input", str(files["photo"]))
    page.click("#paint")
    page.wait_for_url(re.compile(r"\?painting="), timeout=60_000)
    page.goto(page.url.split("?")[0])  # the visitor leaves the first one running and paints again
    page.wait_for_selector("body[data-ready=true]")
    page.set_input_files("#photo-input", str(files["photo"]))
    page.click(".style-card:has(input[value=the_scream])")
    page.click("#paint")
    expect(page.locator("#photo-message")).to_contain_text("still busy with your earlier request (photo.png in",
                                                           timeout=60_000)
    wait_for_painting(page)
    assert page.get_attribute("#download", "download") == "photo-the-scream.png"
