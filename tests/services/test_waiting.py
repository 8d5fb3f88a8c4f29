"""How long an order, an issue or a claim has waited against its time limit: the same deadline in the reminders,
the SQL that sorts overdue first, the workspace and the admin; countdowns in Beijing time, overdue in red."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from alliance.core import waiting as waiting_module
from alliance.core.waiting import Waiting, Words, moment, span
from projects import categories
from projects.deadlines import ClaimClock, claim_deadline
from projects.models import Claim, ListSettings
from services.deadlines import Clock, issue_deadline, order_deadline
from services.models import Holiday, Issue, Order, ServiceSettings
from tests.members.factories import ResidentFactory
from tests.projects.factories import ClaimFactory, ProjectFactory
from tests.services.factories import IssueFactory, MenuItemFactory, OrderFactory

TZ = timezone.get_current_timezone()


def local(*args):
    return datetime.datetime(*args, tzinfo=TZ)


def test_countdowns_read_as_a_person_says_them():
    now = local(2026, 12, 2, 10, 0)
    assert Waiting(now + datetime.timedelta(hours=3, minutes=20), now).text == "还剩3小时"
    late = Waiting(now - datetime.timedelta(hours=2, minutes=5), now)
    assert late.text == "已超时2小时" and late.overdue and late.css == "waiting overdue"
    assert span(datetime.timedelta(days=2, hours=5)) == "2天5小时"
    assert span(datetime.timedelta(seconds=20)) == "1分钟"
    assert 'title="时限：12月2日 13:20"' in Waiting(now + datetime.timedelta(hours=3, minutes=20), now).html()


def test_a_deadline_reads_in_beijing_time_in_chinese_and_in_english():
    # Written out for Chinese (moment skips date_format there): the same text as the pattern gives, in Beijing
    # time, hours and minutes with two digits, months and days without; English goes through the catalogue.
    utc = datetime.UTC
    for when in (
        datetime.datetime(2026, 3, 4, 16, 5, tzinfo=utc),  # 3月5日 00:05 in Beijing
        datetime.datetime(2026, 12, 31, 15, 59, tzinfo=utc),
        local(2027, 1, 9, 9, 0),
    ):
        assert moment(when) == date_format(timezone.localtime(when), "n月j日 H:i")
    assert moment(datetime.datetime(2026, 3, 4, 16, 5, tzinfo=utc)) == "3月5日 00:05"
    with translation.override("en"):
        assert moment(local(2026, 12, 2, 13, 20)) == "Dec 2, 13:20"


def test_a_pages_words_are_the_catalogues_asked_once_in_its_language(monkeypatch):
    # A list words fifty rows with one Words: the same HTML as each row asking the catalogue, in Chinese and in
    # English, while the catalogue hears each text once.
    now = local(2026, 12, 2, 10, 0)
    rows = [Waiting(now + datetime.timedelta(hours=h, minutes=7), now) for h in (-50, -2, 0, 3, 3, 30, 75)]
    for language in ("zh-hans", "en"):
        with translation.override(language):
            asked = [row.html() for row in rows]
            words = Words()
            assert [row.html(words) for row in rows] == asked
    calls = []
    real = waiting_module._
    monkeypatch.setattr(waiting_module, "_", lambda message: calls.append(message) or real(message))
    words = Words()
    for row in rows:
        row.html(words)
    assert sorted(calls) == sorted(set(calls)) and "还剩%(span)s" in calls and "时限：%(when)s" in calls
    assert 'title="时限：12月2日 13:07">还剩3小时<' in rows[3].html(words)


def test_an_orders_limit_is_working_days_of_the_holiday_calendar(db):
    conf = ServiceSettings.load()
    friday = local(2026, 10, 2, 15, 30)  # National Day week: 10-05 is a day off
    Holiday.objects.create(date=datetime.date(2026, 10, 5), name="国庆节")
    order = Order(status=Order.Status.SUBMITTED, submitted_at=friday)
    assert order_deadline(order, conf=conf) == local(2026, 10, 6, 15, 30)
    order.status, order.served_at = Order.Status.SERVED, friday
    assert order_deadline(order, conf=conf) == local(2026, 10, 6, 15, 30)
    order.status = Order.Status.ACCEPTED
    assert order_deadline(order, conf=conf) is None  # the unit serves at the agreed time: no limit


def test_an_issues_limit_is_its_steps(db):
    conf = ServiceSettings.load()
    monday = local(2026, 11, 30, 9, 0)
    issue = Issue(status=Issue.Status.HANDLING, step_started_at=monday)
    assert issue_deadline(issue, conf=conf) == local(2026, 12, 7, 9, 0)  # five working days
    issue.status = Issue.Status.FEEDBACK
    assert issue_deadline(issue, conf=conf) is None  # the resident's turn


@pytest.mark.parametrize(
    "now",
    [
        local(2026, 10, 6, 15, 30),  # the first working day after a holiday weekend, afternoon
        local(2026, 10, 6, 8, 0),
        local(2026, 10, 10, 12, 0),  # a working Saturday
        local(2026, 10, 11, 12, 0),  # a Sunday
    ],
)
def test_the_lists_overdue_in_sql_is_the_deadline_the_reminders_use(db, community, unit, now):
    Holiday.objects.create(date=datetime.date(2026, 10, 5), name="国庆节")
    Holiday.objects.create(date=datetime.date(2026, 10, 10), name="调休", is_workday=True)
    ServiceSettings.objects.update_or_create(pk=1, defaults={"order_remind_days": 2})
    resident = ResidentFactory(grid_node=community)
    item = MenuItemFactory(provider_unit=unit, grid_scope=community)
    starts = [now - datetime.timedelta(hours=h * 5 + 1) for h in range(60)]  # every 5 hours over 12 days
    Order.objects.bulk_create(
        Order(resident=resident, menu_item=item, category=item.category, grid_node=community, submitted_at=s)
        for s in starts
    )
    clock = Clock.read(now)
    rows = list(clock.orders(Order.objects.all()))
    assert {o.overdue for o in rows} == {True, False}
    for order in rows:
        assert order.overdue == (order_deadline(order, conf=clock.conf) <= now), timezone.localtime(order.submitted_at)


def test_a_claims_limit_is_the_progress_reminders(db):
    conf = ListSettings.get()
    claim = ClaimFactory(status=Claim.Status.IN_PROGRESS)
    Claim.objects.filter(pk=claim.pk).update(last_progress_at=timezone.now() - datetime.timedelta(days=20))
    claim.refresh_from_db()
    assert claim_deadline(claim, conf=conf) == claim.last_progress_at + datetime.timedelta(days=conf.no_progress_days)
    assert ClaimClock().claims(Claim.objects.filter(pk=claim.pk)).get().overdue
    pending = ClaimFactory()
    assert claim_deadline(pending, conf=conf) is None


def late_and_fresh_orders(resident, item, unit=None):
    late = OrderFactory(resident=resident, menu_item=item, submitted_at=timezone.now() - datetime.timedelta(days=9))
    fresh = OrderFactory(resident=resident, menu_item=item, submitted_at=timezone.now() - datetime.timedelta(hours=1))
    return late, fresh


def test_the_units_workspace_lists_overdue_orders_first_with_their_countdown(client, unit_operator, unit, community):
    item = MenuItemFactory(provider_unit=unit, grid_scope=community, title="助餐")
    resident = ResidentFactory(grid_node=community)
    fresh_first = OrderFactory(resident=resident, menu_item=item, text="新", submitted_at=timezone.now())
    late = OrderFactory(
        resident=resident, menu_item=item, submitted_at=timezone.now() - datetime.timedelta(days=9, hours=3)
    )
    client.force_login(unit_operator)
    page = client.get(reverse("services_ws:orders")).content.decode()
    assert page.index(f"services/orders/{late.pk}/") < page.index(f"services/orders/{fresh_first.pk}/")
    assert '<span class="waiting overdue"' in page and "已超时" in page
    assert '<span class="waiting" title="时限：' in page and "还剩" in page


def test_the_grid_workers_issues_list_overdue_first(client, grid_worker, community):
    fresh = IssueFactory(reporter=ResidentFactory(grid_node=community), title="新的事项")
    late = IssueFactory(
        reporter=ResidentFactory(grid_node=community),
        title="超时的事项",
        step_started_at=timezone.now() - datetime.timedelta(days=10),
    )
    fresh.step_started_at = late.step_started_at - datetime.timedelta(days=1)  # older, but in feedback: untimed
    fresh.status = Issue.Status.FEEDBACK
    fresh.save()
    client.force_login(grid_worker)
    page = client.get(reverse("services_ws:issues")).content.decode()
    assert page.index("超时的事项") < page.index("新的事项")
    assert page.count("已超时") == 1


@pytest.mark.parametrize("rows", [2, 12])
def test_the_admins_order_list_sorts_overdue_first_once_narrowed_in_a_fixed_number_of_queries(
    client, superuser, community, unit, rows, django_assert_num_queries
):
    ServiceSettings.load()
    item = MenuItemFactory(provider_unit=unit, grid_scope=community)
    resident = ResidentFactory(grid_node=community)
    for i in range(rows):
        OrderFactory(resident=resident, menu_item=item, submitted_at=timezone.now() - datetime.timedelta(hours=i))
    late = OrderFactory(resident=resident, menu_item=item, submitted_at=timezone.now() - datetime.timedelta(days=9))
    client.force_login(superuser)
    url = reverse("admin:services_order_changelist")
    # The rows' categories come from the process's copy (projects.categories), read at most once a minute and
    # forgotten as each test starts: read here, the page is counted as a warm process serves it.
    categories.category(item.category_id)
    # session, user, the limits, the holiday calendar, the category filter's choices, the capped count, page
    with django_assert_num_queries(7):
        page = client.get(url, {"status__exact": "submitted"}).content.decode()
    assert "时限" in page and "alliance/waiting.css" in page
    rows_html = page[page.index('id="result_list"') :]
    assert rows_html.index("已超时") < rows_html.index("还剩")
    assert rows_html.index(f"/{late.pk}/change/") < rows_html.index(f"/{late.pk - 1}/change/")
    # Unfiltered, the newest-first order of the index stays; the column still counts down.
    with django_assert_num_queries(7):
        page = client.get(url).content.decode()
    assert page.index(f"/{late.pk - 1}/change/") < page.index(f"/{late.pk}/change/") and "已超时" in page


def test_the_admins_issue_and_claim_lists_count_down(client, superuser, community, unit):
    IssueFactory(
        reporter=ResidentFactory(grid_node=community), step_started_at=timezone.now() - datetime.timedelta(days=10)
    )
    project = ProjectFactory(grid_node=community)
    late = ClaimFactory(project=project, unit=unit, status=Claim.Status.IN_PROGRESS)
    Claim.objects.filter(pk=late.pk).update(last_progress_at=timezone.now() - datetime.timedelta(days=30))
    pending = ClaimFactory(project=ProjectFactory(grid_node=community))
    client.force_login(superuser)
    page = client.get(reverse("admin:services_issue_changelist"), {"status__exact": "discovered"}).content.decode()
    assert "已超时" in page
    page = client.get(reverse("admin:projects_claim_changelist")).content.decode()
    rows_html = page[page.index('id="result_list"') :]
    assert rows_html.index(f"/{late.pk}/change/") < rows_html.index(f"/{pending.pk}/change/")  # late first, always
    assert "已超时16天" in rows_html


@pytest.mark.parametrize("rows", [2, 12])
def test_the_admins_issue_and_claim_lists_run_a_fixed_number_of_queries(
    client, superuser, community, unit, rows, django_assert_num_queries
):
    ServiceSettings.load()
    ListSettings.get()
    for i in range(rows):
        IssueFactory(
            reporter=ResidentFactory(grid_node=community),
            step_started_at=timezone.now() - datetime.timedelta(days=i),
        )
        claim = ClaimFactory(project=ProjectFactory(grid_node=community), status=Claim.Status.IN_PROGRESS)
        Claim.objects.filter(pk=claim.pk).update(last_progress_at=timezone.now() - datetime.timedelta(days=3 * i))
    client.force_login(superuser)
    # session, user, the limits, the holiday calendar, the capped count, page
    with django_assert_num_queries(6):
        page = client.get(reverse("admin:services_issue_changelist"), {"status__exact": "discovered"})
    assert page.content.decode().count('class="waiting') == rows
    # session, user, the claims' limit, the capped count, page, the ratings of the rating filter
    with django_assert_num_queries(6):
        page = client.get(reverse("admin:projects_claim_changelist"))
    assert page.content.decode().count('class="waiting') == rows


def test_a_community_admin_counts_down_only_their_own_orders_and_may_sort_by_the_column(
    client, community_admin, other_community, community, unit
):
    item = MenuItemFactory(provider_unit=unit, grid_scope=community.parent)
    mine = OrderFactory(
        menu_item=item,
        resident=ResidentFactory(grid_node=community),
        submitted_at=timezone.now() - datetime.timedelta(days=9),
    )
    theirs = OrderFactory(
        menu_item=item,
        resident=ResidentFactory(grid_node=other_community),
        submitted_at=timezone.now() - datetime.timedelta(days=9),
    )
    client.force_login(community_admin)
    url = reverse("admin:services_order_changelist")
    column = 1 + ["id", "__str__", "category", "grid_node", "masked_phone", "status", "time_limit"].index("time_limit")
    for query in ({}, {"status__exact": "submitted"}, {"o": f"-{column}"}, {"o": f"{column}.1"}):
        page = client.get(url, query)
        assert page.status_code == 200, query
        html = page.content.decode()
        assert f"/{mine.pk}/change/" in html and f"/{theirs.pk}/change/" not in html
        rows = html[html.index('id="result_list"') :].split("</table>")[0]  # the list, not the 待办 filter
        assert rows.count("已超时") == 1
