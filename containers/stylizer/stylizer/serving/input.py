"""Parse and validate an invocation: JSON fields, options, then the photo and style images from S3.

    {"request_id": "abc-123", "content": "s3://bucket/uploads/photo.jpg",
     "style": "starry_night" | "s3://bucket/styles/mine.png",
     "styles": [{"style": "starry_night", "weight": 0.7}, {"style": "the_scream", "weight": 0.3}],
     "options": {"size": 512, "iterations": 300, "content_weight": 1, "style_weight": 0.01, "tv_weight": 0.1,
                 "preserve_colors": false, "seed": 0, "init": "content", "method": "fast+full"},
     "progress": "s3://bucket/progress/abc-123/"}

Exactly one of "style"/"styles"; "options" and "progress" are optional. Every check here raises an
InputError subclass whose message tells the sender what to change (see output.status_for for the codes);
everything cheap is checked before anything is downloaded.
"""
import json
import re
from dataclasses import dataclass

from stylizer.exceptions import InputError, UnsupportedFormat
from stylizer.gifheader import FORMAT_NAMES, describe_format, sniff_format
# The option rules are shared with paint_request (stylizer.rules); BadRequest and parse_options stay
# importable from here for the endpoint's code.
from stylizer.rules.errors import BadRequest
from stylizer.rules.options import MAX_WEIGHT, number, parse_options

REQUEST_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
S3_URI = re.compile(r"s3://([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])/(.*)", re.DOTALL)
FIELDS = {"request_id", "content", "style", "styles", "options", "progress"}
MAX_STYLES = 4  # each style costs a VGG pass for its Gram matrices; blends of more look like mud anyway
PHOTO_FORMATS = ("png", "jpeg", "gif")  # a GIF's first frame; whole GIFs go through the processing job


class UnsupportedMediaType(UnsupportedFormat):
    """The request itself is not JSON (HTTP 415)."""


class ObjectNotFound(InputError):
    """An s3:// URI of the request names no object (HTTP 404)."""


class AccessDenied(InputError):
    """The endpoint's role may not read an s3:// URI of the request (HTTP 403)."""


@dataclass(frozen=True)
class S3Location:
    bucket: str
    key: str

    @property
    def uri(self) -> str:
        return f"s3://{self.bucket}/{self.key}"


@dataclass(frozen=True)
class StyleRef:
    name: str  # a catalogue name, or the s3:// URI when `location` is set
    weight: float
    location: S3Location | None = None


@dataclass(frozen=True)
class InvocationRequest:
    request_id: str
    content: S3Location
    styles: tuple[StyleRef, ...]
    options: dict  # StyleSettings field -> value, validated
    progress: S3Location | None


def parse_json(body: bytes, content_type: str | None) -> dict:
    media_type = (content_type or "application/json").split(";")[0].strip().lower()
    if media_type != "application/json":
        raise UnsupportedMediaType(f"The request must be JSON (Content-Type: application/json), not {media_type}.")
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError) as error:
        raise BadRequest(f"The request body is not valid JSON: {error}.") from None
    if not isinstance(payload, dict):
        raise BadRequest("The request body must be a JSON object.")
    return payload


def progress_target(payload: dict) -> tuple[str | None, S3Location | None]:
    """(request_id, progress location) where they are valid, else None: lets even a rejected request get
    its failed status, provided it said where to write it. Never raises."""
    request_id = payload.get("request_id")
    request_id = request_id if isinstance(request_id, str) and REQUEST_ID.fullmatch(request_id) else None
    try:
        return request_id, _progress(payload.get("progress"))
    except BadRequest:
        return request_id, None


def parse_request(payload: dict, limits) -> InvocationRequest:
    unknown = sorted(set(payload) - FIELDS)
    if unknown:
        raise BadRequest(f"Unknown field(s) {', '.join(unknown)}; the fields are {', '.join(sorted(FIELDS))}.")
    request_id = payload.get("request_id")
    if not isinstance(request_id, str) or not REQUEST_ID.fullmatch(request_id):
        raise BadRequest("request_id is required: 1 to 64 letters, digits, '-' or '_'.")
    if "content" not in payload:
        raise BadRequest("content is required: the s3:// URI of the photo.")
    return InvocationRequest(request_id=request_id, content=_s3_location(payload["content"], "content"),
                             styles=_styles(payload), options=parse_options(payload.get("options"), limits),
                             progress=_progress(payload.get("progress")))


def _s3_location(value, field: str, allow_prefix: bool = False) -> S3Location:
    match = S3_URI.fullmatch(value) if isinstance(value, str) else None
    if not match or not (match.group(2) or allow_prefix):
        raise BadRequest(f"{field} must be an s3://bucket/key URI, got {value!r:.100}.")
    return S3Location(match.group(1), match.group(2))


def _progress(value) -> S3Location | None:
    if value is None:
        return None
    location = _s3_location(value, "progress", allow_prefix=True)
    if location.key and not location.key.endswith("/"):  # a prefix: status.json goes *under* it
        location = S3Location(location.bucket, location.key + "/")
    return location


def _styles(payload: dict) -> tuple[StyleRef, ...]:
    if ("style" in payload) == ("styles" in payload):
        raise BadRequest("Give exactly one of style (a name or s3:// URI) or styles (a list to blend).")
    if "style" in payload:
        return (_style_ref(payload["style"], 1.0),)
    entries = payload["styles"]
    if not isinstance(entries, list) or not 1 <= len(entries) <= MAX_STYLES:
        raise BadRequest(f"styles must be a list of 1 to {MAX_STYLES} {{\"style\", \"weight\"}} objects.")
    refs = []
    for entry in entries:
        if not isinstance(entry, dict) or set(entry) - {"style", "weight"} or "style" not in entry:
            raise BadRequest(f"Each entry of styles is {{\"style\": name or URI, \"weight\": number}}, "
                             f"got {entry!r:.100}.")
        weight = number(entry.get("weight", 1.0), "weight", low=0.0, high=MAX_WEIGHT)
        if weight <= 0:
            raise BadRequest("Style weights must be positive.")
        refs.append(_style_ref(entry["style"], weight))
    total = sum(ref.weight for ref in refs)
    return tuple(StyleRef(ref.name, ref.weight / total, ref.location) for ref in refs)


def _style_ref(value, weight: float) -> StyleRef:
    if isinstance(value, str) and value.startswith("s3://"):
        return StyleRef(value, weight, _s3_location(value, "style"))
    if not isinstance(value, str) or not re.fullmatch(r"[a-z0-9_]{1,64}", value):
        raise BadRequest(f"style must be a catalogue name (e.g. starry_night) or an s3:// URI, got {value!r:.100}.")
    return StyleRef(value, weight)  # whether the catalogue has it is checked by load_style


# Downloads: S3 first tells the size, so an oversized object is refused before its body is read.

def download(s3, location: S3Location, limits, what: str) -> bytes:
    from botocore.exceptions import ClientError

    try:
        response = s3.get_object(Bucket=location.bucket, Key=location.key)
    except ClientError as error:
        code = error.response.get("Error", {}).get("Code", "")
        if code in ("NoSuchKey", "NoSuchBucket", "404", "NotFound"):
            raise ObjectNotFound(f"The {what} {location.uri} does not exist.") from None
        if code in ("AccessDenied", "403", "Forbidden"):
            raise AccessDenied(f"The endpoint may not read the {what} {location.uri}.") from None
        raise
    body = response["Body"]
    try:
        limits.check_bytes(int(response.get("ContentLength", 0)), what)
        data = body.read(limits.max_bytes + 1)  # the header could lie; never read more than the limit
    finally:
        body.close()
    limits.check_bytes(len(data), what)
    return data


def decode_image(data: bytes, limits, what: str):
    """uint8 HxWx3 from PNG, JPEG or (first frame of) GIF bytes, recognised by magic bytes."""
    from stylizer.gif import read_image

    if sniff_format(data) not in PHOTO_FORMATS:
        names = ", ".join(FORMAT_NAMES[f] for f in PHOTO_FORMATS)
        raise UnsupportedFormat(f"The {what} is {describe_format(data)}; send {names}.")
    return read_image(data, limits)


def load_content(s3, request: InvocationRequest, limits):
    return decode_image(download(s3, request.content, limits, "photo"), limits, "photo")


def load_styles(s3, request: InvocationRequest, limits) -> list[tuple]:
    """[(uint8 image, weight, description dict)], in the request's order."""
    from stylizer.catalogue import load_style

    styles = []
    for ref in request.styles:
        if ref.location is None:
            image, info = load_style(ref.name)  # UnknownStyle names the catalogue's styles
            described = {"name": ref.name, "title": getattr(info, "title", ref.name),
                         "credit": getattr(info, "credit", "")}
        else:
            image = decode_image(download(s3, ref.location, limits, "style image"), limits, "style image")
            described = {"name": ref.location.uri}
        styles.append((image, ref.weight, {**described, "weight": round(ref.weight, 6)}))
    return styles

