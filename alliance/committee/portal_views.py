"""Public pages of the joint committee: the alliance, the meeting calendar, resolved matters, statistics."""

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from alliance.committee import selectors
from alliance.committee.district import trail
from alliance.committee.ical import calendar_text
from alliance.committee.models import Committee, Matter
from alliance.committee.stats_export import statistics_workbook
from alliance.core.exports import xlsx_response
from alliance.core.querying import (
    ChoiceField,
    IdField,
    MonthField,
    QueryForm,
    YearField,
    page_status,
    read_download_query,
    read_query,
)
from alliance.core.replica import reads_from_replica


class MeetingsQuery(QueryForm):
    year = YearField(label=_("年份"))
    month = MonthField(label=_("月份"))
    committee = IdField(label=_("委员会"))


class MattersQuery(QueryForm):
    year = YearField(label=_("年份"))


class StatisticsQuery(QueryForm):
    period = ChoiceField(label=_("统计周期"), choices=list(selectors.PERIODS.items()), initial="year")
    year = YearField(label=_("年份"))
    committee = IdField(label=_("委员会"))


def index(request):
    """Every street's joint committee with its members and rotating chair, the professional
    committees and the community big party committees (three queries)."""
    return render(request, "alliance/index.html", {"streets": selectors.alliance_overview()})


def committee_detail(request, pk: int):
    committees = selectors.committees_with_members(Committee.objects.filter(pk=pk))
    if not committees:
        raise Http404(gettext("委员会不存在"))
    committee = committees[0]
    context = {
        "committee": committee,
        "rotations": committee.rotations.select_related("unit").order_by("starts_on"),
        "meetings": selectors.public_meetings(committee=committee)[:10],
        "children": Committee.objects.filter(parent=committee).order_by("kind", "id"),
        "supervision": selectors.follow_up_summary([committee.pk]),
    }
    return render(request, "alliance/committee.html", context)


def meetings(request):
    """The public meeting calendar, newest first, filtered by committee, year and month (4 queries)."""
    query = read_query(request, MeetingsQuery)
    year, month, committee_id = query.value("year"), query.value("month"), query.value("committee")
    committee = Committee.objects.filter(pk=committee_id).first() if committee_id else None
    if committee_id and committee is None:
        query.add_error("committee", gettext("委员会不存在。"))
        committee_id = None
    qs = selectors.public_meetings(committee=committee, year=year, month=month)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    context = {
        "page": page,
        # The district's and the streets' committees (a city has thousands of community committees: those are
        # reached from their own page's link, and the one chosen is kept in the list).
        "committees": Committee.objects.filter(
            Q(grid_node__isnull=True) | Q(grid_node__level__lte=1) | Q(pk=committee_id or 0)
        )
        .only("id", "name")
        .order_by("grid_node__path", "kind", "id"),
        "selected": {"year": year, "month": month, "committee": committee_id},
        "months": range(1, 13),
    }
    return render(request, "alliance/meetings.html", context, status=page_status(request, query))


def meeting_detail(request, pk: int):
    """A meeting's public summary and the titles of its agenda (no minutes, no attendance)."""
    meeting = get_object_or_404(selectors.public_meetings(), pk=pk)
    agenda = meeting.agenda.select_related("matter").order_by("position", "id")
    chair = selectors.chair_on(meeting.committee, timezone.localtime(meeting.starts_at).date())
    return render(request, "alliance/meeting.html", {"meeting": meeting, "agenda": agenda, "chair": chair})


def matters(request):
    """Matters resolved this year, each follow-up shown with its progress until it is done (3 queries)."""
    query = read_query(request, MattersQuery)
    year = query.value("year") or timezone.localdate().year
    qs = selectors.public_matters(year=year)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(request, "alliance/matters.html", {"page": page, "year": year}, status=page_status(request, query))


def matter_detail(request, pk: int):
    # A matter is public once it is studied, or once a street has raised it to the district (区街联动).
    not_public = Q(status=Matter.Status.PROPOSED, escalated_to__isnull=True, escalated_from__isnull=True)
    matter = get_object_or_404(
        Matter.objects.select_related("committee", "raised_by_unit", "escalated_to__committee").exclude(not_public),
        pk=pk,
    )
    context = {
        "matter": matter,
        "trail": trail(matter),
        "milestones": matter.milestones.select_related("owner", "owner_unit").order_by("sort_order", "id"),
        "today": timezone.localdate(),
        "meetings": matter.meetings.select_related("committee").order_by("starts_at"),
        "source_url": matter.source_url(),
    }
    return render(request, "alliance/matter.html", context)


STATISTICS_PER_PAGE = 50


def _stats_params(query):
    return query.value("period"), query.value("year"), query.value("committee")


@reads_from_replica
def statistics(request):
    """The committees' figures by period. The table is cached for everyone alike (alliance.core.cache, group
    "committee"), so it is computed lazily: a cached page runs no query."""
    query = read_query(request, StatisticsQuery)
    period, year, committee_id = _stats_params(query)

    def figures():
        rows = selectors.committee_statistics(
            period=period, year=year, committee_ids=[committee_id] if committee_id else None
        )
        # A city has thousands of committees: the table is paged, newest period first, and the totals stay
        # those of every row (the export has them all).
        newest_first = sorted(rows, key=lambda row: row["start"], reverse=True)
        return {
            "page": Paginator(newest_first, STATISTICS_PER_PAGE).get_page(request.GET.get("page")),
            "totals": {key: sum(r[key] for r in rows) for key, _ in selectors.STAT_COLUMNS[2:]},
        }

    context = {
        "stats": SimpleLazyObject(figures),
        "columns": selectors.STAT_COLUMNS,
        "periods": selectors.PERIODS,
        "selected": {"period": period, "year": year, "committee": committee_id},
        # The district's and the streets' committees (a city has thousands of community committees: those are
        # reached from their own page's link, and the one chosen is kept in the list).
        "committees": Committee.objects.filter(
            Q(grid_node__isnull=True) | Q(grid_node__level__lte=1) | Q(pk=committee_id or 0)
        )
        .only("id", "name")
        .order_by("grid_node__path", "kind", "id"),
        "query": request.GET.urlencode(),
    }
    return render(request, "alliance/statistics.html", context, status=page_status(request, query))


@reads_from_replica
def statistics_xlsx(request):
    """The same figures as an Excel workbook."""
    period, year, committee_id = _stats_params(read_download_query(request, StatisticsQuery))
    rows = selectors.committee_statistics(
        period=period, year=year, committee_ids=[committee_id] if committee_id else None
    )
    today = timezone.localdate()
    return xlsx_response(
        statistics_workbook(rows),
        gettext("大工委统计-%(date)s.xlsx") % {"date": f"{today:%Y%m%d}"},
        "committee-statistics.xlsx",
    )


def _ical_response(meetings, name: str, request) -> HttpResponse:
    text = calendar_text(
        meetings, name=name, url_for=lambda m: request.build_absolute_uri(f"/alliance/meetings/{m.pk}/")
    )
    response = HttpResponse(text.encode("utf-8"), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="meetings.ics"'
    return response


def calendar_feed(request):
    """All meetings as an iCalendar feed people can subscribe to (one query)."""
    return _ical_response(selectors.public_meetings()[:500], gettext("红色联盟 · 联席会议"), request)


def committee_calendar_feed(request, pk: int):
    committee = get_object_or_404(Committee, pk=pk)
    name = gettext("%(committee)s · 联席会议") % {"committee": committee.name}
    return _ical_response(selectors.public_meetings(committee=committee)[:500], name, request)
