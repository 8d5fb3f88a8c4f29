"""The default points rules, editable in the admin afterwards."""

from django.db import migrations

RULES = [
    ("activity_checkin", 2, "参加社区活动并签到,每次"),
    ("volunteer_hours", 1, "志愿服务活动签到,按活动时长每小时"),
    ("claim_completed", 10, "成员单位完成认领的服务项目,每项"),
    ("claim_evaluated", 5, "认领项目获社区评价不低于好评最低分,每项"),
    ("order_delivered", 3, "成员单位接单的居民点单经确认送达,每单"),
    ("order_rated", 2, "居民点单获评价不低于好评最低分,每单"),
]


def create_rules(apps, schema_editor):
    PointsRule = apps.get_model("members", "PointsRule")
    for kind, points, description in RULES:
        PointsRule.objects.get_or_create(kind=kind, defaults={"points": points, "description": description})


def remove_rules(apps, schema_editor):
    apps.get_model("members", "PointsRule").objects.filter(kind__in=[k for k, _, _ in RULES]).delete()


class Migration(migrations.Migration):
    dependencies = [("members", "0003_points_rankings_stars")]
    operations = [migrations.RunPython(create_rules, remove_rules)]
