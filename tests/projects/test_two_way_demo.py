"""The demo's two-way lists: units' needs in every state of review (seed 004: 75 needs in all) and units' pledges."""

import io

from alliance.demo import grids as grids_demo
from alliance.demo import members as members_demo
from alliance.demo import projects as projects_demo
from alliance.demo import two_way as demo
from members.models import User
from projects import selectors
from projects.models import Need, Pledge


def test_units_needs_in_each_state_and_their_pledges_idempotent(db):
    out = io.StringIO()
    grids_demo.seed(stdout=out)
    members_demo.seed(stdout=out)
    projects_demo.seed(stdout=out)
    demo.seed(stdout=out)

    assert Need.objects.count() == 75  # "112家驻区单位……75条需求项目"
    posted = Need.objects.filter(posted_by_unit__isnull=False)
    assert posted.count() == 48
    assert set(posted.values_list("status", flat=True)) >= {"pending", "returned", "declined", "open"}
    operator = User.objects.get(username="unit_operator")
    mine = posted.filter(posted_by_unit=operator.unit)
    assert {"pending", "returned", "declined", "open"} <= set(mine.values_list("status", flat=True))
    assert not posted.filter(status="returned", review_note="").exists()
    assert selectors.listed_needs().count() == 75 - 10  # pending, returned and declined stay out of the list
    assert Pledge.objects.filter(unit=operator.unit, created_by=operator).exists()

    counts = (Need.objects.count(), Pledge.objects.count())
    demo.seed(stdout=out)
    assert (Need.objects.count(), Pledge.objects.count()) == counts
