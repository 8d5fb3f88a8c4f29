"""Photos: the type is read from the content, the size is limited, EXIF/GPS never reaches the disk."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from alliance.core.photos import clean_photo
from tests.services.test_api import jpeg_with_gps


def upload(data: bytes, name="p.jpg"):
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def test_jpeg_is_re_encoded_without_exif_or_gps():
    cleaned = clean_photo(upload(jpeg_with_gps()), max_bytes=5 * 1024 * 1024)
    with Image.open(io.BytesIO(cleaned.read())) as img:
        assert img.format == "JPEG" and not img.getexif()
    assert cleaned.name.endswith(".jpg") and cleaned.name != "p.jpg"  # a fresh random name


def test_png_named_jpg_is_accepted_by_its_content_and_stays_png():
    out = io.BytesIO()
    Image.new("RGBA", (10, 10), (255, 0, 0, 128)).save(out, format="PNG")
    cleaned = clean_photo(upload(out.getvalue(), name="假的.jpg"), max_bytes=1024 * 1024)
    assert cleaned.name.endswith(".png")


@pytest.mark.parametrize("data", [b"GIF89a" + b"\0" * 20, b"%PDF-1.4 not an image", b""])
def test_non_images_and_other_formats_are_refused(data):
    with pytest.raises(ValidationError, match="JPG、PNG 或 WEBP"):
        clean_photo(upload(data), max_bytes=1024 * 1024)


def test_gif_is_refused_even_though_pillow_reads_it():
    out = io.BytesIO()
    Image.new("RGB", (5, 5)).save(out, format="GIF")
    with pytest.raises(ValidationError):
        clean_photo(upload(out.getvalue(), name="a.gif"), max_bytes=1024 * 1024)


def test_too_large_is_refused():
    with pytest.raises(ValidationError, match="不能超过"):
        clean_photo(upload(jpeg_with_gps()), max_bytes=100)
