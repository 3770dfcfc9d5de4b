"""Pure checks of an upload (no AWS calls): each returns what the job needs or raises an InvalidUpload.

Stylizer's own errors (UnsupportedFormat, CorruptInput, InputTooLarge, UnknownStyle) are translated to
this function's error names; their messages are already written for the uploader and are kept.
"""
from dataclasses import dataclass

from stylizer.rules import catalogue, errors as stylizer_errors, gifheader
from stylizer.rules.limits import Limits

from lambdas.shared.addresses import address_problem
from lambdas.validate_upload.exceptions import (GifTooLarge, InvalidEmail, InvalidGif, InvalidSettings,
                                                InvalidStyleImage, UnknownStyle)

UPLOAD_STYLE_PREFIX = "upload:"  # metadata style = "upload:<key of a PNG/JPEG in the same bucket>"
STYLE_IMAGE_FORMATS = ("png", "jpeg")


@dataclass(frozen=True)
class StyleChoice:
    name: str  # catalogue name, or "upload" for the uploader's own image
    title: str
    credit: str
    key: str | None = None  # the style image's key when uploaded


def check_email(address: str | None) -> str:
    problem = address_problem(address)
    if problem:
        raise InvalidEmail(problem)
    return address.strip()


def check_gif(data: bytes, limits: Limits) -> gifheader.GifInfo:
    try:
        return gifheader.scan_gif(data, limits)
    except stylizer_errors.InputTooLarge as error:
        raise GifTooLarge(str(error)) from None
    except (stylizer_errors.UnsupportedFormat, stylizer_errors.CorruptInput) as error:
        raise InvalidGif(str(error)) from None


def check_size(size: int, limits: Limits) -> None:
    """Before downloading: the object's ContentLength against max_bytes."""
    try:
        limits.check_bytes(size, "GIF")
    except stylizer_errors.InputTooLarge as error:
        raise GifTooLarge(str(error)) from None


def owner_folder(key: str, upload_prefix: str) -> str:
    """The uploader's folder in `uploads/<identity id>/<file>.gif` (the page's identity prefix, the only place
    a visitor may write); "" for a key straight under the prefix (an operator's upload)."""
    return key[len(upload_prefix):].rpartition("/")[0] if key.startswith(upload_prefix) else ""


def parse_style(value: str | None, style_prefix: str, owner: str = "") -> StyleChoice:
    """Metadata `style`: a catalogue name, or `upload:<key>` with the key under `style_prefix` + `owner`/:
    an uploaded style image must be the uploader's own, under the same identity as the GIF."""
    names = ", ".join(s.name for s in catalogue.list_styles())
    if value is None or not value.strip():
        raise UnknownStyle(f"No style was chosen (metadata 'style'). Choose one of: {names}, "
                           f"or upload an image under {style_prefix} and give 'upload:<its key>'.")
    value = value.strip()
    if value.startswith(UPLOAD_STYLE_PREFIX):
        key = value[len(UPLOAD_STYLE_PREFIX):].lstrip("/")
        own_prefix = f"{style_prefix}{owner}/" if owner else style_prefix
        parts = key.split("/")
        if not key.startswith(style_prefix) or ".." in parts or "" in parts or key == style_prefix:
            raise UnknownStyle(f"An uploaded style image must be under {style_prefix}, got '{key}'.")
        if not key.startswith(own_prefix):
            raise UnknownStyle(f"The style image '{key}' is not one of your own uploads: upload it from the "
                               f"same page as the GIF (under {own_prefix}).")
        return StyleChoice(name="upload", title="your own style image", credit="your own style image", key=key)
    try:
        info = catalogue.style_info(value)
    except stylizer_errors.UnknownStyle:
        raise UnknownStyle(f"Unknown style '{value}'. Choose one of: {names}, or upload an image under "
                           f"{style_prefix} and give 'upload:<its key>'.") from None
    return StyleChoice(name=info.name, title=info.title, credit=info.credit or info.title)


def check_style_image(head: bytes, size: int, limits: Limits) -> None:
    """The uploaded style image: PNG or JPEG by magic bytes, within max_bytes (pixels are checked by the job)."""
    try:
        limits.check_bytes(size, "style image")
    except stylizer_errors.InputTooLarge as error:
        raise InvalidStyleImage(str(error)) from None
    kind = gifheader.sniff_format(head)
    if kind not in STYLE_IMAGE_FORMATS:
        found = gifheader.FORMAT_NAMES.get(kind, "not an image format we recognise") if kind else \
            "not an image format we recognise"
        raise InvalidStyleImage(f"The style image must be a PNG or JPEG; it is {found}.")


def check_settings(size: int, iterations: int, max_size: int, max_iterations: int) -> None:
    if not 16 <= size <= max_size:
        raise InvalidSettings(f"Size {size} px is outside 16..{max_size} px.")
    if not 1 <= iterations <= max_iterations:
        raise InvalidSettings(f"{iterations} iterations is outside 1..{max_iterations}.")


def job_arguments(style: StyleChoice, size: int, iterations: int) -> list[str]:
    """ContainerArguments for `python3 -m stylizer.process` (strings only, as SageMaker requires).

    No --style for an uploaded image: process.py then reads the one image in the `style` channel.
    """
    arguments = ["--size", str(size), "--iterations", str(iterations)]
    if style.key is None:
        arguments += ["--style", style.name]
    return arguments


def describe_duration(seconds: int) -> str:
    minutes = max(1, round(seconds / 60))
    if minutes < 90:
        return f"about {minutes} minute{'s' if minutes != 1 else ''}"
    return f"about {minutes / 60:.1f} hours".replace(".0 hours", " hours")
