"""Every write of the assessment: weights, the year-end assessment and the quarterly micro-grid stars.

Only a street admin of the street (or a superuser) sets weights, computes and publishes. An assessment or a
rating is a draft while computed (recomputing replaces its rows); publishing freezes it and makes it public.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history

from alliance.assessment import figures, scoring
from alliance.assessment.models import (
    INDICATORS,
    Assessment,
    AssessmentResult,
    AssessmentWeights,
    GridStar,
    GridStarRating,
    Status,
)
from alliance.core.scoping import node_in_scope, sees_all
from alliance.core.transitions import Step
from grids.models import GridNode

NOT_YOURS = gettext_lazy("只有本街道的街道管理员可以设置考核权重、计算和发布考核结果。")
FIRST_YEAR, LAST_YEAR = 2000, 2100

# fmt: off
COMPUTE = Step(Status.DRAFT, (Status.DRAFT,), gettext_lazy("已发布的考核结果不能重新计算。"), stamp="computed")
PUBLISH = Step(Status.PUBLISHED, (Status.DRAFT,), gettext_lazy("只有草稿可以发布。"), stamp="published",
               conflict={Status.PUBLISHED: gettext_lazy("该考核结果已经发布。")})
# fmt: on


def can_manage(user, street: GridNode) -> bool:
    """A street admin whose subtree holds ``street`` (or a superuser)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if sees_all(user):
        return True
    return user.role == user.Role.STREET_ADMIN and node_in_scope(street, user)


def _require_manager(by, street: GridNode) -> None:
    if not can_manage(by, street):
        raise PermissionDenied(NOT_YOURS)


def _check_street_year(street: GridNode, year: int) -> None:
    if street.level != GridNode.Level.STREET:
        raise ValidationError({"street": _("请选择街道。")})
    if not FIRST_YEAR <= int(year) <= LAST_YEAR:
        raise ValidationError(
            {"year": _("年度应在%(first)s—%(last)s之间。") % {"first": FIRST_YEAR, "last": LAST_YEAR}}
        )


def default_weights() -> dict[str, int]:
    return {key: default for key, _label, default in INDICATORS}


def weights_for(street: GridNode, year: int) -> dict[str, int]:
    """The weights the street set for the year, else the defaults (one query)."""
    row = AssessmentWeights.objects.filter(street=street, year=year).first()
    return row.weights() if row else default_weights()


def check_weights(weights: dict[str, int | None]) -> None:
    missing = [key for key, _label, _default in INDICATORS if weights.get(key) is None]
    if missing:
        raise ValidationError({f"w_{key}": _("请填写权重。") for key in missing})
    bad = [key for key, value in weights.items() if not 0 <= int(value or 0) <= 100]
    if bad:
        raise ValidationError({f"w_{key}": _("权重应在0—100之间。") for key in bad})
    total = sum(int(v or 0) for v in weights.values())
    if total != 100:
        raise ValidationError({"w_satisfaction": _("五项权重之和必须为100，现在是%(total)s。") % {"total": total}})


@transaction.atomic
def set_weights(*, by, street: GridNode, year: int, weights: dict[str, int]) -> AssessmentWeights:
    """Set (or change) a street's weights for a year; refused once the year's assessment is published."""
    _require_manager(by, street)
    _check_street_year(street, year)
    given = {key: weights.get(key) for key, _label, _default in INDICATORS}
    check_weights(given)
    if Assessment.objects.filter(street=street, year=year, status=Status.PUBLISHED).exists():
        raise ValidationError({"year": _("该年度的年终考核已发布，权重不能再修改。")})
    row = AssessmentWeights.objects.select_for_update().filter(street=street, year=year).first()
    row = row or AssessmentWeights(street=street, year=year)
    for key, value in given.items():
        setattr(row, f"w_{key}", int(value or 0))
    row.set_at, row.set_by = timezone.now(), by
    row.save()
    return row


def _create(model, message: str, **fields):
    try:
        with transaction.atomic():
            return model.objects.create(**fields)
    except IntegrityError:
        raise ValidationError({"year": message})


def open_assessment(*, by, street: GridNode, year: int) -> Assessment:
    """A draft year-end assessment of the street (computed next, through ``compute_assessment``)."""
    _require_manager(by, street)
    _check_street_year(street, year)
    weights = {f"w_{key}": value for key, value in weights_for(street, year).items()}
    return _create(Assessment, _("该街道该年度的年终考核已经建立。"), street=street, year=year, **weights)


def _ranked(rows: list[dict]) -> list[dict]:
    for row, rank in zip(rows, scoring.ranks([r["total"] for r in rows]), strict=True):
        row["rank"] = rank
    return rows


def assessment_rows(street: GridNode, year: int, weights: dict[str, int]) -> list[dict]:
    """Every subject's result of the street's year: a fixed number of queries (figures' module)."""
    period = figures.year_bounds(year)
    nodes = figures.street_nodes(street)
    by_node = figures.node_tallies(street, period)
    by_unit = figures.unit_tallies(street, period)
    by_station = figures.station_tallies(street, period)
    polls_by_unit, polls_by_station = figures.poll_figures(street, year, period)
    rows: list[dict] = []

    def add(kind, subject_id, name, node_id, tally, *, issues_apply, satisfaction_from):
        row = scoring.indicator_row(tally, issues_apply=issues_apply, satisfaction_from=satisfaction_from)
        row.update(kind=kind, subject_id=subject_id, name=name, grid_node_id=node_id)
        row["total"] = scoring.weighted_total(row, weights)
        row["grade"] = scoring.grade_for(row["total"])
        rows.append(row)

    kind_rows = {}
    for unit in figures.units(street):
        add(
            "unit",
            unit["id"],
            unit["name"],
            unit["grid_node_id"],
            by_unit.get(unit["id"], figures.Tally()) + polls_by_unit.get(unit["id"], figures.Tally()),
            issues_apply=False,
            satisfaction_from=("claims", "orders", "polls"),
        )
    kind_rows["unit"], rows = rows, []
    for station in figures.stations(street):
        tally = figures.rollup(nodes, by_node, station["grid_node__path"])
        # A station's services are the orders of its own menu, not every order of its area.
        for key in ("orders_delivered", "orders_rated", "orders_rating_sum"):
            tally[key] = by_station.get(station["id"], figures.Tally())[key]
        # Its satisfaction polls (满意度测评) count beside its residents' ratings.
        tally.update(polls_by_station.get(station["id"], figures.Tally()))
        add(
            "station",
            station["id"],
            station["name"],
            station["grid_node_id"],
            tally,
            issues_apply=True,
            satisfaction_from=("issues", "orders", "polls"),
        )
    kind_rows["station"], rows = rows, []
    for node in nodes:
        if node["level"] == GridNode.Level.MICRO:
            add(
                "micro_grid",
                node["id"],
                node["name"],
                node["id"],
                figures.rollup(nodes, by_node, node["path"]),
                issues_apply=True,
                satisfaction_from=("issues", "orders"),
            )
    kind_rows["micro_grid"], rows = rows, []
    for team in figures.joint_duty_teams(street):
        add(
            "team",
            team["id"],
            f"{team['node__name']} · {team['name']}",
            team["node_id"],
            figures.rollup(nodes, by_node, team["node__path"]),
            issues_apply=True,
            satisfaction_from=("issues", "orders"),
        )
    kind_rows["team"] = rows
    return [row for kind in ("unit", "station", "micro_grid", "team") for row in _ranked(kind_rows[kind])]


@transaction.atomic
def compute_assessment(*, by, assessment: Assessment) -> Assessment:
    """(Re)compute a draft assessment's rows with the weights the street set for its year."""
    _require_manager(by, assessment.street)
    weights = weights_for(assessment.street, assessment.year)
    COMPUTE.run(assessment, by=by, fields={f"w_{key}": value for key, value in weights.items()})
    rows = assessment_rows(assessment.street, assessment.year, weights)
    for old in assessment.results.all():
        old.delete()
    bulk_create_with_history(
        [AssessmentResult(assessment=assessment, **row) for row in rows], AssessmentResult, batch_size=1000
    )
    return assessment


@transaction.atomic
def publish_assessment(*, by, assessment: Assessment) -> Assessment:
    _require_manager(by, assessment.street)
    PUBLISH.check(assessment)
    if assessment.computed_at is None:
        raise ValidationError(_("请先计算考核结果，再发布。"))
    return PUBLISH.run(assessment, by=by)


# --- the quarterly micro-grid stars ------------------------------------------------------------------------


def _check_quarter(quarter: int) -> None:
    if not 1 <= int(quarter) <= 4:
        raise ValidationError({"quarter": _("季度应为1—4。")})


def open_grid_stars(*, by, street: GridNode, year: int, quarter: int) -> GridStarRating:
    _require_manager(by, street)
    _check_street_year(street, year)
    _check_quarter(quarter)
    return _create(GridStarRating, _("该街道该季度的微网格评星已经建立。"), street=street, year=year, quarter=quarter)


def grid_star_rows(street: GridNode, year: int, quarter: int) -> list[dict]:
    """Every micro-grid's stars for the quarter (six queries, whatever the number of grids)."""
    nodes = figures.street_nodes(street)
    tallies = figures.node_tallies(street, figures.quarter_bounds(year, quarter))
    rows = []
    for node in nodes:
        if node["level"] == GridNode.Level.MICRO:
            row = scoring.grid_star_row(tallies.get(node["id"], figures.Tally()))
            row.update(node_id=node["id"], name=node["name"])
            rows.append(row)
    for row, rank in zip(rows, scoring.ranks([r["score"] for r in rows]), strict=True):
        row["rank"] = rank
    return rows


def _compute_stars(rating: GridStarRating, by) -> GridStarRating:
    COMPUTE.run(rating, by=by)
    rows = grid_star_rows(rating.street, rating.year, rating.quarter)
    for old in rating.stars.all():
        old.delete()
    bulk_create_with_history([GridStar(rating=rating, **row) for row in rows], GridStar, batch_size=1000)
    return rating


@transaction.atomic
def compute_grid_stars(*, by, rating: GridStarRating) -> GridStarRating:
    _require_manager(by, rating.street)
    return _compute_stars(rating, by)


@transaction.atomic
def publish_grid_stars(*, by, rating: GridStarRating) -> GridStarRating:
    _require_manager(by, rating.street)
    PUBLISH.check(rating)
    if rating.computed_at is None:
        raise ValidationError(_("请先计算星级，再发布。"))
    return PUBLISH.run(rating, by=by)


def previous_quarter(today: datetime.date) -> tuple[int, int]:
    quarter = (today.month - 1) // 3 + 1
    return (today.year - 1, 4) if quarter == 1 else (today.year, quarter - 1)


def compute_last_quarter(*, today: datetime.date) -> int:
    """The quarterly job: every street's draft rating of the quarter just ended, computed (a published one is
    left as it is; run twice, the draft is the same). The number of ratings computed."""
    year, quarter = previous_quarter(today)
    done = 0
    for street in GridNode.objects.streets().order_by("id"):
        with transaction.atomic():
            rating, _created = GridStarRating.objects.get_or_create(street=street, year=year, quarter=quarter)
            if rating.status == Status.DRAFT:
                _compute_stars(rating, None)
                done += 1
    return done
