"""Points: awarded by verified transitions, once each; corrections; rankings; indexes; hours targets."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connections

from alliance.core.errors import Conflict
from alliance.points import awards, hours, indexes, rankings
from alliance.points.models import PointsEntry, PointsKind, PointsRanking, PointsRule, ServiceHoursTarget
from services import actions
from services.models import Activity
from tests.members.factories import (
    MemberUnitFactory,
    PartyMemberFactory,
    PartyOrganizationFactory,
    UnitOperatorFactory,
    UserFactory,
)
from tests.points.factories import PointsEntryFactory
from tests.services.factories import ActivityFactory, MenuItemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(community, unit):
    user = UserFactory(role="party_member", grid_node=community)
    return PartyMemberFactory(user=user, community=community, unit=unit, name="王红")


@pytest.fixture
def activity(community):
    return ActivityFactory(grid_node=community)


def _check_in(activity, user, staff):
    signup = actions.sign_up(by=user, activity=activity)
    return actions.check_in(by=staff, signup=signup, now=activity.starts_at)


def test_check_in_awards_the_rule_points_once(activity, member, grid_worker):
    signup = _check_in(activity, member.user, grid_worker)
    assert list(member.points.values_list("kind", "points")) == [("activity_checkin", 2)]
    # a retry of the award (e.g. a repeated request that got past the view) awards nothing more
    assert awards.award_activity_checkin(signup=signup, by=grid_worker) == []
    with pytest.raises(Exception, match="已签到"):
        actions.check_in(by=grid_worker, signup=signup, now=activity.starts_at)
    assert member.points.count() == 1


def test_volunteer_service_awards_hours_at_the_hourly_rule(community, member, grid_worker):
    PointsRule.objects.update_or_create(kind=PointsKind.VOLUNTEER_HOURS, defaults={"points": 3})
    activity = ActivityFactory(grid_node=community, kind=Activity.Kind.VOLUNTEER)
    activity.ends_at = activity.starts_at + datetime.timedelta(hours=2, minutes=30)
    activity.save()
    _check_in(activity, member.user, grid_worker)
    hours = member.points.get(kind=PointsKind.VOLUNTEER_HOURS)
    assert (hours.hours, hours.points) == (Decimal("2.50"), 8)  # 2.5 h × 3 = 7.5 → 8


def test_a_resident_checking_in_earns_no_points(activity, resident, grid_worker):
    _check_in(activity, resident, grid_worker)
    assert not PointsEntry.objects.exists()


def test_delivery_points_follow_the_communitys_confirmation_once(unit, unit_operator, grid_worker, resident, community):
    item = MenuItemFactory(provider_unit=unit, grid_scope=community)
    order = actions.submit_order(by=resident, menu_item=item)
    actions.accept_order(by=unit_operator, order=order)
    actions.serve_order(by=unit_operator, order=order)
    assert not unit.points.exists()  # serving alone earns nothing
    order = actions.confirm_delivery(by=grid_worker, order=order)
    assert list(unit.points.values_list("kind", "points")) == [("order_delivered", 3)]
    assert awards.award_order_delivered(order=order) is None  # repeated: nothing more
    actions.rate_order(by=resident, order=order, rating=5)
    assert sorted(unit.points.values_list("kind", "points")) == [("order_delivered", 3), ("order_rated", 2)]


def test_a_poor_rating_awards_no_evaluation_points(unit, unit_operator, grid_worker, resident, community):
    item = MenuItemFactory(provider_unit=unit, grid_scope=community)
    order = actions.submit_order(by=resident, menu_item=item)
    actions.accept_order(by=unit_operator, order=order)
    actions.serve_order(by=unit_operator, order=order)
    actions.confirm_delivery(by=grid_worker, order=order)
    actions.rate_order(by=resident, order=order, rating=3)
    assert list(unit.points.values_list("kind", flat=True)) == ["order_delivered"]


@pytest.mark.django_db(transaction=True)
def test_concurrent_awards_of_one_source_store_one_entry(community, unit):
    member = PartyMemberFactory(community=community, unit=unit)
    barrier = threading.Barrier(4)
    results = []

    def award():
        try:
            barrier.wait()
            results.append(
                awards._award(
                    kind=PointsKind.ACTIVITY_CHECKIN,
                    source=member,
                    member=member,
                    reason="并发",
                    on=datetime.date.today(),
                )
            )
        finally:
            connections.close_all()

    threads = [threading.Thread(target=award) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert PointsEntry.objects.filter(member=member).count() == 1
    assert sum(1 for r in results if r is not None) == 1


def test_a_correction_is_a_new_entry_visible_in_the_history(member, community_admin):
    entry = PointsEntryFactory(member=member, points=5)
    correction = awards.correct_points(by=community_admin, entry=entry, points=-3, reason="重复登记")
    entry.refresh_from_db()
    assert entry.points == 5  # never edited
    assert [e.points for e in rankings.member_history(member)] == [-3, 5]
    assert correction.corrects == entry and correction.kind == PointsKind.CORRECTION


def test_only_admins_in_scope_correct_points(member, other_community_admin, grid_worker):
    entry = PointsEntryFactory(member=member)
    for user in (other_community_admin, grid_worker):
        with pytest.raises(PermissionDenied):
            awards.correct_points(by=user, entry=entry, points=-1, reason="x")


def _members_with_totals(community, totals):
    found = []
    for name, total in totals:
        m = PartyMemberFactory(community=community, name=name, unit=None)
        if total:
            PointsEntryFactory(member=m, points=total)
        found.append(m)
    return found


def test_monthly_ranking_matches_hand_computed_ranks_with_ties(community, street):
    a, b, c, d = _members_with_totals(community, [("甲", 10), ("乙", 30), ("丙", 30), ("丁", 0)])
    PointsEntryFactory(member=a, points=5, occurred_on=datetime.date(2026, 4, 1))  # another month
    rows = rankings.live_ranking(street_id=street.pk, year=2026, month=3)
    assert [(r["rank"], r["name"], r["points"]) for r in rows] == [(1, "乙", 30), (1, "丙", 30), (3, "甲", 10)]


def test_a_published_ranking_never_changes(community, street, street_admin):
    a, b = _members_with_totals(community, [("甲", 10), ("乙", 20)])
    ranking = rankings.publish_ranking(by=street_admin, street=street, year=2026, month=3)
    PointsEntryFactory(member=a, points=50)  # a later award of the same month
    awards.correct_points(by=street_admin, entry=b.points.get(), points=-20, reason="误记")
    frozen = rankings.top10(street_ids=[street.pk], year=2026, month=3)[street.pk]
    assert frozen["published"] and [(r["name"], r["points"]) for r in frozen["rows"]] == [("乙", 20), ("甲", 10)]
    with pytest.raises(Conflict):
        rankings.publish_ranking(by=street_admin, street=street, year=2026, month=3)
    assert ranking.rows.count() == 2


def test_community_admin_cannot_publish_the_street_ranking(street, community_admin):
    with pytest.raises(PermissionDenied):
        rankings.publish_ranking(by=community_admin, street=street, year=2026, month=3)


def test_monthly_job_publishes_last_month_once(community, street):
    _members_with_totals(community, [("甲", 10)])
    assert rankings.publish_last_month(today=datetime.date(2026, 4, 1)) == 1
    assert rankings.publish_last_month(today=datetime.date(2026, 4, 1)) == 0
    assert PointsRanking.objects.get(street=street, year=2026, month=3).status == "published"


def test_pioneer_index_is_points_over_street_median(community, street):
    a, b, c, e, d = _members_with_totals(community, [("甲", 10), ("乙", 20), ("丙", 40), ("戊", 50), ("丁", 0)])
    # positive totals 10, 20, 40, 50 → median 30
    assert indexes.pioneer_indexes(street_id=street.pk, year=2026) == {
        a.pk: Decimal("33.3"),
        b.pk: Decimal("66.7"),
        c.pk: Decimal("133.3"),
        e.pk: Decimal("166.7"),
    }


def test_pioneer_index_is_capped(community, street):
    a, b, c = _members_with_totals(community, [("甲", 1), ("乙", 2), ("丙", 100)])
    assert indexes.pioneer_indexes(street_id=street.pk, year=2026)[c.pk] == Decimal("200")


def test_fortress_index_matches_hand_computed_values(community, street):
    u1, u2, u3 = (MemberUnitFactory(grid_node=community) for _ in range(3))
    o1, o2, o3 = (PartyOrganizationFactory(unit=u) for u in (u1, u2, u3))
    PointsEntryFactory(member=PartyMemberFactory(community=community, unit=u1), points=10)
    PointsEntryFactory(member=PartyMemberFactory(community=community, unit=u1), points=20)
    PointsEntryFactory(unit=u1, kind=PointsKind.CLAIM_COMPLETED, points=10)
    PointsEntryFactory(member=PartyMemberFactory(community=community, unit=u2), points=5)
    # raw: o1 = 15 + 10×1 = 25; o2 = 5; o3 = 0 → normalised to the best (25)
    found = indexes.fortress_indexes(street_id=street.pk, year=2026)
    assert {k: (v["raw"], v["index"]) for k, v in found.items()} == {
        o1.pk: (Decimal("25.0"), Decimal("100.0")),
        o2.pk: (Decimal("5.0"), Decimal("20.0")),
        o3.pk: (Decimal("0.0"), Decimal("0.0")),
    }


def test_members_behind_the_hours_pace_are_warned_once_a_month(community, street, unit):
    ServiceHoursTarget.objects.create(street=street, year=2026, hours=24)
    operator = UnitOperatorFactory(unit=unit, grid_node=community)
    on_pace = PartyMemberFactory(community=community, unit=unit, user=UserFactory(role="party_member"))
    behind = PartyMemberFactory(community=community, unit=unit, user=UserFactory(role="party_member"))
    not_reported = PartyMemberFactory(community=community, unit=unit, reported_on=None, user=UserFactory())
    PointsEntryFactory(member=on_pace, kind=PointsKind.VOLUNTEER_HOURS, hours=12)
    PointsEntryFactory(member=behind, kind=PointsKind.VOLUNTEER_HOURS, hours=5)
    today = datetime.date(2026, 7, 1)  # 182/365 of 24 h → 12.0 h due
    assert hours.warn_behind_hours(today=today) == 2  # the member and the unit's operator
    assert hours.warn_behind_hours(today=today) == 0  # rerun in the same month: nothing twice
    assert behind.user.notifications.get().key == f"hours-behind:{behind.pk}:2026-07"
    assert operator.notifications.count() == 1
    assert not on_pace.user.notifications.exists() and not not_reported.user.notifications.exists()
    # next month: 213/365 of 24 h → 14.0 h due, so both members (and the operator for each) are told again
    assert hours.warn_behind_hours(today=datetime.date(2026, 8, 1)) == 4
