"""Photo mode end to end: upload, signed paint request, previews forming live, the final painting."""
import time

from playwright.sync_api import expect

from .conftest import PHOTO_OPTIONS

PAINT_TIMEOUT_S = 180  # the endpoint's model warms up (TensorFlow, VGG19) before the first step

# In the page, before painting starts: fingerprint the bytes behind every src the <img> gets while "forming"
# (a preview), so no preview is missed between the test's own looks.
RECORD_PREVIEWS = """(img) => {
  window.previewFingerprints = [];
  new MutationObserver(async () => {
    if (!img.classList.contains('forming') || !img.src) return;
    const bytes = new Uint8Array(await (await fetch(img.src)).arrayBuffer());
    let hash = 0;
    for (const b of bytes) hash = (hash * 31 + b) >>> 0;
    window.previewFingerprints.push(`${bytes.length}:${hash}`);
  }).observe(img, { attributes: true, attributeFilter: ['src'] });
}"""


def test_photo_is_painted_live(page, site, files):
    page.set_input_files("#photo-input", str(files["photo"]))
    expect(page.locator("#photo-chosen")).to_be_visible()
    page.click(".style-card:has(input[value=starry_night])")
    page.locator("#painting").evaluate(RECORD_PREVIEWS)
    page.click("#paint")

    iterations = set()
    deadline = time.monotonic() + PAINT_TIMEOUT_S
    download = page.locator("#download")
    while time.monotonic() < deadline and not download.is_visible():
        assert "error" not in (page.get_attribute("#photo-message", "class") or ""), page.inner_text("#photo-message")
        iterations.add(page.inner_text("#iteration"))
        page.wait_for_timeout(150)

    expect(download).to_be_visible()
    expect(page.locator("#photo-message")).to_have_text("Done. Here is your painting.")
    previews = page.evaluate("window.previewFingerprints")
    assert len(set(previews)) >= 2, f"the previews did not change: {previews}"
    total = PHOTO_OPTIONS["iterations"]
    assert any(text.startswith("Iteration ") and f" of {total}" in text for text in iterations), iterations
    # The final image is the endpoint's PNG, at the size asked for.
    size = page.locator("#painting").evaluate("img => [img.naturalWidth, img.naturalHeight]")
    assert max(size) == PHOTO_OPTIONS["size"], size
    assert page.console_errors == []
