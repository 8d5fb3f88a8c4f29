"""What a resident reads of an order's or an issue's state: four phases in residents' words.

The workflow's stage names (发现, 会商, 处置 …) are the staff's; a resident sees where their request
stands: waiting for someone to take it, being served, waiting for their rating, done. Each phase is a
tab of the resident's lists, a badge of 我的 and the tag on each row. Statuses are the models' values,
written here as strings so the models can read this module.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Phase:
    key: str  # the tab's value in the query string
    label: str  # the tab's name
    statuses: tuple[str, ...]
    tag: str  # the tag's colour class (portal.css): "", "warn", "ok", "grey"


ORDER_PHASES = (
    Phase("waiting", _("待接单"), ("submitted",), "warn"),
    Phase("serving", _("服务中"), ("accepted", "served"), ""),
    Phase("to_rate", _("待评价"), ("delivered",), "warn"),
    Phase("done", _("已办结"), ("rated", "cancelled"), "ok"),
)
ISSUE_PHASES = (
    Phase("waiting", _("已受理"), ("discovered",), "warn"),
    Phase("serving", _("处理中"), ("consulting", "handling"), ""),
    Phase("to_rate", _("待评价"), ("feedback",), "warn"),
    Phase("done", _("已办结"), ("evaluated",), "ok"),
)

# A cancelled order is in the "done" tab but says what happened to it.
_OWN_LABELS = {"cancelled": (_("已取消"), "grey")}


def phase_of(phases, status: str) -> Phase:
    return next((p for p in phases if status in p.statuses), phases[0])


def resident_tag(phases, status: str) -> tuple[str, str]:
    """The tag a resident sees for ``status``: (label, colour class)."""
    if status in _OWN_LABELS:
        label, tag = _OWN_LABELS[status]
        return str(label), tag
    phase = phase_of(phases, status)
    return str(phase.label), phase.tag


def tab_choices(phases) -> list[tuple[str, str]]:
    return [(p.key, str(p.label)) for p in phases]


def statuses_of(phases, key: str) -> tuple[str, ...]:
    return next((p.statuses for p in phases if p.key == key), ())
