"""A resident opens the published year-end results and the micro-grid stars on a phone (390×844)."""

import pytest

from alliance.assessment import actions
from tests.assessment.conftest import YEAR
from tests.browser_support import shot

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def test_a_resident_reads_the_published_results_on_a_phone(phone_page, world, street_admin):
    assessment = actions.open_assessment(by=street_admin, street=world.street, year=YEAR)
    actions.compute_assessment(by=street_admin, assessment=assessment)
    actions.publish_assessment(by=street_admin, assessment=assessment)
    rating = actions.open_grid_stars(by=street_admin, street=world.street, year=YEAR, quarter=2)
    actions.compute_grid_stars(by=street_admin, rating=rating)
    actions.publish_grid_stars(by=street_admin, rating=rating)
    page = phone_page
    page.goto("/alliance/assessments/")
    page.get_by_role("link", name=f"舜玉路街道{YEAR}年度年终考核").click()
    page.get_by_role("link", name="微网格", exact=True).click()
    assert "第1名 · 舜园1号楼微网格" in page.locator("main").inner_text()
    page.get_by_role("link", name="成员单位", exact=True).click()
    text = page.locator("main").inner_text()
    assert "第1名 · 舜耕供电所" in text and "合格" in text
    # Nothing wider than the phone: the rows wrap.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "assessment_results_phone")
    page.goto(f"/alliance/grid-stars/{rating.pk}/")
    assert "★★" in page.locator("main").inner_text()
    shot(page, "assessment_grid_stars_phone")
