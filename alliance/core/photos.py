"""Checking and cleaning photos residents upload: real type by content, size, no EXIF/GPS.

The one place every uploaded photo goes through (issues, progress reports, news covers). Each check
runs before the expensive step it guards:

- bytes: the upload's size before it is read (``max_bytes``);
- pixels: the width and height declared in the header (Pillow's lazy open reads only the header)
  before any pixel is decoded, per photo (``PHOTO_MAX_PIXELS``) and for all the photos of one request
  together (``PHOTO_MAX_REQUEST_PIXELS``, :func:`clean_photos`); a small file that declares a huge
  canvas (a decompression bomb) is refused without being decoded;
- decoding: a JPEG is decoded at a reduced scale when it is larger than the stored size, and every
  photo is stored at most ``PHOTO_MAX_SIDE`` pixels on its long side.
"""

import contextlib
import io
import uuid

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_PHOTOS = 3
ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}

DEFAULT_MAX_PIXELS = 25_000_000  # one photo: 6000 × 4000 and more is refused
DEFAULT_MAX_REQUEST_PIXELS = 120_000_000  # all photos of one request together
DEFAULT_MAX_SIDE = 2560  # stored photos are shown on pages; larger ones are scaled down

FORMAT_MESSAGE = gettext_lazy("只能上传 JPG、PNG 或 WEBP 格式的照片。")


def max_pixels() -> int:
    return getattr(settings, "PHOTO_MAX_PIXELS", DEFAULT_MAX_PIXELS)


def max_request_pixels() -> int:
    return getattr(settings, "PHOTO_MAX_REQUEST_PIXELS", DEFAULT_MAX_REQUEST_PIXELS)


def max_side() -> int:
    return getattr(settings, "PHOTO_MAX_SIDE", DEFAULT_MAX_SIDE)


def _megapixels(pixels: int) -> str:
    return f"{pixels / 1_000_000:g}"


def _too_many_pixels_message() -> str:
    return _("照片尺寸过大（超过 %(mp)s 百万像素），请缩小后再上传。") % {"mp": _megapixels(max_pixels())}


def _too_large_message(max_bytes: int) -> str:
    return _("照片不能超过 %(mb)s MB。") % {"mb": max_bytes // 1024 // 1024 or 1}


def _read(upload, max_bytes: int) -> bytes:
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise ValidationError(_too_large_message(max_bytes))
    try:
        upload.seek(0)
        data = upload.read(max_bytes + 1)
        upload.seek(0)
    except (AttributeError, OSError, ValueError):
        raise ValidationError(_("无法读取上传的照片。"))
    if len(data) > max_bytes:
        raise ValidationError(_too_large_message(max_bytes))
    return data


def declared_pixels(upload) -> int:
    """Width × height as the file's header declares them, without decoding; 0 if it is no image."""
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            width, height = probe.size
    except Image.DecompressionBombError:
        return max_pixels() + 1
    except Exception:  # noqa: BLE001 - not an image: clean_photo says so in its own words
        return 0
    finally:
        with contextlib.suppress(AttributeError, OSError, ValueError):
            upload.seek(0)
    return width * height


def check_request_pixels(uploads, *, max_bytes: int) -> None:
    """Refuses the photos of one request whose declared pixels together exceed the request budget."""
    budget = max_request_pixels()
    total = 0
    for upload in uploads:
        size = getattr(upload, "size", None)
        if size is not None and size > max_bytes:
            continue  # refused by its size, without being opened
        total += declared_pixels(upload)
    if total > budget:
        raise ValidationError(
            _("这些照片合计尺寸过大（超过 %(mp)s 百万像素），请缩小后再上传或分次上传。") % {"mp": _megapixels(budget)}
        )


def clean_photos(uploads, *, max_bytes: int) -> list[ContentFile]:
    """:func:`clean_photo` for every photo of one request, after their pixels were counted together.

    Raises one ValidationError carrying every photo's problem (Chinese messages).
    """
    uploads = list(uploads)
    check_request_pixels(uploads, max_bytes=max_bytes)
    cleaned, errors = [], []
    for upload in uploads:
        try:
            cleaned.append(clean_photo(upload, max_bytes=max_bytes))
        except ValidationError as exc:
            errors.extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    return cleaned


def _fitted(size: tuple[int, int], side: int) -> tuple[int, int]:
    """The size an image of ``size`` is stored at: at most ``side`` on its long side."""
    width, height = size
    ratio = min(1.0, side / max(width, height, 1))
    return max(1, round(width * ratio)), max(1, round(height * ratio))


def clean_photo(upload, *, max_bytes: int) -> ContentFile:
    """A re-encoded copy of an uploaded image, or ValidationError with a Chinese message.

    The type is read from the content (Pillow), not the file name; re-encoding from the pixels
    drops every metadata block, so location (GPS) data never reaches the disk.
    """
    data = _read(upload, max_bytes)
    limit = max_pixels()
    try:
        # Lazy: only the header is read here; nothing is decoded before the size is known.
        probe = Image.open(io.BytesIO(data))
        fmt = probe.format
        if fmt not in ALLOWED_FORMATS:
            raise ValidationError(FORMAT_MESSAGE)
        if probe.width * probe.height > limit:
            raise ValidationError(_too_many_pixels_message())
        probe.verify()
        image: Image.Image = Image.open(io.BytesIO(data))
        side = max_side()
        if fmt == "JPEG":
            # Decode at 1/2, 1/4 or 1/8 scale when the photo is larger than what is stored.
            image.draft("RGB", _fitted(image.size, side))
        image.load()
    except ValidationError:
        raise
    except Image.DecompressionBombError:
        raise ValidationError(_too_many_pixels_message())
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError, MemoryError):
        raise ValidationError(FORMAT_MESSAGE)
    if max(image.size) > side:
        # In place (the EXIF block stays for the orientation); halving by box averages first is cheap.
        image.thumbnail((side, side), reducing_gap=1.0)
    # Apply the camera's orientation before the EXIF block (which holds it) is dropped.
    image = ImageOps.exif_transpose(image)
    if fmt == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    out = io.BytesIO()
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    clean.save(out, format=fmt, **({"quality": 85} if fmt in ("JPEG", "WEBP") else {}))
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.{ALLOWED_FORMATS[fmt]}")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos in one file input, cleaned to a list (none: ``[]``); their type, size and metadata are
    checked by the action (:func:`clean_photos`). ``accept`` is the file types the browser offers."""

    def __init__(self, *args, accept: str = "image/*", **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": accept}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(PhotosField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []
