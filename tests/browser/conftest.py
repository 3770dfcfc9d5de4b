"""The page in Debian's Chromium (Playwright, no `playwright install`) against `nst serve`'s stack in process.

One site per test directory (package scope): moto's backends are process-wide, so the site must be gone before
another test on the same worker starts its own server. Tiny inputs and a stylizer at toy size/iterations keep
the real pipeline to tens of seconds. Every test saves a screenshot to out/screenshots/.
"""
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DIST = ROOT / "frontend" / "dist"
SCREENSHOTS = ROOT / "out" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync"]
# Toy settings: the point is that the real path works end to end, not that the painting is good. The job
# writes its "running" status from its first step until "done"; at 2 steps that window (~0.7 s) fit between
# two of the page's polls (1.5 s) more often than not and the page never showed a frame line. 20 steps
# (300 at ~40/s at 32 px) keep it open for several polls, and a busier host stretches it further.
GIF_SIZE, GIF_ITERATIONS = 32, 20
# 160 steps at 48 px: ~4 s after the ~2 s compile (80 took 3.9 s in all here), several of the page's polls
# (every 0.7 s) with a new preview each, so "the previews changed" does not hang on one poll's timing.
PHOTO_OPTIONS = {"size": 48, "iterations": 160}
PHOTO_PREVIEW_EVERY = 5


def pytest_collection_modifyitems(items):
    no_chromium = pytest.mark.skip(reason="browser tests need /usr/bin/chromium (Debian package `chromium`; "
                                          "`make test` installs it)")
    no_dist = pytest.mark.skip(reason="frontend/dist is not built: run `npm ci && npm run build` in frontend/")
    for item in items:
        if not Path(item.fspath).is_relative_to(Path(__file__).parent):
            continue
        item.add_marker(pytest.mark.slow)  # each starts the local stack
        item.add_marker(pytest.mark.xdist_group("browser"))  # one stack per worker with --dist loadgroup
        if not (DIST / "index.html").exists():
            item.add_marker(no_dist)
        elif "page" in getattr(item, "fixturenames", ()) and not CHROMIUM.exists():
            item.add_marker(no_chromium)


@pytest.fixture(scope="package")
def site(tmp_path_factory):
    from pipeline.commands.serve import LocalSite

    out_dir = tmp_path_factory.mktemp("site")
    with LocalSite(DIST, out_dir, port=0, gif_size=GIF_SIZE, gif_iterations=GIF_ITERATIONS,
                   photo_options=PHOTO_OPTIONS, photo_preview_every=PHOTO_PREVIEW_EVERY,
                   instant_retries=True) as running:
        yield running


@pytest.fixture(scope="package")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(params=[{"width": 1280, "height": 900}], ids=["desktop"])
def viewport(request):
    return request.param


@pytest.fixture
def page(browser, site, viewport, request):
    """A fresh context per test: the SDK caches the Cognito identity id in IndexedDB per pool."""
    context = browser.new_context(viewport=viewport, device_scale_factor=1)
    page = context.new_page()
    page.console_errors = []
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))
    page.goto(site.url + "/")
    page.wait_for_selector("body[data-ready=true]", timeout=15_000)
    yield page
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.fixture
def files(tmp_path):
    """Inputs the tests drop onto the page."""
    from PIL import Image

    photo = tmp_path / "photo.png"
    Image.open(ROOT / "demo" / "chelsea.png").convert("RGB").resize((48, 32)).save(photo)
    gif = tmp_path / "muybridge.gif"
    shutil.copy(ROOT / "tests" / "data" / "muybridge_tiny.gif", gif)
    wide = bytearray(gif.read_bytes())
    wide[6:8] = (2000).to_bytes(2, "little")  # logical screen 2000 px wide: over max_side (1024)
    (tmp_path / "wide.gif").write_bytes(bytes(wide))
    (tmp_path / "notes.gif").write_text("not an image at all, whatever the name says\n")
    return {"photo": photo, "gif": gif, "wide_gif": tmp_path / "wide.gif", "text": tmp_path / "notes.gif"}


def bucket_keys(site, bucket):
    s3 = site.stack.client("s3")
    return [item["Key"] for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket)
            for item in page.get("Contents", [])]


AXE = ROOT / "frontend" / "node_modules" / "axe-core" / "axe.min.js"


def accessibility_violations(page, impacts=("serious", "critical")) -> list[str]:
    """axe-core's WCAG 2.x A/AA violations of these impacts on the page as it is now, one line each."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    results = page.evaluate("""() => axe.run(document, {
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
        resultTypes: ['violations'] })""")
    return [f"{v['impact']}: {v['id']} ({v['help']}) at {[n['target'] for n in v['nodes']][:4]}"
            for v in results["violations"] if v["impact"] in impacts]
