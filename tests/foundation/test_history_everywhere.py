from django.apps import apps

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
