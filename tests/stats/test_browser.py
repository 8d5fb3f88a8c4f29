"""Browser: the public figures page and the admin dashboard draw their charts with the local Chart.js
(no network), and leave screenshots in tests/artifacts/."""

import pytest

from tests.browser_support import shot, sign_in
from tests.stats.world import YEAR, build

pytestmark = pytest.mark.django_db(transaction=True)

DRAWN = "() => [...document.querySelectorAll('canvas[data-chart]')].every(c => window.Chart && Chart.getChart(c))"


def _no_outside_requests(page):
    outside = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(page.live_url) else None)
    return outside


def test_figures_page_and_dashboard_draw_their_charts(new_page, street, community, other_community, street_admin):
    build(street, community, other_community)

    phone = new_page(phone=True)
    outside = _no_outside_requests(phone)
    phone.goto(f"/alliance/figures/?street={street.pk}&year={YEAR}")
    phone.wait_for_function(DRAWN)
    assert phone.locator('[data-figure="full_time"]').inner_text() == "3"
    shot(phone, "stats_public_figures_phone")
    assert outside == []

    desk = new_page()
    sign_in(desk, street_admin)
    outside = _no_outside_requests(desk)
    desk.goto(f"/admin/dashboard/?start={YEAR}-01-01&end={YEAR}-12-31")
    desk.wait_for_function(DRAWN)
    assert desk.locator('[data-figure="order-submitted"]').inner_text() == "2"
    shot(desk, "stats_admin_dashboard")
    assert outside == []
