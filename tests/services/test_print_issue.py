"""The printable page of a resident issue with its timeline: staff only, scoped, fixed queries."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from services.models import Issue, IssueEvent
from tests.members.factories import ResidentFactory
from tests.services.factories import IssueFactory


def issue_with_timeline(node, handler, n: int) -> Issue:
    issue = IssueFactory(reporter=ResidentFactory(grid_node=node), title="路灯不亮")
    start = timezone.now() - datetime.timedelta(days=2)
    for i in range(n):
        IssueEvent.objects.create(
            issue=issue,
            kind=IssueEvent.Kind.MOVED,
            status=Issue.Status.HANDLING,
            level=Issue.Level.COMMUNITY,
            text=f"第{i}次答复：已联系物业",
            by=handler,
            at=start + datetime.timedelta(hours=i),
        )
    return issue


def test_an_issue_prints_with_its_timeline_in_beijing_time(client, community, grid_worker):
    issue = issue_with_timeline(community, grid_worker, 3)
    first = timezone.localtime(issue.events.order_by("at").first().at)
    client.force_login(grid_worker)
    page = client.get(reverse("services_ws:issue_print", args=[issue.pk])).content.decode()
    assert "居民说事办理单" in page and "路灯不亮" in page and issue.text in page
    assert "第0次答复：已联系物业" in page and "第2次答复" in page
    assert f"{first:%Y-%m-%d %H:%M}" in page
    assert issue.contact_phone not in page  # the resident's phone stays off the paper


def test_the_issue_print_page_is_scoped(client, community, other_community_admin, grid_worker, resident):
    issue = issue_with_timeline(community, grid_worker, 1)
    url = reverse("services_ws:issue_print", args=[issue.pk])
    client.force_login(other_community_admin)
    assert client.get(url).status_code == 404
    client.force_login(resident)
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("n", [2, 12])
def test_the_issue_print_page_runs_a_fixed_number_of_queries(
    client, community, community_admin, grid_worker, django_assert_num_queries, n
):
    issue = issue_with_timeline(community, grid_worker, n)
    client.force_login(community_admin)
    # the session; the user; their grid node; the issue with its grid node and handler; its events with who
    with django_assert_num_queries(5):
        assert client.get(reverse("services_ws:issue_print", args=[issue.pk])).status_code == 200


def test_the_admin_and_the_workspace_link_to_print(client, community, community_admin, grid_worker):
    issue = issue_with_timeline(community, grid_worker, 1)
    url = reverse("services_ws:issue_print", args=[issue.pk])
    client.force_login(community_admin)
    assert url in client.get(reverse("admin:services_issue_change", args=[issue.pk])).content.decode()
    client.force_login(grid_worker)
    assert url in client.get(reverse("services_ws:issue", args=[issue.pk])).content.decode()
