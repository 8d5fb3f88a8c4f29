from django.db import migrations, models


class Migration(migrations.Migration):
    """Each delivery keeps the provider's message id and when the provider's receipt said it arrived."""

    dependencies = [
        ("core", "0004_export_jobs"),
    ]

    operations = [
        migrations.AddField(
            model_name="notificationdelivery",
            name="delivered_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="送达时间"),
        ),
        migrations.AddField(
            model_name="notificationdelivery",
            name="provider_message_id",
            field=models.CharField(blank=True, db_index=True, max_length=100, verbose_name="服务商消息编号"),
        ),
    ]
