"""Matching: the right candidate first, blocked candidates, idempotent re-runs, dismissed stays dismissed."""

import pytest

from projects import actions, matching
from projects.models import Claim, Match, Need, Project, Resource
from tests.grids.factories import CommunityFactory, MicroGridFactory, StreetFactory
from tests.members.factories import MemberUnitFactory, PartyMemberFactory, UnitOperatorFactory
from tests.projects.factories import ClaimFactory, NeedFactory, ProjectFactory, ResourceFactory, category


def test_bigrams_need_no_segmenter():
    assert matching.bigrams("老人义诊") == frozenset({"老人", "人义", "义诊"})
    assert matching.similarity(matching.bigrams("老年人义诊"), matching.bigrams("社区义诊服务")) > 0
    assert matching.similarity(matching.bigrams("法律咨询"), matching.bigrams("义诊服务")) == 0


def test_nearest_same_category_similar_text_ranks_first(street, community, other_community, micro_grid):
    # Given a need in a micro-grid for a free clinic
    need = NeedFactory(grid_node=micro_grid, title="老年人义诊测血压", category=category("health-1"))
    # and three resources: the right one in the same micro-grid, one in another community, one off-topic
    best = ResourceFactory(
        unit=MemberUnitFactory(grid_node=micro_grid), title="医护志愿者上门义诊测血压", category=category("health-1")
    )
    far = ResourceFactory(
        unit=MemberUnitFactory(grid_node=other_community), title="医院专家义诊", category=category("health-1")
    )
    related = ResourceFactory(
        unit=MemberUnitFactory(grid_node=community), title="心理健康讲座", category=category("health-3")
    )
    # When matching runs
    matching.run_for_needs([need.pk])
    # Then the nearest, most similar resource comes first, with its reasons in words
    ranked = list(need.matches.filter(kind=Match.Kind.RESOURCE).order_by("-score"))
    assert [m.resource for m in ranked] == [best, far, related]
    assert ranked[0].reasons.startswith("同网格 · 类别一致 · 内容相近")
    assert "同街道" in ranked[1].reasons


def test_unit_with_good_ratings_and_no_load_wins_a_tie(community):
    need = NeedFactory(grid_node=community, title="小区环境整治", category=category("housing_safety-3"))
    busy, rated = MemberUnitFactory(grid_node=community), MemberUnitFactory(grid_node=community)
    ResourceFactory(unit=busy, title="环境整治志愿服务", category=category("housing_safety-3"))
    ResourceFactory(unit=rated, title="环境整治志愿服务", category=category("housing_safety-3"))
    for _ in range(3):
        ClaimFactory(unit=busy, project=ProjectFactory(grid_node=community), status=Claim.Status.IN_PROGRESS)
    done = ClaimFactory(unit=rated, project=ProjectFactory(grid_node=community), status=Claim.Status.COMPLETED)
    admin = UnitOperatorFactory  # noqa: F841 - the evaluation below is written directly
    Claim.objects.filter(pk=done.pk).update(status=Claim.Status.EVALUATED, rating=5, evaluated_at=done.claimed_at)

    matching.run_for_needs([need.pk])

    first = need.matches.filter(kind=Match.Kind.RESOURCE).order_by("-score").first()
    assert first.resource.unit == rated
    assert "近期评分5.0" in first.reasons
    units = list(need.matches.filter(kind=Match.Kind.UNIT).order_by("-score").values_list("unit", flat=True))
    assert units[0] == rated.pk


def test_candidates_are_blocked_by_street_and_category(street, community):
    need = NeedFactory(grid_node=community, category=category("health-1"))
    other_street = CommunityFactory(parent=StreetFactory())
    ResourceFactory(unit=MemberUnitFactory(grid_node=other_street), category=category("health-1"))
    ResourceFactory(unit=MemberUnitFactory(grid_node=community), category=category("jobs-1"), title="义诊")
    matching.run_for_needs([need.pk])
    assert not need.matches.exists()


def test_rerun_adds_nothing_and_dismissed_stays_dismissed(community, community_admin):
    need = NeedFactory(grid_node=community)
    ResourceFactory.create_batch(3, unit=MemberUnitFactory(grid_node=community))
    matching.run_all()
    first_count = Match.objects.count()
    assert first_count >= 3
    dismissed = need.matches.filter(kind=Match.Kind.RESOURCE).first()
    actions.dismiss_match(by=community_admin, match=dismissed)

    matching.run_all()
    matching.run_for_needs([need.pk])

    assert Match.objects.count() == first_count
    dismissed.refresh_from_db()
    assert dismissed.status == Match.Status.DISMISSED


def test_new_resource_is_offered_to_open_needs_of_its_bucket(community):
    need = NeedFactory(grid_node=community)
    resource = ResourceFactory(unit=MemberUnitFactory(grid_node=community))
    matching.run_for_resource(resource.pk)
    assert need.matches.filter(resource=resource).exists()


def test_party_members_are_suggested_by_skill(community):
    from members.models import Skill

    need = NeedFactory(grid_node=community, title="需要法律咨询服务", category=category("housing_safety-4"))
    lawyer = PartyMemberFactory(community=community)
    lawyer.skills.add(Skill.objects.create(name="法律咨询"))
    singer = PartyMemberFactory(community=community)
    singer.skills.add(Skill.objects.create(name="声乐"))
    matching.run_for_needs([need.pk])
    members = list(need.matches.filter(kind=Match.Kind.MEMBER).values_list("member", flat=True))
    assert members == [lawyer.pk]


def test_accepting_a_resource_match_creates_the_project(community, community_admin):
    need = NeedFactory(grid_node=community)
    resource = ResourceFactory(unit=MemberUnitFactory(grid_node=community))
    matching.run_for_needs([need.pk])
    match = need.matches.get(resource=resource)

    match = actions.accept_match(by=community_admin, match=match)

    project = match.project
    assert project.status == Project.Status.DRAFT
    assert list(project.needs.all()) == [need]
    need.refresh_from_db()
    resource.refresh_from_db()
    assert need.status == Need.Status.IN_PROJECT
    assert resource.status == Resource.Status.RESERVED


def test_accepting_a_unit_match_invites_its_operators(community, community_admin):
    need = NeedFactory(grid_node=community)
    unit = MemberUnitFactory(grid_node=community)
    operator = UnitOperatorFactory(unit=unit)
    ResourceFactory(unit=unit)
    matching.run_for_needs([need.pk])
    match = need.matches.get(kind=Match.Kind.UNIT, unit=unit)

    actions.accept_match(by=community_admin, match=match)

    assert operator.notifications.filter(key=f"match:{match.pk}:invite").exists()
    need.refresh_from_db()
    assert need.status == Need.Status.MATCHED


def test_creating_a_need_enqueues_matching_after_commit(community, community_admin, django_capture_on_commit_callbacks):
    ResourceFactory(unit=MemberUnitFactory(grid_node=community))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        actions.create_need(by=community_admin, title="义诊", category=category(), grid_node=community)
    # The matching job is sent once the need is committed (the other callbacks refresh cached pages).
    assert [c.__qualname__ for c in callbacks].count("enqueue_on_commit.<locals>.send") == 1


@pytest.mark.worker
def test_a_real_worker_runs_the_matching_job(celery_worker, community, community_admin):
    import time

    ResourceFactory(unit=MemberUnitFactory(grid_node=community), title="社区义诊")
    need = actions.create_need(by=community_admin, title="老人义诊", category=category(), grid_node=community)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not Match.objects.filter(need=need).exists():
        time.sleep(0.3)
    assert Match.objects.filter(need=need, kind=Match.Kind.RESOURCE).exists()


def test_bucket_far_larger_than_the_cap_still_finds_the_local_resource(street, community):
    # Many resources across the street; the one in the need's own micro-grid must still be seen.
    grid = MicroGridFactory(parent=community)
    need = NeedFactory(grid_node=grid, title="居家养老助餐")
    other = CommunityFactory(parent=street)
    unit = MemberUnitFactory(grid_node=other)
    Resource.objects.bulk_create(
        Resource(title=f"资源{i}", category=category(), unit=unit, grid_node=other)
        for i in range(matching.MAX_CANDIDATES + 50)
    )
    local = ResourceFactory(unit=MemberUnitFactory(grid_node=grid), title="居家养老助餐服务")
    matching.run_for_needs([need.pk])
    assert need.matches.filter(kind=Match.Kind.RESOURCE).order_by("-score").first().resource == local
