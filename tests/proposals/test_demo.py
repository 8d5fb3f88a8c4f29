"""The demo's proposals: one at every stage in 舜玉路街道, made through the actions; running it twice changes nothing."""

import io

from alliance.committee.models import Matter
from alliance.demo import committee as committee_demo
from alliance.demo import grids as grids_demo
from alliance.demo import members as members_demo
from alliance.demo import proposals as demo
from alliance.proposals.models import Comment, Proposal, ProposalEvent, Support
from grids.models import GridNode
from tests.members.factories import ResidentFactory


def test_demo_proposals_cover_every_stage_and_are_idempotent(db):
    out = io.StringIO()
    grids_demo.seed(stdout=out)
    members_demo.seed(stdout=out)
    committee_demo.seed(stdout=out)
    community = GridNode.objects.get(code="SY").children.order_by("sort_order", "id").first()
    for i in range(1, 9):  # the services demo's residents
        ResidentFactory(username=f"demo_resident_{i:02d}", grid_node=community, display_name=f"居民{i}")

    demo.seed(stdout=out)

    statuses = set(Proposal.objects.values_list("status", flat=True))
    assert statuses == {"submitted", "published", "declined", "merged", "raised"}
    assert Proposal.objects.get(status="declined").decline_reason
    merged = Proposal.objects.get(status="merged")
    assert merged.merged_into.status == "published" and merged.merged_into.support_count == 4
    raised = Proposal.objects.filter(status="raised").select_related("matter__committee")
    assert {p.matter.committee.kind for p in raised} == {"community_party", "street_joint"}
    resolved = Proposal.objects.get(matter__status="resolved").matter
    assert resolved.progress == 60 and resolved.milestones.exists()
    assert Comment.objects.filter(hidden=True).exists()

    counts = [m.objects.count() for m in (Proposal, Support, Comment, ProposalEvent, Matter)]
    demo.seed(stdout=out)
    assert [m.objects.count() for m in (Proposal, Support, Comment, ProposalEvent, Matter)] == counts
