"""Single-row settings: one row at pk 1, the database refuses a second, the admins neither add nor delete."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from alliance.committee.models import CommitteeSettings
from alliance.core.models import NotificationSettings
from projects.models import ListSettings
from services.models import ServiceSettings

pytestmark = pytest.mark.django_db
SETTINGS = [CommitteeSettings, ListSettings, ServiceSettings, NotificationSettings]


@pytest.mark.parametrize("model", SETTINGS, ids=lambda m: m.__name__)
def test_the_database_refuses_a_second_row(model):
    row = model.load()
    assert row.pk == 1 and model.load().pk == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.bulk_create([model(pk=2)])  # no save(): the check constraint decides
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.create()  # save() writes pk 1, which exists
    assert model.objects.count() == 1


@pytest.mark.parametrize("model", SETTINGS, ids=lambda m: m.__name__)
def test_the_admin_neither_adds_nor_deletes_but_changes_the_row(client, street_admin, model):
    row = model.load()
    name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    client.force_login(street_admin)
    assert client.get(reverse(f"{name}_add")).status_code == 403
    assert client.post(reverse(f"{name}_add"), {}).status_code == 403
    assert client.post(reverse(f"{name}_delete", args=[row.pk]), {"post": "yes"}).status_code == 403
    assert client.get(reverse(f"{name}_changelist")).status_code == 200
    assert client.get(reverse(f"{name}_change", args=[row.pk])).status_code == 200
    assert model.objects.count() == 1


def test_a_street_admin_changes_the_service_settings_the_code_reads(client, street_admin):
    client.force_login(street_admin)
    row = ServiceSettings.load()
    data = {
        "order_remind_days": "3",
        "order_escalate_days": "4",
        "issue_discovered_days": "1",
        "issue_consulting_days": "2",
        "issue_handling_days": "5",
        "issue_feedback_days": "2",
        "photo_max_kb": "2048",
        "service_circle_m": "400",
    }
    response = client.post(reverse("admin:services_servicesettings_change", args=[row.pk]), data)
    assert response.status_code == 302
    assert ServiceSettings.load().order_remind_days == 3


def test_community_admins_see_but_do_not_change_the_settings(client, community_admin):
    row = CommitteeSettings.load()
    client.force_login(community_admin)
    url = reverse("admin:alliance_committeesettings_change", args=[row.pk])
    client.post(url, {"deliberation_day": "3", "meeting_time": "09:00", "meeting_hours": "2", "rotation_months": "6"})
    assert CommitteeSettings.load().deliberation_day == 25
