"""The portal can be added to a phone's home screen: a web app manifest with Chinese names and icons, linked
from every page, and pages fit for the WeChat built-in browser."""

import json
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from PIL import Image

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def manifest(client, db):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"].split(";")[0] == "application/manifest+json"
    return json.loads(response.content.decode("utf-8"))


def test_the_manifest_names_the_portal_in_chinese_and_opens_it_full_screen_at_home(manifest):
    assert manifest["name"].startswith("红色联盟") and manifest["short_name"] == "红色联盟"
    assert manifest["start_url"] == "/" and manifest["display"] == "standalone"
    assert manifest["lang"] == "zh-CN"


def test_the_theme_colour_is_the_top_bar_red_of_the_stylesheet(manifest):
    css = (ROOT / "static/css/portal.css").read_text()
    assert f"--red: {manifest['theme_color']};" in css


def _static_file(src: str) -> Path:
    assert src.startswith("/static/"), src
    found = finders.find(src.removeprefix("/static/"))
    assert found, f"{src} is not a static file"
    return Path(found)


def test_every_icon_exists_at_its_stated_size_with_a_maskable_one(manifest):
    sizes = set()
    for icon in manifest["icons"]:
        with Image.open(_static_file(icon["src"])) as image:
            assert image.format == "PNG"
            assert "{}x{}".format(*image.size) == icon["sizes"]
        sizes.add((icon["sizes"], icon.get("purpose", "any")))
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes


def test_the_maskable_icon_fills_its_whole_square(manifest):
    (maskable,) = [i for i in manifest["icons"] if i["purpose"] == "maskable"]
    with Image.open(_static_file(maskable["src"])) as image:
        rgba = image.convert("RGBA")
        corners = [rgba.getpixel(p) for p in [(0, 0), (511, 0), (0, 511), (511, 511)]]
    assert all(alpha == 255 for *_, alpha in corners), corners


def test_every_page_links_the_manifest_the_touch_icon_and_the_theme_colour(client, db):
    page = client.get(reverse("home")).content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in page
    assert 'rel="apple-touch-icon"' in page and 'name="theme-color" content="#c62828"' in page
    # WeChat's browser (and Safari) would otherwise turn long numbers such as order numbers into phone links.
    assert 'name="format-detection" content="telephone=no' in page
    touch = page.split('rel="apple-touch-icon" href="')[1].split('"')[0]
    with Image.open(_static_file(touch)) as image:
        assert image.size == (180, 180) and image.mode == "RGB"  # iOS draws transparency black


def test_the_portal_script_uses_nothing_older_phone_browsers_lack():
    # WeChat's built-in browser on older phones runs an older engine: no optional chaining or nullish coalescing.
    source = (ROOT / "static/js/portal.js").read_text()
    code = "\n".join(line for line in source.splitlines() if not line.strip().startswith("//"))
    assert "?." not in code.replace("?.5", "") and "??" not in code
