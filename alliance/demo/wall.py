"""Demo wall (公示): last month's kept walls of the demo stations and points (堡垒指数 on the 站, 先锋指数 and the
month's points on the 点), as the 1st-of-the-month job keeps them. Idempotent: a month is kept once per station."""

from django.utils import timezone

from alliance.points import rankings, wall
from alliance.points.models import WallSnapshot


def seed(stdout=None):
    today = timezone.localdate()
    taken = wall.snapshot_last_month(today=today)
    year, month = rankings.previous_month(today)
    kept = WallSnapshot.objects.filter(year=year, month=month).count()
    if stdout is not None:
        stdout.write(f"  alliance.demo.wall: {year}年{month}月公示留存 {kept} 个阵地（本次新留存 {taken} 个）")
    return kept
