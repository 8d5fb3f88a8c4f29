"""督办: the milestones of resolved matters have owners; an overdue one reminds its owner and the committee's
secretary once, stays listed until done, and the committee's pages show what is on time and what is late."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from alliance.committee import actions, selectors
from alliance.committee.models import Matter, Milestone
from alliance.committee.tasks import remind_overdue_milestones_task
from alliance.core.models import Notification
from tests.alliance.factories import CommitteeFactory, MatterFactory, SeatFactory
from tests.grids.factories import StreetFactory
from tests.members.factories import UserFactory

DAY = datetime.timedelta(days=1)


def resolved_matter(committee, **kw):
    return MatterFactory(committee=committee, status=Matter.Status.RESOLVED, resolved_at=timezone.now(), **kw)


def milestone(matter, *, late_days=3, owner=None, **kw):
    """A milestone due ``late_days`` ago (the action refuses a past due date, so it is written directly, as time
    passing would leave it)."""
    due_on = timezone.localdate() - datetime.timedelta(days=late_days)
    return Milestone.objects.create(
        matter=matter, title=kw.pop("title", "完成施工招标"), due_on=due_on, owner=owner, **kw
    )


@pytest.fixture
def owner(db):
    return UserFactory(display_name="张负责人")


def test_an_overdue_milestone_reminds_its_owner_and_the_secretary_in_office_once(committee, secretary, owner):
    # Given a resolved matter with a milestone three days late, and a former secretary whose term has ended
    SeatFactory(committee=committee, role="secretary", user=UserFactory(), term_end=timezone.localdate() - 30 * DAY)
    matter = resolved_matter(committee, title="老旧小区加装电梯")
    late = milestone(matter, owner=owner)
    # When the daily job runs twice
    assert actions.remind_overdue_milestones() == 2
    assert actions.remind_overdue_milestones() == 0
    # Then the owner and the secretary in office got one reminder each, in Chinese, linking to the matter
    notes = Notification.objects.order_by("recipient_id")
    assert {n.recipient_id for n in notes} == {owner.pk, secretary.user.pk}
    assert notes[0].title == "督办：落实节点“完成施工招标”已逾期3天"
    assert "老旧小区加装电梯" in notes[0].body
    assert notes[0].url == reverse("alliance:matter", args=[matter.pk])
    late.refresh_from_db()
    assert late.reminded_at is not None


def test_done_on_time_undue_and_unresolved_milestones_are_not_reminded(committee, secretary, owner):
    matter = resolved_matter(committee)
    milestone(matter, owner=owner, done_on=timezone.localdate() - DAY)  # done
    milestone(matter, owner=owner, late_days=0)  # due today: not late yet
    milestone(MatterFactory(committee=committee, status=Matter.Status.UNDER_STUDY), owner=owner)
    assert actions.remind_overdue_milestones() == 0
    assert not Notification.objects.exists()


def test_marking_done_is_stamped_and_ends_the_supervision(committee, secretary, owner, street_admin):
    matter = resolved_matter(committee)
    late = milestone(matter, owner=owner)
    assert list(selectors.overdue_milestones(street_admin)) == [late]
    # When the street admin marks it done
    actions.complete_milestone(by=street_admin, milestone=late)
    late.refresh_from_db()
    # Then who and when are kept, it leaves the overdue list, and nobody is reminded
    assert late.done_on == timezone.localdate()
    assert late.done_by == street_admin
    assert late.done_at is not None
    assert list(selectors.overdue_milestones(street_admin)) == []
    assert actions.remind_overdue_milestones() == 0


def test_a_new_due_date_is_a_new_deadline_reminded_again_when_it_passes(committee, secretary, owner, street_admin):
    late = milestone(resolved_matter(committee), owner=owner)
    assert actions.remind_overdue_milestones() == 2
    # When the due date is moved to tomorrow, then tomorrow passes by two days
    actions.edit_milestone(by=street_admin, milestone=late, due_on=timezone.localdate() + DAY)
    late.refresh_from_db()
    assert late.reminded_at is None
    assert actions.remind_overdue_milestones() == 0
    assert actions.remind_overdue_milestones(today=timezone.localdate() + 3 * DAY) == 2
    assert Notification.objects.count() == 4


def test_overdue_milestones_are_scoped_to_the_viewer(
    committee, community_committee, community_admin, other_community_admin, street_admin, owner
):
    mine = milestone(resolved_matter(community_committee), owner=owner)
    streets = milestone(resolved_matter(committee), late_days=5)
    elsewhere = milestone(resolved_matter(CommitteeFactory(grid_node=StreetFactory())))
    assert list(selectors.overdue_milestones(street_admin)) == [streets, mine]
    assert list(selectors.overdue_milestones(community_admin)) == [mine]
    assert list(selectors.overdue_milestones(other_community_admin)) == []
    # an owner who is not staff sees the ones they answer for
    assert list(selectors.overdue_milestones(owner)) == [mine]
    assert set(selectors.overdue_milestones(UserFactory(is_superuser=True))) == {mine, streets, elsewhere}


def test_the_committee_page_shows_what_is_on_time_and_what_is_late(client, committee, owner):
    matter = resolved_matter(committee, title="背街小巷路灯改造")
    milestone(matter, title="路灯采购", late_days=4, owner=owner)
    milestone(matter, title="线路勘察", late_days=10, done_on=timezone.localdate() - 2 * DAY)  # done 8 days late
    milestone(matter, title="安装调试", late_days=-5)  # due in five days
    milestone(matter, title="方案设计", late_days=20, done_on=timezone.localdate() - 25 * DAY)  # done on time
    page = client.get(reverse("alliance:committee", args=[committee.pk])).content.decode()
    assert "按期：<strong>2</strong>" in page
    assert "逾期：<strong>2</strong>" in page
    assert "逾期未完成 1 项，逾期后完成 1 项" in page
    assert "路灯采购" in page and "4 天" in page and "张负责人" in page
    assert "线路勘察" not in page  # done: no longer listed as late


def test_the_committee_admin_page_and_the_overdue_filters(client, committee, owner, street_admin):
    matter = resolved_matter(committee)
    late = milestone(matter, title="路灯采购", late_days=4, owner=owner)
    on_time = milestone(resolved_matter(committee), title="安装调试", late_days=-5)
    client.force_login(street_admin)
    page = client.get(reverse("admin:alliance_committee_change", args=[committee.pk])).content.decode()
    assert "逾期：<strong>1</strong>" in page and "路灯采购" in page
    listed = client.get(reverse("admin:alliance_milestone_changelist") + "?overdue=yes").content.decode()
    assert late.title in listed and on_time.title not in listed
    matters = client.get(reverse("admin:alliance_matter_changelist") + "?overdue=yes").content.decode()
    assert matter.title in matters and on_time.matter.title not in matters


def test_the_admin_marks_a_milestone_done_through_its_button(client, committee, owner, street_admin):
    late = milestone(resolved_matter(committee), owner=owner)
    client.force_login(street_admin)
    url = reverse("admin:alliance_milestone_transition", args=[late.pk, "complete"])
    client.post(url, {"confirm": "yes", "on": ""})
    late.refresh_from_db()
    assert late.done_on == timezone.localdate() and late.done_by == street_admin


def test_the_follow_up_api_sets_the_new_milestones_owner(client, committee, owner, street_admin):
    matter = resolved_matter(committee)
    client.force_login(street_admin)
    body = {
        "progress": 30,
        "milestone": "完成招标",
        "milestone_due_on": str(timezone.localdate() + 7 * DAY),
        "milestone_owner": owner.pk,
    }
    answer = client.post(f"/api/v1/matters/{matter.pk}/follow-up/", body, content_type="application/json")
    assert answer.status_code == 200, answer.content
    assert answer.json()["milestones"][0]["owner_name"] == "张负责人"
    assert Milestone.objects.get().owner == owner
    unknown = client.post(
        f"/api/v1/matters/{matter.pk}/follow-up/",
        {**body, "milestone_owner": 999999},
        content_type="application/json",
    )
    assert unknown.status_code == 400 and "milestone_owner" in unknown.json()
    done = client.post(
        f"/api/v1/matters/{matter.pk}/milestone-done/",
        {"milestone": Milestone.objects.get().pk},
        content_type="application/json",
    )
    assert done.status_code == 200 and done.json()["milestones"][0]["done_on"] == str(timezone.localdate())


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_running_the_job_twice_at_once_reminds_once(celery_worker):
    # Given a committed overdue milestone with an owner, and the committee's secretary
    committee = CommitteeFactory(grid_node=StreetFactory())
    secretary = SeatFactory(committee=committee, role="secretary", user=UserFactory())
    owner = UserFactory()
    late = milestone(resolved_matter(committee), owner=owner)
    # When the job is sent twice to the real worker, then once more
    results = [remind_overdue_milestones_task.apply_async(ignore_result=False) for _ in range(2)]
    answers = sorted(r.get(timeout=30) for r in results)
    again = remind_overdue_milestones_task.apply_async(ignore_result=False).get(timeout=30)
    # Then the owner and the secretary were reminded exactly once, and the rerun sent nothing
    assert answers == [0, 2]
    assert again == 0
    assert sorted(Notification.objects.values_list("recipient_id", flat=True)) == sorted([owner.pk, secretary.user_id])
    late.refresh_from_db()
    assert late.reminded_at is not None


def test_the_milestone_admin_changes_owner_and_due_date_through_the_action(client, committee, community, street_admin):
    # the admin offers owners from the street admin's subtree
    owner = UserFactory(display_name="社区书记", grid_node=community)
    late = milestone(resolved_matter(committee), owner=None)
    Milestone.objects.filter(pk=late.pk).update(reminded_at=timezone.now())
    client.force_login(street_admin)
    new_due = timezone.localdate() + 5 * DAY
    answer = client.post(
        reverse("admin:alliance_milestone_change", args=[late.pk]),
        {"title": "完成施工招标", "owner": owner.pk, "owner_unit": "", "due_on": str(new_due), "sort_order": 1},
    )
    assert answer.status_code == 302
    late.refresh_from_db()
    # the new owner and deadline are kept, and the new deadline will be reminded again when it passes
    assert (late.owner, late.due_on, late.sort_order, late.reminded_at) == (owner, new_due, 1, None)
    assert late.history.first().history_user == street_admin
