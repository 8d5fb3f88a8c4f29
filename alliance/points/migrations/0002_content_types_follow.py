"""The moved models' content types follow them (members → points), so their permissions, the groups
holding them, the admin's log entries and the corrections' source (PointsEntry) stay attached."""

from django.db import migrations

MODELS = [
    "pointsrule",
    "pointsentry",
    "pointsranking",
    "pointsrankingrow",
    "servicehourstarget",
    "starrating",
    "historicalpointsrule",
    "historicalpointsentry",
    "historicalpointsranking",
    "historicalservicehourstarget",
    "historicalstarrating",
]


def relabel(apps, from_label: str, to_label: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    taken = set(ContentType.objects.filter(app_label=to_label, model__in=MODELS).values_list("model", flat=True))
    ContentType.objects.filter(app_label=from_label, model__in=set(MODELS) - taken).update(app_label=to_label)


def forwards(apps, schema_editor):
    relabel(apps, "members", "points")


def backwards(apps, schema_editor):
    relabel(apps, "points", "members")


class Migration(migrations.Migration):
    dependencies = [("points", "0001_initial"), ("contenttypes", "0002_remove_content_type_name")]
    operations = [migrations.RunPython(forwards, backwards)]
