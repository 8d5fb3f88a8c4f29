"""Admin bulk actions and evaluation, Excel import all-or-nothing, reminders sent once per object and step."""

import datetime

import tablib
from django.urls import reverse
from django.utils import timezone

from alliance.core.importing import export_rows, import_rows
from projects import actions
from projects.models import Claim, ListSettings, Need, Project
from projects.resources import NeedResource
from tests.members.factories import MemberUnitFactory, UnitOperatorFactory
from tests.projects.factories import ClaimFactory, NeedFactory, ProjectFactory, ResourceFactory


def test_admin_bulk_approves_claims(client, community_admin, community):
    claims = [ClaimFactory(project=ProjectFactory(grid_node=community)) for _ in range(3)]
    client.force_login(community_admin)
    response = client.post(
        reverse("admin:projects_claim_changelist"),
        {"action": "approve", "_selected_action": [c.pk for c in claims]},
        follow=True,
    )
    assert "已通过 3 条" in response.content.decode()
    assert set(Claim.objects.values_list("status", flat=True)) == {Claim.Status.APPROVED}


def test_admin_evaluates_a_completed_claim(client, community_admin, community):
    claim = ClaimFactory(project=ProjectFactory(grid_node=community), status=Claim.Status.COMPLETED)
    client.force_login(community_admin)
    # The change form does not take a rating: the evaluation is a transition with its own form.
    client.post(
        reverse("admin:projects_claim_change", args=[claim.pk]),
        {"rating": "4", "evaluation": "按时完成,居民满意", "decision_note": ""},
    )
    claim.refresh_from_db()
    assert (claim.status, claim.rating) == (Claim.Status.COMPLETED, None)
    client.post(
        reverse("admin:projects_claim_transition", args=[claim.pk, "evaluate"]),
        {"confirm": "yes", "rating": "4", "comment": "按时完成,居民满意"},
    )
    claim.refresh_from_db()
    assert (claim.status, claim.rating, claim.evaluated_by) == (Claim.Status.EVALUATED, 4, community_admin)
    assert claim.evaluation == "按时完成,居民满意"


def test_admin_hides_other_communities_claims(client, other_community_admin, community):
    claim = ClaimFactory(project=ProjectFactory(grid_node=community))
    client.force_login(other_community_admin)
    assert client.get(reverse("admin:projects_claim_change", args=[claim.pk])).status_code == 404


def test_admin_pages_render(client, superuser, community):
    ClaimFactory(project=ProjectFactory(grid_node=community))
    NeedFactory(grid_node=community)
    ResourceFactory()
    client.force_login(superuser)
    for model in ("resource", "need", "project", "claim", "pledge", "wish", "match", "listsettings", "category"):
        assert client.get(reverse(f"admin:projects_{model}_changelist")).status_code == 200, model
    project = Project.objects.first()
    assert client.get(reverse("admin:projects_project_change", args=[project.pk])).status_code == 200


def test_need_import_is_all_or_nothing_with_chinese_row_errors(street_admin, community):
    data = tablib.Dataset(headers=["需求名称", "类别", "所在网格编码", "涉及人数"])
    data.append(["楼道照明改造", "老旧小区改造", community.code, 30])
    data.append(["老人助餐", "不存在的类别", community.code, 12])
    report = import_rows(NeedResource, data, street_admin)
    assert not report.ok
    assert any("第3行" in str(e) and "类别" in str(e) for e in report.errors)
    assert not Need.objects.exists()

    data = tablib.Dataset(headers=["需求名称", "类别", "所在网格编码", "涉及人数"])
    data.append(["楼道照明改造", "老旧小区改造", community.code, 30])
    report = import_rows(NeedResource, data, street_admin)
    assert report.ok and report.created == 1
    exported = export_rows(NeedResource, street_admin)
    assert "楼道照明改造" in exported.csv


def test_claims_with_no_progress_are_reminded_once_per_period(unit_operator, community):
    ListSettings.objects.update_or_create(pk=1, defaults={"no_progress_days": 7})
    claim = ClaimFactory(project=ProjectFactory(grid_node=community), unit=unit_operator.unit)
    Claim.objects.filter(pk=claim.pk).update(
        status=Claim.Status.IN_PROGRESS, last_progress_at=timezone.now() - datetime.timedelta(days=8)
    )
    assert actions.remind_stale_claims() == 1
    assert actions.remind_stale_claims() == 0
    assert unit_operator.notifications.filter(key=f"claim:{claim.pk}:no-progress:1").exists()


def test_projects_near_deadline_with_free_places_alert_matching_units(community):
    unit = MemberUnitFactory(grid_node=community)
    operator = UnitOperatorFactory(unit=unit)
    ResourceFactory(unit=unit)
    project = ProjectFactory(grid_node=community, deadline=timezone.localdate() + datetime.timedelta(days=3))
    full = ProjectFactory(grid_node=community, deadline=timezone.localdate() + datetime.timedelta(days=3), capacity=1)
    ClaimFactory(project=full)

    assert actions.remind_projects_near_deadline() == 1
    assert actions.remind_projects_near_deadline() == 0
    assert operator.notifications.filter(key=f"project:{project.pk}:deadline").exists()
    assert not operator.notifications.filter(key=f"project:{full.pk}:deadline").exists()
