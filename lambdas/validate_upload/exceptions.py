"""Why an upload is refused. The class name is the Lambda errorType, i.e. the Step Functions error name
that the state machine's Catch lists (see REJECTIONS); the message is shown to the uploader as is."""


class InvalidUpload(Exception):
    """Base class: the uploader must change something. `str(error)` says what and the limit if any."""


class UploadMissing(InvalidUpload):
    """The object is gone (deleted or never written whole) by the time we look at it."""


class InvalidEmail(InvalidUpload):
    """Metadata `email` is missing or not an address."""


class InvalidGif(InvalidUpload):
    """Not a GIF by its magic bytes, or a GIF that is truncated or malformed."""


class GifTooLarge(InvalidUpload):
    """Over a limit: bytes, logical screen, frames or duration."""


class UnknownStyle(InvalidUpload):
    """Metadata `style` is neither a catalogue name nor `upload:<key>` of a readable image."""


class InvalidStyleImage(InvalidUpload):
    """`upload:<key>` names an object that is missing, too large or not a PNG/JPEG."""


class InvalidSettings(InvalidUpload):
    """The execution asked for a size or iteration count outside what the pipeline allows."""


# Every error name the state machine routes to the "invalid input" e-mail (Catch matches names exactly,
# so subclasses are listed, not the base).
REJECTIONS = (UploadMissing, InvalidEmail, InvalidGif, GifTooLarge, UnknownStyle, InvalidStyleImage,
              InvalidSettings)
