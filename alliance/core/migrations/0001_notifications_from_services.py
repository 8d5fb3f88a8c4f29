"""The kernel takes the notification models over from services, in its state only.

``services.0009_notifications_to_kernel`` renamed the tables to these models' names; nothing here touches the
database. Index and constraint names are still services' until ``0003``.
"""

import datetime
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('services', '0009_notifications_to_kernel'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='HistoricalNotificationPreference',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('email', models.BooleanField(default=False, verbose_name='电子邮件')),
                        ('sms', models.BooleanField(default=False, verbose_name='短信')),
                        ('wechat', models.BooleanField(default=False, verbose_name='微信')),
                        ('wechat_openid', models.CharField(blank=True, max_length=64, verbose_name='微信 OpenID')),
                        ('quiet_start', models.TimeField(blank=True, help_text='留空则使用全局设置。', null=True, verbose_name='免打扰开始')),
                        ('quiet_end', models.TimeField(blank=True, null=True, verbose_name='免打扰结束')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.TextField(null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('user', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='账号')),
                    ],
                    options={
                        'verbose_name': 'historical 消息接收设置',
                        'verbose_name_plural': 'historical 消息接收设置',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalNotificationSettings',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('quiet_start', models.TimeField(default=datetime.time(22, 0), verbose_name='免打扰开始')),
                        ('quiet_end', models.TimeField(default=datetime.time(7, 0), verbose_name='免打扰结束')),
                        ('max_attempts', models.PositiveSmallIntegerField(default=4, verbose_name='最多发送次数')),
                        ('retry_minutes', models.PositiveSmallIntegerField(default=5, help_text='之后每次加倍。', verbose_name='首次重试间隔(分钟)')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.TextField(null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'historical 消息发送设置',
                        'verbose_name_plural': 'historical 消息发送设置',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='Notification',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('key', models.CharField(max_length=120, verbose_name='去重键')),
                        ('title', models.CharField(max_length=200, verbose_name='标题')),
                        ('body', models.TextField(blank=True, verbose_name='内容')),
                        ('url', models.CharField(blank=True, max_length=300, verbose_name='链接')),
                        ('status', models.CharField(choices=[('pending', '待发送'), ('sent', '已发送'), ('failed', '发送失败')], default='pending', max_length=20, verbose_name='状态')),
                        ('attempts', models.PositiveSmallIntegerField(default=0, verbose_name='发送次数')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                        ('sent_at', models.DateTimeField(blank=True, null=True, verbose_name='发送时间')),
                        ('read_at', models.DateTimeField(blank=True, null=True, verbose_name='阅读时间')),
                        ('recipient', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to=settings.AUTH_USER_MODEL, verbose_name='接收人')),
                    ],
                    options={
                        'verbose_name': '通知',
                        'verbose_name_plural': '通知',
                        'ordering': ['-created_at'],
                    },
                ),
                migrations.CreateModel(
                    name='NotificationDelivery',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('channel', models.CharField(choices=[('email', '电子邮件'), ('sms', '短信'), ('wechat', '微信')], max_length=10, verbose_name='渠道')),
                        ('address', models.CharField(blank=True, max_length=254, verbose_name='地址')),
                        ('status', models.CharField(choices=[('pending', '待发送'), ('sent', '已发送'), ('failed', '发送失败')], default='pending', max_length=20, verbose_name='状态')),
                        ('attempts', models.PositiveSmallIntegerField(default=0, verbose_name='发送次数')),
                        ('last_error', models.CharField(blank=True, max_length=500, verbose_name='最近错误')),
                        ('next_attempt_at', models.DateTimeField(blank=True, null=True, verbose_name='下次发送时间')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                        ('sent_at', models.DateTimeField(blank=True, null=True, verbose_name='发送时间')),
                        ('notification', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='deliveries', to='core.notification', verbose_name='通知')),
                    ],
                    options={
                        'verbose_name': '消息投递',
                        'verbose_name_plural': '消息投递',
                        'ordering': ['-created_at', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='NotificationPreference',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('email', models.BooleanField(default=False, verbose_name='电子邮件')),
                        ('sms', models.BooleanField(default=False, verbose_name='短信')),
                        ('wechat', models.BooleanField(default=False, verbose_name='微信')),
                        ('wechat_openid', models.CharField(blank=True, max_length=64, verbose_name='微信 OpenID')),
                        ('quiet_start', models.TimeField(blank=True, help_text='留空则使用全局设置。', null=True, verbose_name='免打扰开始')),
                        ('quiet_end', models.TimeField(blank=True, null=True, verbose_name='免打扰结束')),
                        ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='notification_preference', to=settings.AUTH_USER_MODEL, verbose_name='账号')),
                    ],
                    options={
                        'verbose_name': '消息接收设置',
                        'verbose_name_plural': '消息接收设置',
                    },
                ),
                migrations.CreateModel(
                    name='NotificationSettings',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('quiet_start', models.TimeField(default=datetime.time(22, 0), verbose_name='免打扰开始')),
                        ('quiet_end', models.TimeField(default=datetime.time(7, 0), verbose_name='免打扰结束')),
                        ('max_attempts', models.PositiveSmallIntegerField(default=4, verbose_name='最多发送次数')),
                        ('retry_minutes', models.PositiveSmallIntegerField(default=5, help_text='之后每次加倍。', verbose_name='首次重试间隔(分钟)')),
                    ],
                    options={
                        'verbose_name': '消息发送设置',
                        'verbose_name_plural': '消息发送设置',
                        'abstract': False,
                        'constraints': [models.CheckConstraint(condition=models.Q(('id', 1)), name='services_notificationsettings_single_row')],
                    },
                ),
                migrations.AddIndex(
                    model_name='notification',
                    index=models.Index(fields=['recipient', 'read_at'], name='services_no_recipie_f85a45_idx'),
                ),
                migrations.AddConstraint(
                    model_name='notification',
                    constraint=models.UniqueConstraint(fields=('recipient', 'key'), name='notification_once_per_key'),
                ),
                migrations.AddIndex(
                    model_name='notificationdelivery',
                    index=models.Index(condition=models.Q(('status', 'pending')), fields=['next_attempt_at'], name='delivery_due'),
                ),
                migrations.AddConstraint(
                    model_name='notificationdelivery',
                    constraint=models.UniqueConstraint(fields=('notification', 'channel'), name='one_delivery_per_channel'),
                ),
            ],
        ),
    ]
