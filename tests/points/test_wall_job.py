"""The monthly wall job (留存上月党群服务阵地公示): in beat on the 1st, and a real worker running it twice keeps
each station's month once."""

import datetime

import pytest
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from alliance.core.schedules import sync_default_schedules
from alliance.points.models import WallSnapshot, WallSnapshotRow
from alliance.points.tasks import snapshot_wall_task
from services.models import ServiceStation
from tests.grids.factories import CommunityFactory, MicroGridFactory, StreetFactory
from tests.members.factories import PartyMemberFactory
from tests.points.factories import PointsEntryFactory
from tests.services.factories import ServiceStationFactory


def test_the_job_runs_on_the_1st_of_each_month(db):
    sync_default_schedules()
    task = PeriodicTask.objects.get(name="留存上月党群服务阵地公示")
    assert task.task == "points.snapshot_wall" and task.crontab.day_of_month == "1"


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_running_the_job_twice_keeps_each_month_once(celery_worker):
    community = CommunityFactory(parent=StreetFactory())
    micro = MicroGridFactory(parent=community)
    ServiceStationFactory(grid_node=community)
    ServiceStationFactory(grid_node=micro, kind=ServiceStation.Kind.POINT)
    last = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
    PointsEntryFactory(member=PartyMemberFactory(community=micro, name="王强"), points=6, occurred_on=last)
    today = timezone.localdate().isoformat()
    results = [snapshot_wall_task.apply_async(args=(today,), ignore_result=False) for _ in range(2)]
    assert sorted(r.get(timeout=30) for r in results) == [0, 2]
    assert WallSnapshot.objects.filter(year=last.year, month=last.month).count() == 2
    assert list(WallSnapshotRow.objects.values_list("name", "points")) == [("王强", 6)]
