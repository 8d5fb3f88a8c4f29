"""The order lifecycle: every allowed and refused transition, by every role."""

import datetime
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from alliance.core.errors import Conflict
from services import actions, selectors
from services.models import Order, OrderEvent
from tests.members.factories import MemberUnitFactory, ResidentFactory, UnitOperatorFactory
from tests.services.factories import MenuItemFactory, OrderFactory, category


@pytest.fixture
def item(unit, community):
    return MenuItemFactory(provider_unit=unit, grid_scope=community)


@pytest.fixture
def order(resident, item):
    return actions.submit_order(by=resident, menu_item=item)


@pytest.fixture
def rival_operator(community):
    """An operator of another unit offering the same category in the same community."""
    rival = MemberUnitFactory(grid_node=community)
    MenuItemFactory(provider_unit=rival, grid_scope=community, category=category("elderly-2"))
    return UnitOperatorFactory(unit=rival, grid_node=community)


def test_resident_orders_a_menu_item_and_the_timeline_starts(resident, item):
    order = actions.submit_order(by=resident, menu_item=item)
    assert order.status == Order.Status.SUBMITTED
    assert order.category == item.category
    assert order.contact_phone == resident.phone
    assert [e.kind for e in order.events.all()] == [OrderEvent.Kind.SUBMITTED]
    assert order.events.get().by == resident


def test_resident_outside_the_items_scope_cannot_order_it(item, other_community):
    outsider = ResidentFactory(grid_node=other_community)
    with pytest.raises(ValidationError, match="服务范围"):
        actions.submit_order(by=outsider, menu_item=item)


def test_item_full_for_the_day_answers_conflict(resident, unit, community):
    item = MenuItemFactory(provider_unit=unit, grid_scope=community, capacity_per_day=1)
    actions.submit_order(by=resident, menu_item=item)
    with pytest.raises(Conflict, match="名额已满"):
        actions.submit_order(by=ResidentFactory(grid_node=community), menu_item=item)


def test_an_items_places_on_a_day_count_that_days_orders_through_the_item_day_index(resident, unit, community):
    """The places an item has used on a day: its orders wanted that day, and those without a day submitted that day;
    not its other days, not cancelled orders, not other items. Counted under the item's lock at every order, through
    the index on (item, wanted day, submission): not by reading every order the item ever had."""
    item, other = (MenuItemFactory(provider_unit=unit, grid_scope=community) for _ in range(2))
    day = timezone.localdate() + datetime.timedelta(days=3)
    noon = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
    OrderFactory.create_batch(2, menu_item=item, wanted_on=day)
    OrderFactory(menu_item=item, wanted_on=None, submitted_at=noon)
    OrderFactory(menu_item=item, wanted_on=day, status=Order.Status.CANCELLED)
    OrderFactory(menu_item=item, wanted_on=day + datetime.timedelta(days=1))
    OrderFactory(menu_item=item, wanted_on=None, submitted_at=noon - datetime.timedelta(days=1))
    OrderFactory(menu_item=other, wanted_on=day)
    assert selectors.orders_taken_on(item, day) == 3

    with CaptureQueriesContext(connection) as counted:
        selectors.orders_taken_on(item, day)
    (sql,) = (q["sql"] for q in counted.captured_queries)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a few test rows: at city size the planner picks it itself
        cursor.execute(f"EXPLAIN {sql}")
        assert "order_item_day" in "\n".join(row[0] for row in cursor.fetchall())


def test_free_text_order_needs_a_category_and_text(resident):
    with pytest.raises(ValidationError):
        actions.submit_order(by=resident, text="帮忙修一下水管")
    with pytest.raises(ValidationError):
        actions.submit_order(by=resident, category=category("housing_safety"), text=" ")
    order = actions.submit_order(by=resident, category=category("housing_safety"), text="帮忙修一下水管")
    assert order.offered_to_all


def test_unit_serves_community_confirms_and_resident_rates(order, unit_operator, grid_worker, resident):
    actions.accept_order(by=unit_operator, order=order)
    order.refresh_from_db()
    assert (order.status, order.unit, order.accepted_by) == (Order.Status.ACCEPTED, unit_operator.unit, unit_operator)
    assert order.accepted_at is not None
    actions.serve_order(by=unit_operator, order=order)
    order.refresh_from_db()
    assert (order.status, order.served_by, order.delivered_at) == (Order.Status.SERVED, unit_operator, None)
    assert order.served_at is not None
    # The community is asked to confirm; the resident is not yet asked to rate.
    assert grid_worker.notifications.filter(key=f"order:{order.pk}:served").exists()
    assert not resident.notifications.filter(key=f"order:{order.pk}:delivered").exists()
    with pytest.raises(ValidationError, match="送达后"):
        actions.rate_order(by=resident, order=order, rating=5)
    actions.confirm_delivery(by=grid_worker, order=order)
    order.refresh_from_db()
    assert (order.status, order.delivered_by) == (Order.Status.DELIVERED, grid_worker)
    assert "请评价" in resident.notifications.get(key=f"order:{order.pk}:delivered").title
    actions.rate_order(by=resident, order=order, rating=5, comment="饭菜可口,送餐及时")
    order.refresh_from_db()
    assert (order.status, order.rating) == (Order.Status.RATED, 5)
    events = list(order.events.values_list("kind", "by", "unit"))
    assert events == [
        ("submitted", resident.pk, None),
        ("accepted", unit_operator.pk, unit_operator.unit_id),
        ("served", unit_operator.pk, unit_operator.unit_id),
        ("delivered", grid_worker.pk, None),  # the community's step, never credited to the unit
        ("rated", resident.pk, None),
    ]
    assert resident.notifications.filter(key=f"order:{order.pk}:accepted").exists()


def test_the_serving_unit_cannot_confirm_its_own_delivery(order, unit_operator):
    actions.accept_order(by=unit_operator, order=order)
    with pytest.raises(PermissionDenied, match="社区"):
        actions.confirm_delivery(by=unit_operator, order=order)
    actions.serve_order(by=unit_operator, order=order)
    with pytest.raises(PermissionDenied, match="社区"):
        actions.confirm_delivery(by=unit_operator, order=order)
    with pytest.raises(PermissionDenied):
        actions.deliver_order(by=unit_operator, order=order)  # the old name is the community's confirmation
    order.refresh_from_db()
    assert order.status == Order.Status.SERVED


def test_only_the_serving_unit_marks_served(order, unit_operator, rival_operator, grid_worker, resident):
    actions.accept_order(by=unit_operator, order=order)
    for outsider in (rival_operator, grid_worker, resident):
        with pytest.raises(PermissionDenied):
            actions.serve_order(by=outsider, order=order)
    actions.serve_order(by=unit_operator, order=order)
    with pytest.raises(Conflict, match="等待社区确认"):
        actions.serve_order(by=unit_operator, order=order)


@pytest.mark.parametrize("confirmer", ["grid_worker", "community_admin", "street_admin"])
def test_community_staff_in_scope_confirm_delivery(order, unit_operator, confirmer, request):
    staff = request.getfixturevalue(confirmer)
    actions.accept_order(by=unit_operator, order=order)
    actions.serve_order(by=unit_operator, order=order)
    actions.confirm_delivery(by=staff, order=order)
    order.refresh_from_db()
    assert (order.status, order.delivered_by) == (Order.Status.DELIVERED, staff)
    with pytest.raises(Conflict, match="已确认送达"):
        actions.confirm_delivery(by=staff, order=order)


def test_staff_may_confirm_straight_from_accepted(order, unit_operator, community_admin):
    """The community saw the service done though the unit did not mark it: no served stamp, still delivered."""
    actions.accept_order(by=unit_operator, order=order)
    actions.confirm_delivery(by=community_admin, order=order)
    order.refresh_from_db()
    assert (order.status, order.served_at, order.delivered_by) == (Order.Status.DELIVERED, None, community_admin)


def test_staff_of_another_community_cannot_confirm_delivery(order, unit_operator, other_community_admin):
    actions.accept_order(by=unit_operator, order=order)
    actions.serve_order(by=unit_operator, order=order)
    with pytest.raises(PermissionDenied):
        actions.confirm_delivery(by=other_community_admin, order=order)
    order.refresh_from_db()
    assert order.status == Order.Status.SERVED


def test_resident_cannot_accept_serve_or_confirm(order, resident, unit_operator):
    with pytest.raises(PermissionDenied):
        actions.accept_order(by=resident, order=order)
    actions.accept_order(by=unit_operator, order=order)
    with pytest.raises(PermissionDenied):
        actions.serve_order(by=resident, order=order)
    with pytest.raises(PermissionDenied):
        actions.confirm_delivery(by=resident, order=order)


def test_resident_cannot_rate_before_delivery(order, resident, unit_operator):
    with pytest.raises(ValidationError, match="送达后"):
        actions.rate_order(by=resident, order=order, rating=5)
    actions.accept_order(by=unit_operator, order=order)
    with pytest.raises(ValidationError, match="送达后"):
        actions.rate_order(by=resident, order=order, rating=5)


def _delivered(order, unit_operator, staff):
    actions.accept_order(by=unit_operator, order=order)
    actions.serve_order(by=unit_operator, order=order)
    return actions.confirm_delivery(by=staff, order=order)


def test_resident_cannot_rate_anothers_order(order, unit_operator, grid_worker, community):
    _delivered(order, unit_operator, grid_worker)
    with pytest.raises(PermissionDenied):
        actions.rate_order(by=ResidentFactory(grid_node=community), order=order, rating=1)


def test_rating_must_be_one_to_five(order, unit_operator, grid_worker, resident):
    _delivered(order, unit_operator, grid_worker)
    for bad in (0, 6, "好"):
        with pytest.raises(ValidationError):
            actions.rate_order(by=resident, order=order, rating=bad)


def test_serve_and_confirm_only_after_acceptance(order, unit_operator, grid_worker):
    with pytest.raises(PermissionDenied):
        # Not yet the serving unit.
        actions.serve_order(by=unit_operator, order=order)
    with pytest.raises(ValidationError, match="已接单"):
        actions.confirm_delivery(by=grid_worker, order=order)


def test_resident_cancels_before_acceptance_but_not_after(order, resident, unit_operator, item):
    actions.cancel_order(by=resident, order=order)
    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED
    second = actions.submit_order(by=resident, menu_item=item)
    actions.accept_order(by=unit_operator, order=second)
    with pytest.raises(ValidationError, match="不能取消"):
        actions.cancel_order(by=resident, order=second)


def test_resident_cannot_cancel_anothers_order(order, community):
    with pytest.raises(PermissionDenied):
        actions.cancel_order(by=ResidentFactory(grid_node=community), order=order)


def test_unit_cannot_accept_an_order_outside_its_scope(resident, other_community):
    far_unit = MemberUnitFactory(grid_node=other_community)
    MenuItemFactory(provider_unit=far_unit, grid_scope=other_community)
    far_operator = UnitOperatorFactory(unit=far_unit, grid_node=other_community)
    order = actions.submit_order(by=resident, category=category("elderly"), text="需要助餐")
    with pytest.raises(PermissionDenied, match="服务范围"):
        actions.accept_order(by=far_operator, order=order)
    assert not selectors.orders_offered_to(far_unit).filter(pk=order.pk).exists()


def test_other_unit_sees_an_item_order_only_after_the_provider_declines(order, unit_operator, rival_operator):
    assert not selectors.orders_offered_to(rival_operator.unit).filter(pk=order.pk).exists()
    with pytest.raises(PermissionDenied):
        actions.accept_order(by=rival_operator, order=order)
    actions.decline_order(by=unit_operator, order=order, reason="本周人手不足")
    order.refresh_from_db()
    assert order.status == Order.Status.SUBMITTED
    assert selectors.orders_offered_to(rival_operator.unit).filter(pk=order.pk).exists()
    assert not selectors.orders_offered_to(unit_operator.unit).filter(pk=order.pk).exists()
    with pytest.raises(PermissionDenied):
        actions.accept_order(by=unit_operator, order=order)
    actions.accept_order(by=rival_operator, order=order)
    order.refresh_from_db()
    assert order.unit == rival_operator.unit
    assert list(order.events.values_list("kind", flat=True)) == ["submitted", "declined", "accepted"]


def test_second_unit_accepting_gets_conflict(resident, item, unit_operator, rival_operator):
    order = actions.submit_order(by=resident, category=category("elderly"), text="需要助餐")
    actions.accept_order(by=unit_operator, order=order)
    with pytest.raises(Conflict, match="已被其他单位接单"):
        actions.accept_order(by=rival_operator, order=order)


def test_cannot_decline_an_accepted_order(order, unit_operator):
    actions.accept_order(by=unit_operator, order=order)
    order.refresh_from_db()
    with pytest.raises(ValidationError):
        actions.decline_order(by=unit_operator, order=order, reason="本周人手不足")


@pytest.mark.django_db(transaction=True)
def test_two_units_accepting_at_once_only_one_wins(community):
    # Given a free-text order offered to eight units of the category,
    resident = ResidentFactory(grid_node=community)
    operators = []
    for _ in range(8):
        u = MemberUnitFactory(grid_node=community)
        MenuItemFactory(provider_unit=u, grid_scope=community)
        operators.append(UnitOperatorFactory(unit=u, grid_node=community))
    order = actions.submit_order(by=resident, category=category("elderly"), text="需要助餐")
    results = []
    barrier = threading.Barrier(len(operators))

    def accept(op):
        try:
            barrier.wait()
            actions.accept_order(by=op, order=Order.objects.get(pk=order.pk))
            results.append("ok")
        except Conflict:
            results.append("conflict")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=accept, args=(op,)) for op in operators]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # Then exactly one unit holds it.
    assert results.count("ok") == 1
    assert results.count("conflict") == 7
    assert Order.objects.get(pk=order.pk).status == Order.Status.ACCEPTED


def test_order_factory_builds(db):
    assert OrderFactory().status == Order.Status.SUBMITTED


def test_a_stations_own_item_is_taken_by_the_staff_running_it(resident, community, grid_worker, unit_operator):
    from tests.services.factories import ServiceStationFactory

    station = ServiceStationFactory(grid_node=community)
    item = MenuItemFactory(provider_unit=None, provider_station=station, grid_scope=community)
    order = actions.submit_order(by=resident, menu_item=item)
    with pytest.raises(PermissionDenied):
        actions.accept_order(by=unit_operator, order=order)
    actions.accept_order(by=grid_worker, order=order)
    order.refresh_from_db()
    assert (order.status, order.unit, order.accepted_by) == (Order.Status.ACCEPTED, None, grid_worker)
    assert station.name in resident.notifications.get(key=f"order:{order.pk}:accepted").title
    # The station's own service: its staff mark it served, and the community confirms.
    actions.serve_order(by=grid_worker, order=order)
    actions.confirm_delivery(by=grid_worker, order=order)
    order.refresh_from_db()
    assert order.status == Order.Status.DELIVERED


def test_station_staff_declining_offers_it_to_the_units_of_the_category(resident, community, grid_worker, item):
    from tests.services.factories import ServiceStationFactory

    station = ServiceStationFactory(grid_node=community)
    own = MenuItemFactory(provider_unit=None, provider_station=station, grid_scope=community)
    order = actions.submit_order(by=resident, menu_item=own)
    actions.decline_order(by=grid_worker, order=order, reason="站点本周闭馆")
    assert selectors.orders_offered_to(item.provider_unit).filter(pk=order.pk).exists()
