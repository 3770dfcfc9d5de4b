"""Publishing the page: frontend/dist (when built) and the config.json that tells it where the stack is."""
from __future__ import annotations

import json
import mimetypes
import re
import time
from pathlib import Path

from pipeline.deploy.storage import PHOTO_PREFIX, STYLE_PREFIX, UPLOAD_PREFIX

DIST = Path(__file__).resolve().parents[2] / "frontend" / "dist"
NO_CACHE = "no-cache"  # browsers and CloudFront revalidate (ETag): a new deploy shows at once
LONG_CACHE = "public, max-age=31536000, immutable"  # only for names that carry their content's hash
# frontend/build.mjs names the bundle and stylesheet <name>-<esbuild hash>.<ext> (maps, licence notes too)
HASHED_NAME = re.compile(r"^[A-Za-z0-9_]+-[A-Z0-9]{8}\.(js|css)(\.map|\.LEGAL\.txt)?$")


def page_config(outputs: dict[str, str], region: str) -> dict:
    """What the page reads from /config.json: frontend/src/config.js REQUIRED (pipeline/local/web.py writes the
    same keys for the local stack)."""
    from lambdas.shared.addresses import page_rule
    from pipeline.local.web import painted_photo_size
    from stylizer.catalogue import list_styles
    from stylizer.limits import Limits

    return {
        "region": region,
        "identityPoolId": outputs["IdentityPoolId"],
        "uploadsBucket": outputs["UploadsBucket"], "gifPrefix": UPLOAD_PREFIX, "styleUploadPrefix": STYLE_PREFIX,
        "resultsBucket": outputs["ResultsBucket"], "imagesBucket": outputs["ImagesBucket"], "photoPrefix": PHOTO_PREFIX,
        "paintUrl": outputs["PaintUrl"],
        "limits": Limits().as_dict(),
        "email": page_rule(),  # the address rule validate_upload applies
        "photoSize": painted_photo_size(),  # the page downscales photos to what the endpoint paints
        # thumbnails: the page build puts them under styles/ (as pipeline/local/web.py assumes)
        "styles": [{"name": s.name, "title": s.title, "artist": s.artist, "year": s.year, "credit": s.credit,
                    "licence": s.licence, "thumbnail": f"styles/{s.name}.jpg"} for s in list_styles()],
    }


def cache_control(name: str) -> str:
    """A year, immutable, for content-hashed names; everything else (index.html, config.json, the gallery's
    styles/<name>.jpg) is revalidated, so a redeploy reaches returning visitors at once."""
    return LONG_CACHE if HASHED_NAME.match(name) else NO_CACHE


def publish(s3, bucket: str, config: dict, dist: Path = DIST) -> list[str]:
    """Upload the built page (if any) and config.json; returns the keys written."""
    written = []
    if dist.is_dir():
        for path in sorted(p for p in dist.rglob("*") if p.is_file()):
            key = path.relative_to(dist).as_posix()
            s3.put_object(Bucket=bucket, Key=key, Body=path.read_bytes(), CacheControl=cache_control(key),
                          ContentType=mimetypes.guess_type(key)[0] or "application/octet-stream")
            written.append(key)
    s3.put_object(Bucket=bucket, Key="config.json", Body=json.dumps(config, indent=2).encode(),
                  ContentType="application/json", CacheControl=NO_CACHE)
    return written + ["config.json"]


def invalidate(cloudfront, distribution_id: str) -> str:
    """CloudFront keeps old copies of unchanged names (index.html within its TTL): drop them all."""
    response = cloudfront.create_invalidation(DistributionId=distribution_id, InvalidationBatch={
        "Paths": {"Quantity": 1, "Items": ["/*"]}, "CallerReference": f"nst-{time.time_ns()}"})
    return response["Invalidation"]["Id"]
