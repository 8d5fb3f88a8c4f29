"""Receivers of services' and projects' domain events (alliance.core.events): the points they earn."""

from alliance.core import events
from alliance.points import awards
from projects import events as project_events
from services import events as service_events


@events.receiver(service_events.order_delivered)
def order_delivered(*, instance, by=None, **kwargs):
    awards.award_order_delivered(order=instance, by=by)


@events.receiver(service_events.order_rated)
def order_rated(*, instance, by=None, **kwargs):
    awards.award_order_rated(order=instance, by=by)


@events.receiver(service_events.signup_checked_in)
def signup_checked_in(*, instance, by=None, **kwargs):
    awards.award_activity_checkin(signup=instance, by=by)


@events.receiver(project_events.claim_completed)
def claim_completed(*, instance, by=None, **kwargs):
    awards.award_claim_completed(claim=instance, by=by)


@events.receiver(project_events.claim_evaluated)
def claim_evaluated(*, instance, by=None, **kwargs):
    awards.award_claim_evaluated(claim=instance, by=by)
