"""Prints where the portal runs and the demo logins."""

from django.conf import settings
from django.core.management.base import BaseCommand

from alliance.demo.committee import DEMO_ACCOUNTS
from members.models import User


def demo_logins() -> str:

    existing = set(User.objects.filter(username__in=[a[0] for a in DEMO_ACCOUNTS]).values_list("username", flat=True))
    if not existing:
        return "（没有演示账号：未载入演示数据）"
    lines = [f"演示账号（密码均为 DEMO_PASSWORD，当前为 {settings.DEMO_PASSWORD}）："]
    for username, label in DEMO_ACCOUNTS:
        if username in existing:
            lines.append(f"  {username:<16} {label}")
    return "\n".join(lines)


class Command(BaseCommand):
    help = "打印访问地址和演示账号"

    def add_arguments(self, parser):
        parser.add_argument("--port", default="8000")

    def handle(self, *args, port, **options):
        self.stdout.write(
            self.style.SUCCESS(f"红色联盟门户： http://127.0.0.1:{port}/   管理后台： http://127.0.0.1:{port}/admin/")
        )
        self.stdout.write(demo_logins())
