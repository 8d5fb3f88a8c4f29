"""A resolved matter is handed on as a project (projects.actions.create_project_from_matter), and links
back to where it came from."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from alliance.committee import actions
from alliance.committee.models import Matter
from projects.models import Category, Project
from tests.alliance.factories import MatterFactory


@pytest.fixture(autouse=True)
def a_category(db):
    """Projects need a category; the seeded ones may have been flushed by a transactional test."""
    Category.objects.get_or_create(code="health-1", defaults={"name": "义诊体检"})


def test_a_resolved_matter_is_handed_on_as_a_project_through_the_api(committee, street_admin):
    matter = MatterFactory(committee=committee, status=Matter.Status.RESOLVED, resolution="由驻区国企认领实施")
    client = APIClient()
    client.force_authenticate(street_admin)
    response = client.post(f"/api/v1/matters/{matter.pk}/hand-on/")
    assert response.status_code == 201
    project = Project.objects.get(pk=response.json()["project"])
    assert project.matter == matter and project.grid_node == committee.grid_node
    assert client.post(f"/api/v1/matters/{matter.pk}/hand-on/").status_code == 400  # only once


def test_only_resolved_matters_are_handed_on(committee, street_admin):
    matter = MatterFactory(committee=committee, status=Matter.Status.UNDER_STUDY)
    client = APIClient()
    client.force_authenticate(street_admin)
    assert client.post(f"/api/v1/matters/{matter.pk}/hand-on/").status_code == 400
    assert not Project.objects.exists()


def test_the_admin_action_hands_on_and_the_matter_shows_its_project(client, committee, street_admin):
    matter = MatterFactory(committee=committee, status=Matter.Status.RESOLVED)
    client.force_login(street_admin)
    client.post(reverse("admin:alliance_matter_changelist"), {"action": "hand_on", "_selected_action": [matter.pk]})
    project = Project.objects.get(matter=matter)
    page = client.get(reverse("admin:alliance_matter_change", args=[matter.pk])).content.decode()
    assert project.title in page


def test_a_matter_raised_from_a_source_links_back_to_it(client, committee, street_admin, community):
    from tests.projects.factories import NeedFactory

    need = NeedFactory(grid_node=community)
    matter = actions.raise_matter(by=street_admin, committee=committee, title="加装电梯", source=need)
    assert matter.source == need
    url = matter.source_url()  # the need's page once the projects app names one, else no link
    assert url == "" or str(need.pk) in url
    # a source whose app names a public page "<app>:<model>" gets a link on the matter's page
    from tests.alliance.factories import MeetingFactory

    meeting = MeetingFactory(committee=committee)
    linked = actions.raise_matter(by=street_admin, committee=committee, title="会上提出的议题", source=meeting)
    actions.study_matter(by=street_admin, matter=linked)
    page = client.get(reverse("alliance:matter", args=[linked.pk])).content.decode()
    assert f'href="{reverse("alliance:meeting", args=[meeting.pk])}"' in page and "查看议题来源" in page


def test_the_admin_shows_where_a_matter_came_from(client, committee, street_admin, community):
    from tests.projects.factories import NeedFactory

    need = NeedFactory(grid_node=community, title="舜园小区加装电梯需求")
    matter = actions.raise_matter(by=street_admin, committee=committee, title="加装电梯", source=need)
    client.force_login(street_admin)
    page = client.get(reverse("admin:alliance_matter_change", args=[matter.pk])).content.decode()
    assert "舜园小区加装电梯需求" in page
