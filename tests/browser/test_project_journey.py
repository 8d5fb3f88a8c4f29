"""A unit claims a project; a street admin approves the claim in the admin; the unit reports progress with a photo."""

import io

import pytest
from PIL import Image

from projects.models import Claim
from tests.browser_support import shot, sign_in
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db(transaction=True)


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (300, 200), (46, 125, 50)).save(buffer, "PNG")
    return buffer.getvalue()


def test_unit_claims_street_admin_approves_in_admin_unit_reports_progress(
    new_page, unit_operator, street_admin, community
):
    project = ProjectFactory(title="老旧小区楼道照明改造", grid_node=community)

    unit = new_page()
    sign_in(unit, unit_operator)
    unit.goto(f"/lists/projects/{project.pk}/")
    unit.get_by_role("button", name="我单位认领").click()
    unit.get_by_text("认领已提交").wait_for()
    claim = Claim.objects.get(project=project, unit=unit_operator.unit)
    assert claim.status == Claim.Status.PENDING
    claim_url = unit.url

    admin = new_page()
    sign_in(admin, street_admin)
    admin.goto("/admin/projects/claim/")
    admin.locator("tr", has_text="老旧小区楼道照明改造").locator("input.action-select").check()
    admin.select_option("select[name=action]", label="通过所选认领")
    admin.locator("button[name=index]").click()
    admin.locator(".messagelist").wait_for()
    shot(admin, "project_2_approved_admin")
    claim.refresh_from_db()
    assert claim.status == Claim.Status.APPROVED, admin.locator(".messagelist").inner_text()

    unit.goto(claim_url)
    unit.fill("#id_text", "已完成3号楼、5号楼楼道灯具更换,共计24盏。")
    unit.set_input_files("#id_photos", files=[{"name": "灯具.png", "mimeType": "image/png", "buffer": png()}])
    unit.get_by_role("button", name="提交进展").click()
    unit.get_by_text("进展已提交").wait_for()
    photo = unit.locator("ol.timeline img").first
    photo.wait_for()
    shot(unit, "project_3_progress_unit")
    assert "共计24盏" in unit.locator("ol.timeline").inner_text()
    try:
        assert unit.evaluate("img => img.complete && img.naturalWidth", photo.element_handle()) > 0
        claim.refresh_from_db()
        assert claim.last_progress_at is not None
    finally:
        for report in claim.reports.all():
            for p in report.photos.all():
                p.image.delete(save=False)
