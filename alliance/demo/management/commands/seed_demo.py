"""Loads the demo district (SPEC §6) and the demo accounts (SPEC §7). Running it twice changes nothing."""

import importlib
import time

from django.core.management.base import BaseCommand
from django.db import transaction

from alliance.core.cache import forget_all
from alliance.demo.management.commands.demo_banner import demo_logins

# Order matters: the grid first, then the units and people, then what they do.
DEMO_STEPS = (
    "alliance.demo.grids",
    "alliance.demo.members",
    "alliance.demo.committee",
    "alliance.demo.news",
    "alliance.demo.projects",
    "alliance.demo.services",
    "alliance.demo.maps",
    "alliance.demo.points",
    "alliance.demo.pairings",
    "alliance.demo.volunteering",
    "alliance.demo.two_way",
    "alliance.demo.recurring",
    "alliance.demo.individual_claims",
    "alliance.demo.wall",
    "alliance.demo.issue_board",
    "alliance.demo.proposals",
    "alliance.demo.surveys",
    "alliance.demo.selections",
    "alliance.demo.assessment",
    "alliance.demo.following",
    "alliance.demo.district",
    "alliance.demo.streets_activity",
)


class Command(BaseCommand):
    help = "载入演示街区数据（幂等：重复运行不会改变任何数据）"

    def handle(self, *args, **options):
        started = time.monotonic()
        for name in DEMO_STEPS:
            module = importlib.import_module(name)
            step_started = time.monotonic()
            with transaction.atomic():
                module.seed(stdout=self.stdout)
            self.stdout.write(f"  {name}: {time.monotonic() - step_started:.1f}s")
        forget_all()  # bulk inserts send no signals: every cached page is built afresh
        self.stdout.write(self.style.SUCCESS(f"演示数据已就绪（{time.monotonic() - started:.1f}s）"))

        self.stdout.write(demo_logins())
