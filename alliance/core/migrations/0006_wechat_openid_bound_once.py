from django.db import migrations, models

HELP = "在微信中打开本站点「绑定微信」写入，不能手工填写。"


def clear_duplicate_openids(apps, schema_editor):
    """OpenIDs typed by hand may repeat: the first account keeps it, the others bind again from WeChat."""
    Preference = apps.get_model("core", "NotificationPreference")
    seen = set()
    for pk, openid in Preference.objects.exclude(wechat_openid="").order_by("pk").values_list("pk", "wechat_openid"):
        if openid in seen:
            Preference.objects.filter(pk=pk).update(wechat_openid="", wechat=False)
        seen.add(openid)


class Migration(migrations.Migration):
    """An OpenID is bound to one account at most: WeChat sign-in finds the person by it."""

    dependencies = [
        ("core", "0005_delivery_provider_receipts"),
    ]

    operations = [
        migrations.AlterField(
            model_name="historicalnotificationpreference",
            name="wechat_openid",
            field=models.CharField(blank=True, help_text=HELP, max_length=64, verbose_name="微信 OpenID"),
        ),
        migrations.AlterField(
            model_name="notificationpreference",
            name="wechat_openid",
            field=models.CharField(blank=True, help_text=HELP, max_length=64, verbose_name="微信 OpenID"),
        ),
        migrations.RunPython(clear_duplicate_openids, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="notificationpreference",
            constraint=models.UniqueConstraint(
                condition=models.Q(("wechat_openid", ""), _negated=True),
                fields=("wechat_openid",),
                name="wechat_openid_bound_once",
            ),
        ),
    ]
