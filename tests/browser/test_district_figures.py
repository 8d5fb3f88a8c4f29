"""Browser: the district figures page on a 390×844 phone, in Chinese and in English (switched with the page's
own language form, /i18n/setlang/): every street side by side in a table that scrolls sideways, the ranking
and the monthly trend drawn by the local Chart.js; screenshots in tests/artifacts/."""

import pytest

from tests.browser_support import shot
from tests.stats.district_world import YEAR, build

pytestmark = pytest.mark.django_db(transaction=True)

DRAWN = "() => [...document.querySelectorAll('canvas[data-chart]')].every(c => window.Chart && Chart.getChart(c))"


def _check_district_page(page):
    page.goto(f"/alliance/figures/?year={YEAR}")
    page.wait_for_function(DRAWN)
    assert page.locator('[data-figure="district-meetings_joint"]').inner_text() == "4"
    assert page.locator("#street-table tbody tr").count() == 3
    # the page itself never scrolls sideways; the table does, inside its own region
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    wrap = page.locator("#street-table").locator("xpath=..")
    assert wrap.evaluate("el => el.scrollWidth > el.clientWidth")
    assert page.locator("#street-ranking li").first.inner_text().startswith("1.")


def test_district_figures_page_on_a_phone_in_chinese_and_in_english(new_page):
    build()
    phone = new_page(phone=True)
    _check_district_page(phone)
    assert "七里河区" in phone.locator("h1").inner_text()
    shot(phone, "stats_district_figures_phone_zh")

    # the language switch of the page (a POST to /i18n/setlang/ that sets the language cookie)
    with phone.expect_navigation():
        phone.select_option("#lang-select", "en")  # the select submits its form (data-autosubmit)
    cookies = {c["name"]: c["value"] for c in phone.context.cookies()}
    assert cookies.get("django_language") == "en"
    _check_district_page(phone)
    assert phone.locator("html").get_attribute("lang") == "en"
    shot(phone, "stats_district_figures_phone_en")


def test_a_citys_streets_page_through_on_a_phone(new_page):
    """23 streets: the phone shows 20 in the side-by-side table with a pager under it; its next page shows the other
    three, with the district's totals and the ranking of all 23 on both pages."""
    build(more_streets=20)
    phone = new_page(phone=True)
    phone.goto(f"/alliance/figures/?year={YEAR}")
    phone.wait_for_function(DRAWN)
    assert phone.locator("#street-table tbody tr").count() == 20
    assert phone.locator("#street-ranking li").count() == 23
    pager = phone.locator("nav.pagination")
    assert pager.is_visible() and "1 / 2" in pager.inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    pager.scroll_into_view_if_needed()
    shot(phone, "stats_district_figures_pager_phone")
    with phone.expect_navigation():
        pager.get_by_role("link", name="下一页").click()
    phone.wait_for_function(DRAWN)
    assert phone.locator("#street-table tbody tr").count() == 3
    assert phone.locator("#trend-table tbody tr").count() == 3
    assert phone.locator("#street-ranking li").count() == 23
    assert "2 / 2" in phone.locator("nav.pagination").inner_text()
