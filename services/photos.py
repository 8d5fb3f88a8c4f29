"""Checking and cleaning photos residents upload: real type by content, size, no EXIF/GPS."""

import io
import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, UnidentifiedImageError

MAX_PHOTOS = 3
ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
# Decompression bombs: a 5 MB file may claim a gigapixel canvas.
MAX_PIXELS = 40_000_000


def clean_photo(upload, *, max_bytes: int) -> ContentFile:
    """A re-encoded copy of an uploaded image, or ValidationError with a Chinese message.

    The type is read from the content (Pillow), not the file name; re-encoding from the pixels
    drops every metadata block, so location (GPS) data never reaches the disk.
    """
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise ValidationError(f"照片不能超过 {max_bytes // 1024 // 1024 or 1} MB。")
    try:
        upload.seek(0)
        data = upload.read()
    except (AttributeError, OSError):
        raise ValidationError("无法读取上传的照片。")
    if len(data) > max_bytes:
        raise ValidationError(f"照片不能超过 {max_bytes // 1024 // 1024 or 1} MB。")
    try:
        probe = Image.open(io.BytesIO(data))
        fmt = probe.format
        probe.verify()
        image = Image.open(io.BytesIO(data))
        if image.width * image.height > MAX_PIXELS:
            raise ValidationError("照片尺寸过大。")
        image.load()
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError("只能上传 JPG、PNG 或 WEBP 格式的照片。")
    if fmt not in ALLOWED_FORMATS:
        raise ValidationError("只能上传 JPG、PNG 或 WEBP 格式的照片。")
    # Apply the camera's orientation before the EXIF block (which holds it) is dropped.
    from PIL import ImageOps

    image = ImageOps.exif_transpose(image)
    if fmt == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    out = io.BytesIO()
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    clean.save(out, format=fmt, **({"quality": 85} if fmt in ("JPEG", "WEBP") else {}))
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.{ALLOWED_FORMATS[fmt]}")
