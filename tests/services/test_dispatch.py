"""派单: a new order, issue or claim reaches the people who handle it at once, by their channels, once."""

import datetime

import pytest
from django.utils import timezone

from alliance.core.models import Notification, NotificationDelivery, NotificationPreference, NotificationSettings
from alliance.core.notifications import deliver
from grids.models import GridRole
from projects.actions import claim_project
from services import actions
from services.events import order_submitted
from tests.grids.factories import GridRoleFactory, MicroGridFactory
from tests.members.factories import (
    CommunityAdminFactory,
    GridWorkerFactory,
    MemberUnitFactory,
    ResidentFactory,
    StreetAdminFactory,
    UnitOperatorFactory,
)
from tests.projects.factories import ProjectFactory
from tests.services.factories import MenuItemFactory, ServiceStationFactory, category


def inbox(user):
    return list(Notification.objects.filter(recipient=user).values_list("title", flat=True))


@pytest.fixture
def item(unit, community):
    return MenuItemFactory(provider_unit=unit, grid_scope=community, title="老年助餐送餐")


@pytest.fixture
def staff(community, micro_grid, street):
    """Everyone who might be told of something in the community, and people who must not be."""
    return {
        "community_admin": CommunityAdminFactory(grid_node=community),
        "community_worker": GridWorkerFactory(grid_node=community),
        "micro_worker": GridWorkerFactory(grid_node=micro_grid),
        "street_admin": StreetAdminFactory(grid_node=street),
    }


def test_an_order_of_a_units_item_goes_to_its_operators_at_once(item, unit, unit_operator, micro_grid, staff):
    resident = ResidentFactory(grid_node=micro_grid, display_name="王阿姨", phone="13912345678")
    colleague = UnitOperatorFactory(unit=unit, grid_node=unit.grid_node)
    retired = UnitOperatorFactory(unit=unit, grid_node=unit.grid_node, is_active=False)
    other_operator = UnitOperatorFactory(unit=MemberUnitFactory(grid_node=unit.grid_node))

    order = actions.submit_order(by=resident, menu_item=item, wanted_on=timezone.localdate())

    for operator in (unit_operator, colleague):
        note = Notification.objects.get(recipient=operator)
        assert note.title == "新的点单：王阿姨预约了“老年助餐送餐”"
        assert note.url == "/workspace/services/orders/"
        assert "前接单" in note.body and "期望日期" in note.body
        assert note.key == f"order:{order.pk}:submitted"
    for nobody in (retired, other_operator, *staff.values()):
        assert inbox(nobody) == []


def test_a_notice_names_the_resident_by_the_end_of_the_phone_never_the_whole_number(item, unit_operator, community):
    resident = ResidentFactory(grid_node=community, display_name="", username="13912345678", phone="13912345678")
    actions.submit_order(by=resident, menu_item=item)
    note = Notification.objects.get(recipient=unit_operator)
    assert note.title == "新的点单：尾号5678的居民预约了“老年助餐送餐”"
    assert "13912345678" not in note.title + note.body + note.url


def test_a_free_text_order_goes_to_the_community_staff_not_the_street_or_another_community(
    micro_grid, staff, other_community_admin, unit_operator
):
    resident = ResidentFactory(grid_node=micro_grid, display_name="李大爷")
    order = actions.submit_order(by=resident, category=category("housing_safety"), text="家里水管漏水，想找人修一下")

    admin_note = Notification.objects.get(recipient=staff["community_admin"])
    assert admin_note.title == "新的点单：李大爷需要“百姓安居”服务"
    assert admin_note.url == f"/admin/services/order/{order.pk}/change/"
    assert "家里水管漏水" in admin_note.body and "协调接单" in admin_note.body
    for worker in (staff["community_worker"], staff["micro_worker"]):
        assert Notification.objects.get(recipient=worker).url == "/workspace/services/orders/?status=submitted"
    for nobody in (staff["street_admin"], other_community_admin, unit_operator):
        assert inbox(nobody) == []


def test_an_order_of_a_stations_item_goes_to_the_community_staff(community, staff, resident):
    station_item = MenuItemFactory(
        provider_unit=None, provider_station=ServiceStationFactory(grid_node=community), grid_scope=community
    )
    actions.submit_order(by=resident, menu_item=station_item)
    assert len(inbox(staff["community_admin"])) == 1
    assert len(inbox(staff["community_worker"])) == 1


def test_an_order_is_dispatched_once_however_often_the_event_is_heard(item, unit_operator, resident):
    order = actions.submit_order(by=resident, menu_item=item)
    order_submitted.send(sender=type(order), instance=order, by=resident)
    assert len(inbox(unit_operator)) == 1


def report(by, node, **kwargs):
    return actions.report_issue(by=by, title="楼道堆放杂物", text="3号楼楼道堆放杂物。", grid_node=node, **kwargs)


def test_an_issue_goes_to_the_grid_worker_of_its_micro_grid_only(micro_grid, staff):
    resident = ResidentFactory(grid_node=micro_grid, display_name="张先生")
    issue = report(resident, micro_grid, location="3号楼2单元")

    note = Notification.objects.get(recipient=staff["micro_worker"])
    assert note.title == "新的居民说事：张先生反映“楼道堆放杂物”"
    assert note.url == f"/workspace/services/issues/{issue.pk}/"
    assert micro_grid.name in note.body and "3号楼2单元" in note.body and "前处理" in note.body
    for nobody in ("community_admin", "community_worker", "street_admin"):
        assert inbox(staff[nobody]) == []


def test_the_holder_of_a_grid_worker_post_is_the_micro_grids_worker(micro_grid, community, staff):
    staff["micro_worker"].delete()
    holder = ResidentFactory(grid_node=micro_grid)  # an account holding the post, whatever its role
    GridRoleFactory(node=micro_grid, post=GridRole.Post.GRID_WORKER, user=holder)
    GridRoleFactory(node=micro_grid, post=GridRole.Post.BUILDING_LEADER, user=ResidentFactory(grid_node=micro_grid))
    report(ResidentFactory(grid_node=micro_grid), micro_grid)
    assert len(inbox(holder)) == 1
    assert inbox(staff["community_worker"]) == []


def test_a_micro_grid_without_a_worker_sends_the_issue_to_the_communitys_workers(micro_grid, community, staff):
    bare = MicroGridFactory(parent=community)
    report(ResidentFactory(grid_node=bare), bare)
    assert len(inbox(staff["community_worker"])) == 1
    assert inbox(staff["micro_worker"]) == []  # another micro-grid's worker
    assert inbox(staff["community_admin"]) == []


def test_a_community_without_grid_workers_sends_the_issue_to_its_admins(community, community_admin, other_community):
    bare = MicroGridFactory(parent=community)
    GridWorkerFactory(grid_node=other_community)
    report(ResidentFactory(grid_node=bare), bare)
    assert len(inbox(community_admin)) == 1


def test_an_issue_a_grid_worker_records_is_not_sent_back_to_them(micro_grid, staff):
    worker = staff["micro_worker"]
    report(worker, micro_grid, channel="grid_visit", contact_phone="13912345678")
    assert inbox(worker) == []


def test_a_claim_goes_to_the_admins_who_approve_it(community, street, other_community_admin, unit_operator):
    project = ProjectFactory(grid_node=MicroGridFactory(parent=community), title="社区义诊")
    approver = CommunityAdminFactory(grid_node=community)
    street_admin = StreetAdminFactory(grid_node=street)
    claim = claim_project(by=unit_operator, project=project, note="可派两名医生")

    note = Notification.objects.get(recipient=approver)
    assert note.title == f"新的项目认领：{unit_operator.unit.name}认领了“社区义诊”，请审核"
    assert note.url == f"/admin/projects/claim/{claim.pk}/change/"
    assert note.body == "认领说明：可派两名医生"
    assert inbox(street_admin) == [] and inbox(other_community_admin) == []


def test_a_claim_of_a_street_project_goes_to_the_street_admins(street, unit_operator, community_admin):
    street_admin = StreetAdminFactory(grid_node=street)
    claim_project(by=unit_operator, project=ProjectFactory(grid_node=street))
    assert len(inbox(street_admin)) == 1
    assert inbox(community_admin) == []


def test_sms_and_wechat_wait_for_the_end_of_the_quiet_hours_the_inbox_does_not(item, unit_operator, resident):
    NotificationSettings.objects.create(quiet_start="22:00", quiet_end="07:00")
    NotificationPreference.objects.create(user=unit_operator, sms=True, wechat=True, wechat_openid="o-abc")
    unit_operator.phone = "13800001111"
    unit_operator.save(update_fields=["phone"])
    actions.submit_order(by=resident, menu_item=item)
    assert len(inbox(unit_operator)) == 1  # the inbox has it at once

    tz = timezone.get_current_timezone()
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    night = datetime.datetime.combine(tomorrow, datetime.time(23, 30), tzinfo=tz)
    for delivery in NotificationDelivery.objects.filter(notification__recipient=unit_operator):
        assert deliver(delivery.pk, now=night) == "held"
        delivery.refresh_from_db()
        assert delivery.status == "pending"
        morning = datetime.datetime.combine(tomorrow + datetime.timedelta(days=1), datetime.time(7, 0), tzinfo=tz)
        assert delivery.next_attempt_at == morning
        assert deliver(delivery.pk, now=delivery.next_attempt_at) == "sent"


def test_a_persons_own_quiet_hours_hold_their_messages(item, unit_operator, resident):
    NotificationSettings.objects.create(quiet_start="00:00", quiet_end="00:00")  # none for everyone else
    NotificationPreference.objects.create(
        user=unit_operator, wechat=True, wechat_openid="o-abc", quiet_start="12:00", quiet_end="14:00"
    )
    actions.submit_order(by=resident, menu_item=item)
    delivery = NotificationDelivery.objects.get(notification__recipient=unit_operator)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    noon = datetime.datetime.combine(tomorrow, datetime.time(12, 30), tzinfo=timezone.get_current_timezone())
    assert deliver(delivery.pk, now=noon) == "held"


def test_a_declined_order_goes_to_the_other_units_of_its_category_once(item, unit_operator, community, resident):
    rival_unit = MemberUnitFactory(grid_node=community)
    MenuItemFactory(provider_unit=rival_unit, grid_scope=community, category=item.category)
    rival = UnitOperatorFactory(unit=rival_unit, grid_node=community)
    third_unit = MemberUnitFactory(grid_node=community)
    MenuItemFactory(provider_unit=third_unit, grid_scope=community, category=item.category)
    third = UnitOperatorFactory(unit=third_unit, grid_node=community)
    order = actions.submit_order(by=resident, menu_item=item)
    assert inbox(rival) == []  # the item's own unit first

    actions.decline_order(by=unit_operator, order=order, reason="本周人手不足")
    assert inbox(rival) == inbox(third) == [f"新的点单：{resident.display_name}需要“{item.category.name}”服务"]
    assert len(inbox(unit_operator)) == 1  # the order it declined, not its offer again

    actions.decline_order(by=rival, order=order, reason="不在服务时段")
    assert len(inbox(third)) == 1 and len(inbox(rival)) == 1
