"""axe-core in the browser: no serious or critical violation on either mode of the page, on desktop and phone,
with a file chosen and with a refusal shown (the painted states are checked at the end of their own tests)."""
import pytest
from playwright.sync_api import expect

from .conftest import accessibility_violations


@pytest.fixture(params=[{"width": 1280, "height": 900}, {"width": 390, "height": 844}], ids=["desktop", "phone"])
def viewport(request):
    return request.param


def test_both_modes_have_no_serious_violations(page, files):
    assert accessibility_violations(page) == []  # photo mode, nothing chosen
    page.set_input_files("#photo-input", str(files["photo"]))
    expect(page.locator("#photo-chosen")).to_be_visible()
    page.set_input_files(".own-input", str(files["text"]))  # a refusal on the own-style card
    expect(page.locator(".own-error")).not_to_be_empty()
    assert accessibility_violations(page) == []

    page.click("#tab-gif")
    page.set_input_files("#gif-input", str(files["gif"]))
    expect(page.locator("#gif-facts")).to_contain_text("15 frames")
    page.click("#send")  # no address: the error next to the field
    expect(page.locator("#email-error")).not_to_be_empty()
    assert accessibility_violations(page) == []

    # The check itself sees a violation when there is one (an image with no text alternative is critical).
    page.evaluate("document.querySelector('main').append(Object.assign(document.createElement('img'), {src: 'data:,'}))")
    assert any("image-alt" in line for line in accessibility_violations(page))


def test_keyboard_focus_is_visible(page):
    """Tab reaches the mode buttons, the drop zone and the gallery, each with a visible outline."""
    seen = {}
    for _ in range(6):
        page.keyboard.press("Tab")
        seen[page.evaluate("document.activeElement.id || document.activeElement.name || document.activeElement.tagName")] = \
            page.evaluate("""() => { const el = document.activeElement;
                const ring = el.closest('.drop, .own-change, .style-card') || el;
                const style = getComputedStyle(ring);
                return style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2; }""")
    assert {"tab-photo", "photo-input", "style"} <= set(seen), seen
    assert all(seen.values()), seen
