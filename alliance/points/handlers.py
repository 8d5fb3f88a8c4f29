"""Receivers of services' and projects' domain events (alliance.core.events): the points they earn."""

from collections.abc import Callable

from alliance.core import events
from alliance.points import awards
from projects import events as project_events
from services import events as service_events


def _awarding(award: Callable, keyword: str) -> Callable:
    """The receiver of an event whose instance earns points: ``award(<keyword>=instance, by=by)``."""

    def receive(*, instance, by=None, **kwargs):
        award(**{keyword: instance}, by=by)

    return receive


# Each event, the award it earns and the award's keyword for the event's instance.
for _signal, _award, _keyword in (
    (service_events.order_delivered, awards.award_order_delivered, "order"),
    (service_events.order_rated, awards.award_order_rated, "order"),
    (service_events.signup_checked_in, awards.award_activity_checkin, "signup"),
    (project_events.claim_completed, awards.award_claim_completed, "claim"),
    (project_events.claim_evaluated, awards.award_claim_evaluated, "claim"),
):
    events.receiver(_signal, name=_award.__name__)(_awarding(_award, _keyword))
