"""A printable page rendered by Chromium to an A4 PDF, as the office's printer would get it."""

import pytest
from django.utils import timezone

from alliance.committee.models import Matter, Milestone
from tests.alliance.factories import CommitteeFactory, MatterFactory
from tests.browser_support import ARTIFACTS, shot, sign_in
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_matters_print_page_renders_to_an_a4_pdf(new_page, street, street_admin):
    committee = CommitteeFactory(grid_node=street, name="舜玉路街道大工委")
    matter = MatterFactory(
        committee=committee,
        title="老旧小区加装电梯",
        status=Matter.Status.RESOLVED,
        resolved_at=timezone.now(),
        resolution="分两批实施，年底前完成第一批。" * 20,
    )
    for i in range(40):  # enough rows for more than one page
        Milestone.objects.create(
            matter=matter, title=f"第{i + 1}号楼加装电梯施工", due_on=timezone.localdate(), owner=UserFactory()
        )
    page = new_page()
    problems = []  # CSP violations and script errors show on the console
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.add_init_script("window.__printed = 0; window.print = () => { window.__printed += 1; };")
    sign_in(page, street_admin)
    page.goto(f"/workspace/committee/matters/{matter.pk}/print/")
    # the 打印 button calls window.print through static js/print.js, allowed by the CSP
    page.get_by_role("button", name="打印").click()
    assert page.evaluate("window.__printed") == 1
    assert problems == []
    assert page.locator("h1").inner_text() == "议题落实情况"
    # the CJK font is the one the stylesheet names
    family = page.evaluate("getComputedStyle(document.documentElement).fontFamily")
    assert family.startswith('"Noto Serif CJK SC"')
    shot(page, "print_matter")
    pdf = page.pdf(format="A4")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "print_matter.pdf").write_bytes(pdf)
    assert pdf.startswith(b"%PDF")
    pages = pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")
    assert pages >= 2
    # the 打印 button is not printed
    page.emulate_media(media="print")
    assert not page.get_by_role("button", name="打印").is_visible()
