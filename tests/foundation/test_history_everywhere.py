import pytest
from django.apps import apps

from alliance.core.history import KeptHistoryDescriptor
from grids.models import GridNode
from tests.grids.factories import StreetFactory

# Append-only records: they are themselves the history of something and are never edited.
APPEND_ONLY = {
    "alliance.JobRun",  # one row per run of a periodic job
    "core.Notification",  # a message sent; only its read time changes
    "core.NotificationDelivery",  # delivery attempts of a notification
    "services.OrderEvent",  # the order's timeline
    "services.IssueEvent",  # the timeline
    "services.IssuePhoto",  # a photo as reported, re-encoded once
    "points.PointsRankingRow",  # rows of a published ranking, frozen by design
}


def test_every_model_keeps_its_change_history():
    missing = [
        model._meta.label
        for app in ("grids", "members", "alliance", "projects", "services")
        for model in apps.get_app_config(app).get_models()
        if not model.__name__.startswith("Historical")
        and not model._meta.auto_created
        and model._meta.label not in APPEND_ONLY
        and not hasattr(model._meta, "simple_history_manager_attribute")
    ]
    assert missing == []


def test_every_history_manager_is_built_once():
    """Each save reads ``Model.history`` to find its history model (alliance.core.history keeps the class)."""
    labelled = [m for m in apps.get_models() if hasattr(m._meta, "simple_history_manager_attribute")]
    assert labelled
    for model in labelled:
        name = model._meta.simple_history_manager_attribute
        assert isinstance(model.__dict__[name], KeptHistoryDescriptor), model._meta.label
        assert type(getattr(model, name)) is type(getattr(model, name))


@pytest.mark.django_db
def test_a_rows_history_lists_its_own_changes_only():
    street, other = StreetFactory(name="东风街道"), StreetFactory(name="西湖街道")
    street.name = "东风街道办事处"
    street.save()
    assert [h.name for h in street.history.order_by("history_date")] == ["东风街道", "东风街道办事处"]
    assert [h.name for h in other.history.all()] == ["西湖街道"]
    assert GridNode.history.count() == 3
    assert street.history.first().instance == street
