"""A resolved matter of the joint committee is handed on as a draft project, once."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from alliance.committee import events as committee_events
from alliance.committee.models import Committee, Matter
from alliance.core.events import send_now
from projects.actions import create_project_from_matter, raise_need_to_committee
from projects.models import Need, Project
from tests.projects.factories import NeedFactory


@pytest.fixture
def committee(street):
    return Committee.objects.create(name="舜玉路街道大工委", kind=Committee.Kind.STREET_JOINT, grid_node=street)


def test_resolved_matter_becomes_draft_project_in_committee_node(committee, street_admin, community):
    need = NeedFactory(grid_node=community)
    matter = Matter.objects.create(
        committee=committee, title="老旧小区加装电梯", status=Matter.Status.RESOLVED, resolution="由驻区国企认领实施"
    )
    matter.source = need
    matter.save()

    project = create_project_from_matter(by=street_admin, matter=matter)

    assert project.status == Project.Status.DRAFT
    assert project.grid_node == committee.grid_node
    assert project.matter == matter
    assert "由驻区国企认领实施" in project.description
    assert list(project.needs.all()) == [need]
    need.refresh_from_db()
    assert need.status == Need.Status.IN_PROJECT


def test_matter_cannot_be_handed_on_twice(committee, street_admin):
    matter = Matter.objects.create(committee=committee, title="口袋公园", status=Matter.Status.RESOLVED)
    create_project_from_matter(by=street_admin, matter=matter)
    with pytest.raises(ValidationError, match="重复"):
        create_project_from_matter(by=street_admin, matter=matter)
    assert Project.objects.filter(matter=matter).count() == 1


def test_unresolved_matter_is_refused(committee, street_admin):
    matter = Matter.objects.create(committee=committee, title="停车难", status=Matter.Status.UNDER_STUDY)
    with pytest.raises(ValidationError, match="已议决"):
        create_project_from_matter(by=street_admin, matter=matter)


def test_community_admin_cannot_hand_on_a_street_matter(committee, community_admin):
    matter = Matter.objects.create(committee=committee, title="停车难", status=Matter.Status.RESOLVED)
    with pytest.raises(PermissionDenied):
        create_project_from_matter(by=community_admin, matter=matter)


def test_need_is_put_to_the_street_joint_committee(committee, street_admin, community):
    need = NeedFactory(grid_node=community, title="楼道照明损坏")
    matter = raise_need_to_committee(by=street_admin, need=need)
    assert matter.committee == committee
    assert matter.source == need
    assert "楼道照明损坏" in matter.title


def test_the_committees_hand_on_event_makes_the_project_once(committee, street_admin):
    """projects.handlers hears alliance.committee.events.matter_handed_on; a second event finds the project."""
    matter = Matter.objects.create(committee=committee, title="社区食堂", status=Matter.Status.RESOLVED)
    send_now(committee_events.matter_handed_on, sender=Matter, instance=matter, by=street_admin)
    send_now(committee_events.matter_handed_on, sender=Matter, instance=matter, by=street_admin)
    project = Project.objects.get(matter=matter)
    assert project.created_by == street_admin and project.status == Project.Status.DRAFT
