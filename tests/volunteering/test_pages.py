"""The member's pages: the form (community → micro-grid, skills, times, post), the state with the return reason,
the resubmission; the link from 我的积分; fixed queries whatever the record's length."""

import pytest
from django.urls import reverse
from django.utils import timezone

from alliance.points.models import PointsKind
from alliance.volunteering import actions
from alliance.volunteering.models import DualReport
from members.models import Skill
from tests.members.factories import PartyMemberFactory
from tests.points.factories import PointsEntryFactory
from tests.volunteering.factories import DualReportFactory

pytestmark = pytest.mark.django_db


def _post(community, micro_grid, **extra):
    return {
        "community": community.pk,
        "micro_grid": micro_grid.pk,
        "in_service": "0",
        "serve_times": ["weekends"],
        "serve_note": "",
        "post_kind": "volunteer_role",
        "volunteer_role": "楼栋志愿者",
        **extra,
    }


def test_my_points_links_a_member_without_a_record_to_the_form(client, member_user):
    client.force_login(member_user)
    html = client.get(reverse("alliance:my_points")).content.decode()
    assert reverse("volunteering:report_new") in html and "请联系报到社区" not in html


def test_a_member_reports_from_the_form(client, member_user, community, micro_grid):
    skill = Skill.objects.create(name="文艺特长")
    client.force_login(member_user)
    page = client.get(reverse("volunteering:my_report"))
    assert page.status_code == 302 and page.url == reverse("volunteering:report_new")
    form = client.get(page.url).content.decode()
    assert micro_grid.name in form and 'data-parent-select="id_community"' in form and "文艺特长" in form
    response = client.post(page.url, _post(community, micro_grid, skills=[skill.pk]), follow=True)
    html = response.content.decode()
    assert "报到已提交，请等待社区确认。" in html and "待确认" in html and "楼栋志愿者" in html
    report = DualReport.objects.get(member__user=member_user)
    assert report.micro_grid == micro_grid and list(report.skills.all()) == [skill]


def test_the_form_shows_the_refusals_on_its_fields(client, member_user, community, micro_grid, other_community):
    client.force_login(member_user)
    response = client.post(
        reverse("volunteering:report_new"),
        _post(other_community, micro_grid, post_kind="team", serve_times=[]),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "请选择或填写认领的岗位。" in html
    assert not DualReport.objects.exists()


def test_a_returned_report_shows_its_reason_and_is_resubmitted(
    client, member_user, community, micro_grid, community_admin
):
    report = actions.submit_report(
        by=member_user,
        community=community,
        micro_grid=micro_grid,
        serve_times=["weekends"],
        volunteer_role="楼栋志愿者",
    )
    actions.return_report(by=community_admin, dual_report=report, reason="微网格选错了")
    client.force_login(member_user)
    html = client.get(reverse("volunteering:my_report")).content.decode()
    assert "微网格选错了" in html and reverse("volunteering:report_resubmit") in html
    form = client.get(reverse("volunteering:report_resubmit")).content.decode()
    assert "微网格选错了" in form and 'value="楼栋志愿者"' in form
    response = client.post(
        reverse("volunteering:report_resubmit"), _post(community, micro_grid, volunteer_role="文明劝导员"), follow=True
    )
    assert "已重新提交" in response.content.decode()
    report.refresh_from_db()
    assert (report.status, report.volunteer_role) == (DualReport.Status.RESUBMITTED, "文明劝导员")
    # Only a returned report is resubmitted.
    assert client.get(reverse("volunteering:report_resubmit")).url == reverse("volunteering:my_report")


def test_a_resident_is_told_the_form_is_for_party_members(client, resident):
    client.force_login(resident)
    assert client.get(reverse("volunteering:report_new")).status_code == 403
    assert client.get(reverse("volunteering:my_report")).status_code == 403
    assert client.post(reverse("volunteering:report_new"), {}).status_code == 403


def test_pages_need_sign_in(client):
    for name in ("my_report", "report_new", "report_resubmit"):
        assert client.get(reverse(f"volunteering:{name}")).status_code == 302


@pytest.mark.parametrize("n", [1, 25])
def test_my_report_shows_the_service_record_in_fixed_queries(client, community, n, django_assert_num_queries):
    from tests.volunteering.factories import PartyMemberUserFactory

    user = PartyMemberUserFactory(grid_node=community)
    member = PartyMemberFactory(user=user, community=community)
    report = DualReportFactory(member=member, status=DualReport.Status.CONFIRMED, confirmed_at=timezone.now())
    report.skills.set([Skill.objects.create(name=f"特长{n}")])
    today = timezone.localdate()
    for i in range(n):
        PointsEntryFactory(
            member=member, kind=PointsKind.VOLUNTEER_HOURS, hours=2, reason=f"志愿服务：巡查{i}", occurred_on=today
        )
    client.force_login(user)
    # session, user, the report with its links, its skills, the member's entries of the year
    with django_assert_num_queries(5):
        response = client.get(reverse("volunteering:my_report"))
    html = response.content.decode()
    assert "巡查0" in html and f'data-figure="services">{n}<' in html and f'data-figure="hours">{2 * n}.0<' in html
