"""Time limits of claims (ListSettings): a running claim (approved or in progress) reports progress every
``no_progress_days`` calendar days, or its unit is reminded.

``claim_deadline`` computes a claim's deadline; the reminder job, the workspace and the admin use it, and
``overdue_q``/``waits_from`` give the same sum in SQL so a list sorts overdue first in one query.
"""

import datetime

from django.db.models import BooleanField, Case, F, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from alliance.core.waiting import Waiting, waiting
from projects.models import Claim, ListSettings

RUNNING = (Claim.Status.APPROVED, Claim.Status.IN_PROGRESS)


def waited_since(claim: Claim) -> datetime.datetime:
    """The moment a running claim's progress was last heard of (its last report, its start, its approval)."""
    return claim.last_progress_at or claim.started_at or claim.decided_at or claim.claimed_at


def claim_deadline(claim: Claim, *, conf: ListSettings | None = None) -> datetime.datetime | None:
    """When a running claim's next progress report is due; None for a claim in another state."""
    if claim.status not in RUNNING:
        return None
    conf = conf or ListSettings.get()
    return waited_since(claim) + datetime.timedelta(days=conf.no_progress_days)


def waits_from():
    """``waited_since`` in SQL."""
    return Coalesce(F("last_progress_at"), F("started_at"), F("decided_at"), F("claimed_at"))


class ClaimClock:
    """The limit and the moment one list is drawn at (one query, whatever its length)."""

    def __init__(self, now: datetime.datetime | None = None):
        self.now = now or timezone.now()
        self.conf = ListSettings.get()

    def overdue_q(self) -> Q:
        return Q(status__in=RUNNING, waits_from__lte=self.now - datetime.timedelta(days=self.conf.no_progress_days))

    def claims(self, qs: QuerySet) -> QuerySet:
        """``overdue`` annotated (True for a running claim whose progress report is late)."""
        condition = self.overdue_q()
        return qs.annotate(waits_from=waits_from()).annotate(
            overdue=Case(When(condition, then=Value(True)), default=Value(False), output_field=BooleanField())
        )

    def waiting(self, claim: Claim) -> Waiting | None:
        return waiting(claim_deadline(claim, conf=self.conf), self.now)

    def mark(self, rows) -> list:
        rows = list(rows)
        for row in rows:
            row.waiting = self.waiting(row)
        return rows
