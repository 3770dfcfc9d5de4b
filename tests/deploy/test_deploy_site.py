"""The page's cache headers: a year `immutable` only where the name changes with the content, so a redeploy
reaches returning visitors (CloudFront and browsers keep a fixed name like app.js for a year otherwise)."""
import re
from pathlib import Path

import boto3
import pytest

from pipeline.deploy import site

DIST = site.DIST


@pytest.mark.parametrize("name, immutable", [
    ("app-ARCS2B5O.js", True), ("app-ARCS2B5O.js.map", True), ("app-ARCS2B5O.js.LEGAL.txt", True),
    ("styles-U3XLQG4D.css", True),
    ("app.js", False), ("styles.css", False), ("index.html", False), ("config.json", False),
    ("styles/starry_night.jpg", False),  # same name when the catalogue's painting changes
])
def test_only_hashed_names_are_immutable(name, immutable):
    assert (site.cache_control(name) == site.LONG_CACHE) is immutable
    assert site.cache_control(name) in (site.LONG_CACHE, site.NO_CACHE)


def _built() -> Path:
    if not (DIST / "index.html").is_file():
        pytest.skip("frontend/dist not built (make test builds it first: `make frontend`)")
    return DIST


def test_the_built_page_names_its_assets_by_content():
    dist = _built()
    page = (dist / "index.html").read_text(encoding="utf-8")
    referenced = re.findall(r'(?:src|href)="([^":]+\.(?:js|css))"', page)
    assert {Path(r).suffix for r in referenced} == {".js", ".css"}
    for name in referenced:
        assert (dist / name).is_file(), name
        assert site.cache_control(name) == site.LONG_CACHE, f"{name} has no content hash"
    assert not (dist / "app.js").exists() and not (dist / "styles.css").exists()


def test_publish_sets_the_headers(mocked_aws, tmp_path):
    (tmp_path / "styles").mkdir()
    for name in ("index.html", "app-ABCDEFGH.js", "styles/udnie.jpg"):
        (tmp_path / name).write_bytes(b"x")
    s3 = boto3.client("s3", region_name="us-east-1")
    s3.create_bucket(Bucket="page")
    site.publish(s3, "page", {"region": "us-east-1"}, dist=tmp_path)
    headers = {key: s3.head_object(Bucket="page", Key=key)["CacheControl"]
               for key in ("index.html", "app-ABCDEFGH.js", "styles/udnie.jpg", "config.json")}
    assert headers == {"index.html": "no-cache", "app-ABCDEFGH.js": site.LONG_CACHE,
                       "styles/udnie.jpg": "no-cache", "config.json": "no-cache"}
