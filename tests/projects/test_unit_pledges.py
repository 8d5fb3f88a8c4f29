"""A unit pledges to a crowdfunding project (公益众筹) from its workspace or the project's page."""

from decimal import Decimal

from django.urls import reverse

from projects.models import Pledge, Project
from tests.projects.factories import PledgeFactory, ProjectFactory


def _crowdfunding(community, **extra):
    return ProjectFactory(grid_node=community, crowdfunding_target=Decimal("20000"), **extra)


def test_the_unit_pledges_money_from_the_workspace_and_sees_it(client, unit_operator, community):
    project = _crowdfunding(community, title="老旧小区加装扶手众筹")
    client.force_login(unit_operator)
    form = client.get(reverse("projects_ws:pledges")).content.decode()
    assert "老旧小区加装扶手众筹" in form
    answer = client.post(reverse("projects_ws:pledges"), {"project": project.pk, "kind": "money", "amount": "3000"})
    assert answer.status_code == 302 and answer.url == reverse("projects:project", args=[project.pk])
    pledge = Pledge.objects.get(project=project)
    assert pledge.unit == unit_operator.unit and pledge.amount == Decimal("3000") and pledge.created_by == unit_operator
    page = client.get(answer.url).content.decode()
    assert "已筹 3000.00 元" in page and unit_operator.unit.name in page
    mine = client.get(reverse("projects_ws:pledges")).content.decode()
    assert "老旧小区加装扶手众筹" in mine and "3000" in mine


def test_goods_need_their_description_and_amounts_are_bounded(client, unit_operator, community):
    project = _crowdfunding(community)
    client.force_login(unit_operator)
    url = reverse("projects_ws:pledges")
    refused = client.post(url, {"project": project.pk, "kind": "goods", "amount": "800", "goods": ""})
    assert refused.status_code == 200 and "请说明捐助的物资" in refused.content.decode()
    for amount in ("0", "-5", "1000000.01", "1e9", "abc"):
        answer = client.post(url, {"project": project.pk, "kind": "money", "amount": amount})
        assert answer.status_code == 200 and "amount" in answer.context["form"].errors
    assert not Pledge.objects.exists()
    ok = client.post(url, {"project": project.pk, "kind": "goods", "amount": "800", "goods": "米面油20份"})
    assert ok.status_code == 302
    assert Pledge.objects.get().goods == "米面油20份"


def test_only_open_crowdfunding_projects_take_pledges(client, unit_operator, community):
    plain = ProjectFactory(grid_node=community)
    closed = _crowdfunding(community, status=Project.Status.COMPLETED)
    draft = _crowdfunding(community, status=Project.Status.DRAFT)
    client.force_login(unit_operator)
    for project in (plain, closed, draft):
        answer = client.post(reverse("projects_ws:pledges"), {"project": project.pk, "kind": "money", "amount": "10"})
        assert answer.status_code == 200 and "project" in answer.context["form"].errors
    assert not Pledge.objects.exists()


def test_the_project_page_offers_the_pledge_to_unit_operators_only(client, unit_operator, resident, community):
    project = _crowdfunding(community)
    url = reverse("projects:project", args=[project.pk])
    assert "本单位认捐" not in client.get(url).content.decode()
    client.force_login(resident)
    assert "本单位认捐" not in client.get(url).content.decode()
    client.force_login(unit_operator)
    assert "本单位认捐" in client.get(url).content.decode()


def test_others_cannot_pledge_through_the_workspace(client, resident, community_admin, community):
    project = _crowdfunding(community)
    for who in (resident, community_admin):
        client.force_login(who)
        body = {"project": project.pk, "kind": "money", "amount": "10"}
        assert client.post(reverse("projects_ws:pledges"), body).status_code == 403
    assert not Pledge.objects.exists()


def test_the_pledge_list_runs_a_fixed_number_of_queries(client, unit_operator, community, django_assert_num_queries):
    client.force_login(unit_operator)
    project = _crowdfunding(community)
    PledgeFactory(project=project, unit=unit_operator.unit)
    # session, user, the count, the page (project joined), the form's projects
    with django_assert_num_queries(5):
        assert client.get(reverse("projects_ws:pledges")).status_code == 200
    for _ in range(6):
        PledgeFactory(project=_crowdfunding(community), unit=unit_operator.unit)
    with django_assert_num_queries(5):
        assert client.get(reverse("projects_ws:pledges")).status_code == 200
