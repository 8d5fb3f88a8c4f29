"""The demo joint committee reproduces the seed figures and seeding twice changes nothing."""

import io

import pytest
from django.utils import timezone

from alliance.committee.models import ChairRotation, Committee, Matter, Meeting, Seat
from alliance.committee.selectors import committee_statistics, committees_with_members
from alliance.demo import committee as demo


@pytest.fixture
def seeded(db):
    from alliance.demo import grids as grids_demo
    from alliance.demo import members as members_demo

    out = io.StringIO()
    grids_demo.seed(stdout=out)
    members_demo.seed(stdout=out)
    demo.seed(stdout=out)
    return out


def counts():
    return {m.__name__: m.objects.count() for m in (Committee, Seat, ChairRotation, Meeting, Matter)}


@pytest.mark.slow
def test_the_demo_street_committee_has_the_seed_figures_and_reseeding_changes_nothing(seeded):
    before = counts()
    demo.seed(stdout=io.StringIO())
    assert counts() == before

    joint = committees_with_members(Committee.objects.filter(grid_node__code="SY", kind="street_joint"))[0]
    assert len(joint.full_time) == 11 and len(joint.part_time) == 9
    assert joint.current_chair is not None
    assert {s.unit.name for s in joint.part_time} >= {"山东省交通运输厅", "山东省商务厅"}
    professional = Committee.objects.filter(parent=joint, kind="professional")
    assert sorted(professional.values_list("field", flat=True)) == sorted(
        ["health", "culture", "education", "social", "law", "economy", "science"]
    )
    assert Committee.objects.filter(grid_node__parent__code="SY", kind="community_party").count() == 7
    monthly = Meeting.objects.filter(committee=joint, deliberation_month__isnull=False)
    assert monthly.count() == 12
    assert {timezone.localtime(m.starts_at).day for m in monthly} == {25}
    assert Matter.objects.filter(committee=joint, status="resolved", done_at__isnull=True).exists()
    rows = committee_statistics(period="year", committee_ids=[joint.pk])
    assert sum(r["meetings_held"] for r in rows) == monthly.filter(status="held").count()
    assert sum(r["matters_resolved"] for r in rows) == Matter.objects.filter(committee=joint, status="resolved").count()
