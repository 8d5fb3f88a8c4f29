"""The demo's issue board (说事墙): public issues at every stage with “同样遇到” and map points, one taken down,
private ones kept private; a second run changes nothing."""

import io

import pytest
from django.test import Client

from services.models import Issue, IssueMeToo


@pytest.fixture
def demo(db):
    # The shared categories come from a data migration; a transactional test's flush may have emptied them.
    import importlib

    from django.apps import apps

    from alliance.demo import grids as grids_demo
    from alliance.demo import issue_board
    from alliance.demo import maps as maps_demo
    from alliance.demo import members as members_demo
    from alliance.demo import services as services_demo

    importlib.import_module("projects.migrations.0002_seed_categories").seed(apps, None)
    out = io.StringIO()
    for step in (grids_demo, members_demo, services_demo, maps_demo, issue_board):
        step.seed(stdout=out)
    return issue_board


def test_the_demo_board_has_every_stage_me_toos_and_places_and_is_idempotent(demo):
    public = Issue.objects.filter(is_public=True)

    assert 10 <= public.count() <= 15
    assert set(public.values_list("status", flat=True)) == {s.value for s in Issue.Status}
    assert public.values("grid_node__parent").distinct().count() >= 3  # across communities
    assert not public.filter(lat__isnull=True).exists()
    assert IssueMeToo.objects.filter(issue__in=public).count() >= 20
    assert Issue.objects.filter(is_public=False, taken_down_at__isnull=False).count() == 1
    assert Issue.objects.filter(is_public=False, taken_down_at__isnull=True).exists()
    counts = (Issue.objects.count(), IssueMeToo.objects.count())

    demo.seed(stdout=io.StringIO())

    assert (Issue.objects.count(), IssueMeToo.objects.count()) == counts
    page = Client().get("/services/board/").content.decode()
    assert "小区东门路灯不亮" in page and "邻居家狗半夜叫" not in page
