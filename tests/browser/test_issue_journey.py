"""A resident reports an issue with a photo on a phone; a grid worker escalates and handles it; the resident rates."""

import io

import pytest
from PIL import Image

from services.models import Issue, IssuePhoto
from tests.browser_support import shot, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), (183, 28, 28)).save(buffer, "JPEG")
    return buffer.getvalue()


def test_resident_reports_with_photo_worker_escalates_and_handles_resident_rates(
    new_page, resident, grid_worker, community
):
    phone = new_page(phone=True)
    sign_in(phone, resident)
    phone.goto("/services/issues/new/")
    phone.fill("#id_title", "楼道堆放杂物")
    phone.fill("#id_text", "3号楼2单元楼道长期堆放杂物,存在消防隐患。")
    phone.fill("#id_location", "舜玉小区3号楼2单元")
    phone.set_input_files("#id_photos", files=[{"name": "楼道.jpg", "mimeType": "image/jpeg", "buffer": jpeg()}])
    phone.get_by_role("button", name="提交").click()
    phone.get_by_text("已收到您反映的问题").wait_for()
    photo = phone.locator(".photos img").first
    photo.wait_for()
    assert phone.evaluate("img => img.complete && img.naturalWidth", photo.element_handle()) > 0  # the photo shows
    shot(phone, "issue_1_reported_phone")
    issue = Issue.objects.get(reporter=resident)
    level = issue.level

    try:
        desk = new_page()
        sign_in(desk, grid_worker)
        desk.goto(f"/workspace/services/issues/{issue.pk}/")
        desk.fill("#id_reason", "涉及消防通道,需街道协调执法")
        desk.get_by_role("button", name="上报").click()
        desk.get_by_text("已上报上一级").wait_for()
        issue.refresh_from_db()
        assert issue.level == level + 1
        for step in ("会商", "处置", "反馈"):
            desk.fill("#id_text", f"{step}:已联系物业清理" if step == "反馈" else f"进入{step}")
            desk.get_by_role("button", name="确认推进").click()
            desk.get_by_text("已推进到下一环节").wait_for()
        shot(desk, "issue_2_handled_worker")
        issue.refresh_from_db()
        assert issue.status == Issue.Status.FEEDBACK

        phone.goto(f"/services/issues/{issue.pk}/")
        phone.locator("input[name=rating][value='5']").check()
        phone.fill("#id_comment", "清理及时,谢谢网格员")
        phone.get_by_role("button", name="提交评价").click()
        phone.get_by_text("感谢您的评价").wait_for()
        shot(phone, "issue_3_rated_phone")
        issue.refresh_from_db()
        assert (issue.status, issue.rating) == (Issue.Status.EVALUATED, 5)
    finally:
        for p in IssuePhoto.objects.filter(issue__reporter=resident):
            p.image.delete(save=False)
