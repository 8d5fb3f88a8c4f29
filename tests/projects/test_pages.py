"""Public pages of the lists and the unit workspace: filters, claiming, reports with photos, fixed query counts."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from projects.models import Claim, ListSettings, Project, Resource, Wish
from tests.members.factories import MemberUnitFactory
from tests.projects.factories import (
    ClaimFactory,
    NeedFactory,
    PledgeFactory,
    ProjectFactory,
    ResourceFactory,
    WishFactory,
    category,
)


def test_lists_filter_by_category_and_chinese_text(client, community):
    ResourceFactory(title="法律咨询志愿服务", category=category("housing_safety-4"))
    ResourceFactory(title="义诊服务", category=category("health-1"))
    page = client.get(reverse("projects:resources"), {"q": "法律"}).content.decode()
    assert "法律咨询志愿服务" in page and "义诊服务" not in page
    page = client.get(reverse("projects:resources"), {"category": category("health").pk}).content.decode()
    assert "义诊服务" in page and "法律咨询志愿服务" not in page


def test_crowdfunding_project_shows_progress_and_account(client, community):
    project = ProjectFactory(grid_node=community, crowdfunding_target=10000, title="爱心助学众筹")
    PledgeFactory(project=project, amount=2500)
    page = client.get(reverse("projects:project", args=[project.pk])).content.decode()
    assert "已筹 2500.00 元，目标 10000.00 元（25%）" in page
    assert 'style="width: 25%"' in page


def test_draft_project_is_not_public(client, community):
    project = ProjectFactory(grid_node=community, status=Project.Status.DRAFT)
    assert client.get(reverse("projects:project", args=[project.pk])).status_code == 404


def test_operator_claims_on_the_page_and_reports_with_a_photo(client, unit_operator, community_admin, community):
    from projects import actions

    project = ProjectFactory(grid_node=community)
    client.force_login(unit_operator)
    page = client.get(reverse("projects:project", args=[project.pk])).content.decode()
    assert "我单位认领" in page
    response = client.post(reverse("projects:claim", args=[project.pk]), {"note": "可派10名志愿者"})
    claim = Claim.objects.get(project=project, unit=unit_operator.unit)
    assert response.url == reverse("projects_ws:claim", args=[claim.pk])

    actions.approve_claim(by=community_admin, claim=claim)
    buf = io.BytesIO()
    Image.new("RGB", (10, 10), "blue").save(buf, "JPEG")
    photo = SimpleUploadedFile("scene.jpg", buf.getvalue(), content_type="image/jpeg")
    client.post(reverse("projects_ws:claim", args=[claim.pk]), {"text": "完成第一批入户", "photos": [photo]})
    page = client.get(reverse("projects_ws:claim", args=[claim.pk])).content.decode()
    assert "完成第一批入户" in page and "<img" in page


def test_full_project_page_says_so(client, community):
    project = ProjectFactory(grid_node=community, capacity=1)
    ClaimFactory(project=project)
    from tests.members.factories import UnitOperatorFactory

    operator = UnitOperatorFactory(unit=MemberUnitFactory(grid_node=community))
    client.force_login(operator)
    response = client.post(reverse("projects:claim", args=[project.pk]), follow=True)
    assert "该项目认领名额已满" in response.content.decode()


def test_operator_publishes_and_retires_resources_in_the_workspace(client, unit_operator):
    client.force_login(unit_operator)
    client.post(
        reverse("projects_ws:resource_new"),
        {"title": "会议室共享", "category": category("party_learning-1").pk, "quantity": 1},
    )
    resource = Resource.objects.get(title="会议室共享")
    assert resource.unit == unit_operator.unit
    client.post(reverse("projects_ws:resource_toggle", args=[resource.pk]))
    resource.refresh_from_db()
    assert resource.status == Resource.Status.RETIRED


def test_resident_posts_a_wish(client, resident):
    client.force_login(resident)
    client.post(reverse("projects:wish_new"), {"title": "想要一个助行器"})
    wish = Wish.objects.get(title="想要一个助行器")
    assert (wish.status, wish.resident) == (Wish.Status.SUBMITTED, resident)


def test_workspace_is_for_unit_operators(client, resident):
    client.force_login(resident)
    assert client.get(reverse("projects_ws:index")).status_code == 403


def _fill(community, n):
    unit = MemberUnitFactory(grid_node=community)
    for _ in range(n):
        ResourceFactory(unit=unit)
        NeedFactory(grid_node=community)
        project = ProjectFactory(grid_node=community, crowdfunding_target=1000)
        PledgeFactory(project=project, unit=unit)
        ClaimFactory(project=project, unit=MemberUnitFactory(grid_node=community))
        WishFactory(grid_node=community)
    return unit


PAGES = {
    # Lists: count, page, categories and grid nodes of the filter bar (+ units for resources).
    "projects:index": 5,  # counts of resources, needs, wishes, projects, claims
    "projects:resources": 5,
    "projects:needs": 4,
    "projects:projects": 4,
    "projects:wishes": 3,  # no category select on the wishes page
}


@pytest.mark.parametrize("name", PAGES)
def test_list_pages_run_a_fixed_number_of_queries(client, community, django_assert_num_queries, name):
    _fill(community, 2)
    with django_assert_num_queries(PAGES[name]):
        assert client.get(reverse(name)).status_code == 200
    _fill(community, 10)
    with django_assert_num_queries(PAGES[name]):
        assert client.get(reverse(name)).status_code == 200


def test_project_page_runs_a_fixed_number_of_queries(client, community, django_assert_num_queries):
    project = ProjectFactory(grid_node=community, crowdfunding_target=5000, capacity=10)
    PledgeFactory(project=project)
    ClaimFactory(project=project)
    # project (with totals), claims+units, pledges, pledge units, expenditures, needs
    with django_assert_num_queries(6):
        client.get(reverse("projects:project", args=[project.pk]))
    for _ in range(5):
        PledgeFactory(project=project)
        ClaimFactory(project=project)
    with django_assert_num_queries(6):
        client.get(reverse("projects:project", args=[project.pk]))


def test_workspace_runs_a_fixed_number_of_queries(client, unit_operator, community, django_assert_num_queries):
    ListSettings.get()  # the limits' row exists (its first read creates it)
    client.force_login(unit_operator)
    # session, user (+unit), the claims' limit, resources, claims, matches, open projects
    with django_assert_num_queries(7):
        client.get(reverse("projects_ws:index"))
    for _ in range(5):
        ResourceFactory(unit=unit_operator.unit)
        ClaimFactory(unit=unit_operator.unit, project=ProjectFactory(grid_node=community))
        ProjectFactory(grid_node=community)
    with django_assert_num_queries(7):
        client.get(reverse("projects_ws:index"))


def test_home_page_links_to_the_lists(client, db):
    page = client.get(reverse("home")).content.decode()
    assert reverse("projects:projects") in page
