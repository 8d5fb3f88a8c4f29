"""The demo lists: SPEC §6 figures for 舜玉路街道, and running the seed twice changes nothing."""

import io

from alliance.demo import grids as grids_demo
from alliance.demo import members as members_demo
from alliance.demo import projects as demo
from projects.models import Claim, Match, Need, Pledge, Project, Resource, Wish


def test_demo_lists_have_the_seed_figures_and_are_idempotent(db):
    out = io.StringIO()
    grids_demo.seed(stdout=out)
    members_demo.seed(stdout=out)
    demo.seed(stdout=out)

    assert Resource.objects.count() == 67
    assert Resource.objects.values("category__parent").distinct().count() == 8
    assert Need.objects.count() == 27
    assert Need.objects.values("category__parent").distinct().count() == 4
    assert Project.objects.count() == 51
    assert Project.objects.values("category").distinct().count() == 10
    assert Project.objects.exclude(crowdfunding_target=None).count() == 4
    assert Match.objects.exists() and Pledge.objects.exists() and Wish.objects.exists()
    for project in Project.objects.all():
        assert project.active_claims == project.claims.exclude(status="rejected").count() <= project.capacity

    counts = [m.objects.count() for m in (Resource, Need, Project, Claim, Pledge, Wish, Match)]
    demo.seed(stdout=out)
    assert [m.objects.count() for m in (Resource, Need, Project, Claim, Pledge, Wish, Match)] == counts
