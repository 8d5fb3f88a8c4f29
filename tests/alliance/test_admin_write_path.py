"""The admin is not a second write path (issue 12 §2): workflow fields are read-only in every form, transitions
are buttons and actions that call the apps' actions, records added in the admin go through the actions."""

import datetime

import pytest
from django import forms
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from alliance.committee.models import Article, Matter, Meeting
from alliance.core.admin_base import workflow_fields
from alliance.points.models import PointsEntry, PointsKind
from members.models import MemberUnit
from projects.models import Claim, Need, Project, Resource, Wish
from services.models import Activity, Booking, Issue, Order
from tests.alliance.factories import MatterFactory, MeetingFactory
from tests.members.factories import CommunityAdminFactory, MemberUnitFactory, UnitOperatorFactory
from tests.news.factories import ArticleFactory
from tests.projects.factories import ClaimFactory, NeedFactory, ProjectFactory, ResourceFactory, WishFactory, category
from tests.services.factories import (
    ActivityFactory,
    BookingFactory,
    IssueFactory,
    MenuItemFactory,
    OrderFactory,
    RoomFactory,
    ServiceStationFactory,
)

pytestmark = pytest.mark.django_db

OUR_APPS = {"alliance", "projects", "services", "members", "grids"}

# What a reader of the issue calls the workflow, written out independently of admin_base's rule.
MUST_BE_READ_ONLY = {
    Project: {"status", "active_claims", "published_at", "completed_at", "completed_by"},
    Claim: {"status", "rating", "evaluation", "decided_by", "evaluated_by", "completed_at"},
    Need: {"status", "closed_at", "created_by"},
    Resource: {"status", "retired_at", "created_by"},
    Wish: {"status", "reviewed_by", "claimant_unit", "claimant_member", "thanks", "fulfilled_at"},
    Order: {"status", "rating", "comment", "unit", "accepted_by", "delivered_by", "delivered_at", "rated_at"},
    Issue: {"status", "level", "handler", "rating", "rating_comment", "rated_at", "reopened"},
    Meeting: {"status", "held_at", "held_by", "cancelled_at", "cancel_reason"},
    Matter: {"status", "resolution", "defer_reason", "resolved_by", "studied_by", "progress"},
    Booking: {"status", "cancelled_at", "cancelled_by", "starts_at", "ends_at"},
    Activity: {"status"},
    Article: {"status", "author"},
    MemberUnit: {"status", "star_rating"},
}


def _admin_request(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def _editable_fields(form_class) -> set[str]:
    return set(form_class.base_fields)


def test_no_registered_admin_offers_a_workflow_field_as_an_editable_field(superuser):
    """Every admin and inline of the apps, add and change forms alike, as the most powerful user."""
    request = _admin_request(superuser)
    checked = 0
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in OUR_APPS:
            continue
        protected = set(workflow_fields(model, getattr(model_admin, "workflow_fields", ())))
        protected |= MUST_BE_READ_ONLY.get(model, set())
        for obj in (None, model()):
            if obj is None and not model_admin.has_add_permission(request):
                continue
            if obj is not None and not model_admin.has_change_permission(request, obj):
                continue  # Django shows every field read-only
            editable = _editable_fields(model_admin.get_form(request, obj))
            assert not editable & protected, (model_admin, sorted(editable & protected))
            for inline in model_admin.get_inline_instances(request, obj):
                inline_protected = set(workflow_fields(inline.model, getattr(inline, "workflow_fields", ())))
                formset = inline.get_formset(request, obj)
                leaked = _editable_fields(formset.form) & inline_protected
                assert not leaked, (inline, sorted(leaked))
            checked += 1
    assert checked > 40  # every admin of the five apps was looked at


def test_the_rule_finds_states_stamps_and_ratings_by_name():
    names = workflow_fields(Order)
    assert {"status", "rating", "accepted_at", "accepted_by", "delivered_at", "rated_at"} <= names
    assert "starts_at" not in workflow_fields(Meeting)  # when a meeting is planned is not a stamp
    assert "contact_phone" not in names and "address" not in names


# --- the change form cannot move a record's state -------------------------------------------------------


def _form_data(response) -> dict:
    """What a browser would post back from an admin change page, as rendered."""
    data: dict = {}

    def add(form):
        for name, field in form.fields.items():
            if isinstance(field, forms.FileField):
                continue
            value = form[name].value()
            key = form.add_prefix(name)
            widget = field.widget
            if isinstance(widget, forms.MultiWidget):
                parts = widget.decompress(value) if not isinstance(value, list) else value
                for suffix, sub, part in zip(widget.widgets_names, widget.widgets, parts, strict=False):
                    if part is not None:
                        data[key + suffix] = sub.format_value(part)
                continue
            if value is None:
                continue
            if isinstance(field, forms.BooleanField):
                if value:
                    data[key] = "on"
            elif isinstance(value, (list, tuple)):
                data[key] = [str(v) for v in value]
            else:
                formatted = widget.format_value(value)
                data[key] = "" if formatted is None else formatted

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        add(inline.formset.management_form)
        for form in inline.formset.forms:
            add(form)
    return data


@pytest.fixture
def records(community, committee):
    unit = MemberUnitFactory(grid_node=community)
    project = ProjectFactory(grid_node=community, status=Project.Status.DRAFT)
    return {
        "project": (project, {"status": "completed"}),
        "claim": (
            ClaimFactory(project=ProjectFactory(grid_node=community), unit=unit, status=Claim.Status.COMPLETED),
            {"status": "evaluated", "rating": "5", "evaluation": "很好"},
        ),
        "need": (NeedFactory(grid_node=community), {"status": "fulfilled"}),
        "resource": (ResourceFactory(unit=unit), {"status": "retired"}),
        "wish": (WishFactory(grid_node=community), {"status": "fulfilled"}),
        "order": (
            OrderFactory(grid_node=community, menu_item=MenuItemFactory(provider_unit=unit)),
            {"status": "delivered", "rating": "5"},
        ),
        "issue": (IssueFactory(grid_node=community), {"status": "evaluated", "rating": "5", "level": "3"}),
        "meeting": (MeetingFactory(committee=committee), {"status": "held"}),
        "matter": (MatterFactory(committee=committee), {"status": "resolved", "resolution": "同意"}),
        "booking": (
            BookingFactory(room=RoomFactory(station=ServiceStationFactory(grid_node=community))),
            {"status": "cancelled"},
        ),
        "activity": (ActivityFactory(grid_node=community), {"status": "cancelled"}),
        "article": (ArticleFactory(grid_node=community, status=Article.Status.DRAFT), {"status": "published"}),
        "memberunit": (unit, {"status": "suspended", "star_rating": "5"}),
    }


@pytest.mark.parametrize(
    "name",
    [
        "project",
        "claim",
        "need",
        "resource",
        "wish",
        "order",
        "issue",
        "meeting",
        "matter",
        "booking",
        "activity",
        "article",
        "memberunit",
    ],
)
def test_posting_the_change_form_with_another_state_changes_nothing_of_the_workflow(
    client, street_admin, records, name
):
    obj, hostile = records[name]
    model = type(obj)
    before = {field: getattr(model.objects.get(pk=obj.pk), field) for field in hostile}
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[obj.pk])
    client.force_login(street_admin)
    page = client.get(url)
    assert page.status_code == 200
    data = {**_form_data(page), **hostile}
    response = client.post(url, data)
    errors = response.context["adminform"].form.errors if response.status_code == 200 else None
    assert response.status_code == 302, errors  # saved: only the state was ignored
    after = model.objects.get(pk=obj.pk)
    assert {field: getattr(after, field) for field in hostile} == before


# --- transitions are buttons that call the actions ----------------------------------------------------


def _transition(model, obj, name):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_transition", args=[obj.pk, name])


def test_the_change_page_offers_the_transitions_of_the_state_as_post_buttons(client, community_admin, community):
    project = ProjectFactory(grid_node=community, status=Project.Status.DRAFT)
    client.force_login(community_admin)
    html = client.get(reverse("admin:projects_project_change", args=[project.pk])).content.decode()
    publish = _transition(Project, project, "publish")
    assert f'<form method="post" action="{publish}"' in html
    assert _transition(Project, project, "complete") not in html  # a draft is not completed
    # The button leads to a confirmation; nothing happens until it is confirmed.
    confirm = client.post(publish)
    assert confirm.status_code == 200 and "确认" in confirm.content.decode()
    project.refresh_from_db()
    assert project.status == Project.Status.DRAFT
    response = client.post(publish, {"confirm": "yes"}, follow=True)
    project.refresh_from_db()
    assert project.status == Project.Status.PUBLISHED and project.published_at is not None
    assert "已发布" in response.content.decode()


def test_a_refused_transition_is_an_error_message_not_a_500(client, community_admin, community):
    past = timezone.localdate() - datetime.timedelta(days=3)
    project = ProjectFactory(grid_node=community, status=Project.Status.DRAFT, deadline=past)
    client.force_login(community_admin)
    response = client.post(_transition(Project, project, "publish"), {"confirm": "yes"}, follow=True)
    assert response.status_code == 200
    assert "截止日期已过" in response.content.decode()
    project.refresh_from_db()
    assert project.status == Project.Status.DRAFT
    # completing a draft is refused by the action too, whatever the button list shows
    response = client.post(_transition(Project, project, "complete"), {"confirm": "yes"}, follow=True)
    assert response.status_code == 200 and "只有认领中或实施中的项目" in response.content.decode()


def test_transitions_out_of_scope_answer_404_and_the_wrong_role_is_refused(
    client, other_community_admin, community, unit
):
    project = ProjectFactory(grid_node=community, status=Project.Status.DRAFT)
    client.force_login(other_community_admin)
    assert client.post(_transition(Project, project, "publish"), {"confirm": "yes"}).status_code == 404
    project.refresh_from_db()
    assert project.status == Project.Status.DRAFT
    # A community admin may not accept an order offered to a unit: the action refuses, the admin says why.
    order = OrderFactory(grid_node=community, menu_item=MenuItemFactory(provider_unit=unit))
    client.force_login(CommunityAdminFactory(grid_node=community))
    response = client.post(_transition(Order, order, "accept"), {"confirm": "yes"}, follow=True)
    assert response.status_code == 200 and 'class="error"' in response.content.decode()
    order.refresh_from_db()
    assert order.status == Order.Status.SUBMITTED
    client.force_login(UnitOperatorFactory(unit=unit))  # not an admin at all: the admin login
    assert client.post(_transition(Order, order, "accept"), {"confirm": "yes"}).status_code == 302
    order.refresh_from_db()
    assert order.status == Order.Status.SUBMITTED


def test_a_transition_that_takes_a_reason_asks_for_it(client, street_admin, committee):
    meeting = MeetingFactory(committee=committee)
    url = _transition(Meeting, meeting, "cancel")
    client.force_login(street_admin)
    page = client.post(url, {"confirm": "yes", "reason": ""})
    assert page.status_code == 200 and "取消原因" in page.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.SCHEDULED
    client.post(url, {"confirm": "yes", "reason": "台风预警"})
    meeting.refresh_from_db()
    assert (meeting.status, meeting.cancel_reason, meeting.cancelled_by) == ("cancelled", "台风预警", street_admin)


def test_claim_buttons_stamp_who_and_award_what_the_actions_award(client, community_admin, community, unit):
    claim = ClaimFactory(project=ProjectFactory(grid_node=community), unit=unit)
    client.force_login(community_admin)
    client.post(_transition(Claim, claim, "reject"), {"confirm": "yes", "note": ""})
    claim.refresh_from_db()
    assert claim.status == Claim.Status.PENDING  # a rejection needs its reason
    client.post(_transition(Claim, claim, "approve"), {"confirm": "yes"})
    client.post(_transition(Claim, claim, "complete"), {"confirm": "yes"})
    client.post(_transition(Claim, claim, "evaluate"), {"confirm": "yes", "rating": "5", "comment": "认真负责"})
    claim.refresh_from_db()
    assert (claim.status, claim.decided_by, claim.evaluated_by, claim.rating) == (
        Claim.Status.EVALUATED,
        community_admin,
        community_admin,
        5,
    )
    kinds = set(PointsEntry.objects.filter(unit=unit).values_list("kind", flat=True))
    assert PointsKind.CLAIM_COMPLETED in kinds


def test_order_delivery_and_issue_escalation_are_buttons(client, community_admin, community):
    unit = MemberUnitFactory(grid_node=community)
    order = OrderFactory(grid_node=community)
    Order.objects.filter(pk=order.pk).update(status=Order.Status.ACCEPTED, unit=unit, accepted_at=timezone.now())
    issue = IssueFactory(grid_node=community, level=Issue.Level.MICRO)
    client.force_login(community_admin)
    client.post(_transition(Order, order, "deliver_selected"), {"confirm": "yes"})
    order.refresh_from_db()
    assert (order.status, order.delivered_by) == (Order.Status.DELIVERED, community_admin)
    client.post(_transition(Issue, issue, "escalate_selected"), {"confirm": "yes", "reason": "需要社区协调"})
    issue.refresh_from_db()
    assert issue.level == Issue.Level.COMMUNITY
    assert issue.events.filter(kind="escalated").exists()


def test_cancelling_an_activity_tells_those_signed_up(client, community_admin, community, resident):
    from services import actions

    activity = ActivityFactory(grid_node=community)
    actions.sign_up(by=resident, activity=activity)
    client.force_login(community_admin)
    client.post(_transition(Activity, activity, "cancel"), {"confirm": "yes", "reason": "场地维修"})
    activity.refresh_from_db()
    assert activity.status == Activity.Status.CANCELLED
    assert resident.notifications.filter(key=f"activity:{activity.pk}:cancelled").exists()


def test_bulk_transitions_with_a_reason_ask_once_and_apply_to_each_row(client, street_admin, committee):
    matters = [MatterFactory(committee=committee) for _ in range(2)]
    client.force_login(street_admin)
    url = reverse("admin:alliance_matter_changelist")
    ids = [m.pk for m in matters]
    page = client.post(url, {"action": "defer", "_selected_action": ids})
    assert page.status_code == 200 and "暂缓原因" in page.content.decode()
    client.post(url, {"action": "defer", "_selected_action": ids, "apply": "1", "reason": "等待资金"})
    assert set(Matter.objects.values_list("status", "defer_reason", "deferred_by")) == {
        ("deferred", "等待资金", street_admin.pk)
    }


# --- records added in the admin go through the actions --------------------------------------------------


def test_a_project_added_in_the_admin_is_a_draft_created_by_the_action(client, community_admin, community):
    need = NeedFactory(grid_node=community)
    client.force_login(community_admin)
    data = {
        "title": "楼道照明改造",
        "category": category().pk,
        "description": "",
        "grid_node": community.pk,
        "needs": [need.pk],
        "capacity": "2",
        "deadline": (timezone.localdate() + datetime.timedelta(days=20)).isoformat(),
        "status": "completed",  # ignored: not a field of the form
    }
    for prefix in ("claims", "pledges", "expenditures"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    response = client.post(reverse("admin:projects_project_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    project = Project.objects.get(title="楼道照明改造")
    assert (project.status, project.created_by) == (Project.Status.DRAFT, community_admin)
    need.refresh_from_db()
    assert need.status == Need.Status.IN_PROJECT  # the action's effect on the linked needs
    assert project.history.count() >= 1


def test_a_matter_added_in_the_admin_is_raised_by_the_action(client, street_admin, committee):
    client.force_login(street_admin)
    data = {
        "committee": committee.pk,
        "title": "背街小巷停车难",
        "description": "",
        "raised_by_unit": "",
        "status": "resolved",
        "milestones-TOTAL_FORMS": "0",
        "milestones-INITIAL_FORMS": "0",
    }
    response = client.post(reverse("admin:alliance_matter_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    matter = Matter.objects.get()
    assert (matter.status, matter.raised_by) == (Matter.Status.PROPOSED, street_admin)


def test_a_need_added_in_the_admin_is_created_by_the_action(client, community_admin, community):
    client.force_login(community_admin)
    data = {
        "kind": "need",
        "title": "老人助餐",
        "category": category().pk,
        "description": "",
        "grid_node": community.pk,
        "people_affected": "12",
        "urgency": "normal",
        "status": "fulfilled",
    }
    response = client.post(reverse("admin:projects_need_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    need = Need.objects.get()
    assert (need.status, need.created_by) == (Need.Status.OPEN, community_admin)


def test_orders_issues_bookings_wishes_and_claims_are_not_added_in_the_admin(client, superuser):
    client.force_login(superuser)
    for name in ("services_order", "services_issue", "services_booking", "projects_wish", "projects_claim"):
        assert client.get(reverse(f"admin:{name}_add")).status_code == 403, name


def test_an_add_the_action_refuses_comes_back_with_the_reason_and_saves_nothing(
    client, community_admin, community, monkeypatch
):
    from django.core.exceptions import ValidationError

    from projects import actions

    create_need = actions.create_need

    def refusing(**kwargs):
        create_need(**kwargs)  # writes, then the refusal: the whole save is rolled back
        raise ValidationError({"wanted_by": "期望解决日期不能早于今天。", "other": "另一条理由。"})

    monkeypatch.setattr(actions, "create_need", refusing)
    client.force_login(community_admin)
    data = {
        "kind": "need",
        "title": "老人助餐",
        "category": category().pk,
        "description": "",
        "grid_node": community.pk,
        "people_affected": "12",
        "urgency": "normal",
    }
    response = client.post(reverse("admin:projects_need_add"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "期望解决日期不能早于今天" in html and "另一条理由" in html and 'value="老人助餐"' in html
    assert not Need.objects.exists()


def test_milestones_are_added_and_completed_through_the_actions(client, street_admin, committee):
    matter = MatterFactory(committee=committee, status=Matter.Status.PROPOSED)
    url = reverse("admin:alliance_matter_change", args=[matter.pk])
    client.force_login(street_admin)
    data = _form_data(client.get(url))
    data.update({"milestones-TOTAL_FORMS": "1", "milestones-0-title": "完成方案", "milestones-0-sort_order": "1"})
    response = client.post(url, data)
    assert response.status_code == 200 and "只有已议决的议题才能设置落实节点" in response.content.decode()
    assert not matter.milestones.exists()

    Matter.objects.filter(pk=matter.pk).update(status=Matter.Status.RESOLVED)
    data = _form_data(client.get(url))
    data.update({"milestones-TOTAL_FORMS": "1", "milestones-0-title": "完成方案", "milestones-0-sort_order": "1"})
    assert client.post(url, data).status_code == 302
    milestone = matter.milestones.get()
    data = _form_data(client.get(url))
    data["milestones-0-done_on"] = "2026-11-30"
    assert client.post(url, data).status_code == 302
    milestone.refresh_from_db()
    assert milestone.done_on == datetime.date(2026, 11, 30)


def _activity_form(community, starts_at, ends_at):
    local = timezone.localtime
    return {
        "title": "重阳节义诊",
        "kind": "health_check",
        "organiser": "舜园社区",
        "grid_node": community.pk,
        "place": "社区党群服务站",
        "starts_at_0": local(starts_at).strftime("%Y-%m-%d"),
        "starts_at_1": local(starts_at).strftime("%H:%M:%S"),
        "ends_at_0": local(ends_at).strftime("%Y-%m-%d"),
        "ends_at_1": local(ends_at).strftime("%H:%M:%S"),
        "capacity": "30",
        "points": "2",
        "description": "",
        "status": "cancelled",
        "signups-TOTAL_FORMS": "0",
        "signups-INITIAL_FORMS": "0",
    }


def test_an_activity_added_in_the_admin_is_published_by_the_action(client, community_admin, community):
    client.force_login(community_admin)
    start = timezone.now() + datetime.timedelta(days=3)
    response = client.post(
        reverse("admin:services_activity_add"), _activity_form(community, start, start + datetime.timedelta(hours=2))
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    activity = Activity.objects.get()
    assert (activity.title, activity.status) == ("重阳节义诊", Activity.Status.PUBLISHED)


def test_an_activity_in_the_past_is_refused_in_the_admin_as_everywhere(client, community_admin, community):
    client.force_login(community_admin)
    start = timezone.now() - datetime.timedelta(days=1)
    response = client.post(
        reverse("admin:services_activity_add"), _activity_form(community, start, start + datetime.timedelta(hours=2))
    )
    assert response.status_code == 200
    assert "活动开始时间须晚于现在" in response.content.decode()
    assert not Activity.objects.exists()
