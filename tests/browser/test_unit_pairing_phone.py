"""A unit's public page and a pairing's page on a phone (390×844), and the unit's operator recording a service
under the pairing from the workspace: nothing wider than the screen, the phone masked; screenshots kept."""

import pytest
from django.utils import timezone

from members.models import PairingCommitment
from projects.models import Claim
from tests.browser_support import shot, sign_in
from tests.members.factories import MemberUnitFactory, PairingFactory, UnitOperatorFactory
from tests.projects.factories import ClaimFactory, ResourceFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_resident_reads_a_unit_and_its_pairing_and_the_operator_records_a_service(phone_page, community):
    unit = MemberUnitFactory(
        grid_node=community, name="中国银行济南舜玉路支行", contact_phone="13812345678", star_rating=4
    )
    ResourceFactory(unit=unit, title="营业厅会议室（可容纳40人）")
    ClaimFactory(
        unit=unit,
        status=Claim.Status.EVALUATED,
        rating=5,
        evaluation="金融知识进社区，居民反响好",
        completed_at=timezone.now(),
    )
    pairing = PairingFactory(unit=unit)
    PairingCommitment.objects.create(pairing=pairing, side="unit", text="每季度开展一次防范电信诈骗宣讲")
    PairingCommitment.objects.create(pairing=pairing, side="partner", text="为网点职工子女提供暑期托管")
    page = phone_page

    page.goto(f"/units/{unit.pk}/")
    assert "138****5678" in page.content() and "13812345678" not in page.content()
    assert page.get_by_text("金融知识进社区").is_visible()
    assert fits_the_screen(page)
    shot(page, "unit-page-phone")

    page.locator(f'a[href="/members/pairings/{pairing.pk}/"]').click()
    page.wait_for_url(f"**/members/pairings/{pairing.pk}/")
    assert page.get_by_text("每季度开展一次防范电信诈骗宣讲").is_visible()
    assert fits_the_screen(page)
    shot(page, "pairing-page-phone")

    sign_in(page, UnitOperatorFactory(unit=unit, grid_node=community))
    page.goto("/workspace/unit/pairings/")
    page.get_by_role("link", name="登记服务").click()
    page.fill("#id_what", "防范电信诈骗宣讲进社区")
    page.fill("#id_people_served", "60")
    page.fill("#id_hours", "1.5")
    with page.expect_navigation():
        page.get_by_role("button", name="登记").click()
    assert page.url.endswith(f"/members/pairings/{pairing.pk}/")
    assert page.get_by_text("防范电信诈骗宣讲进社区").is_visible()
    assert fits_the_screen(page)
    shot(page, "pairing-service-recorded-phone")
