"""Matching at city size: street by street, a chunk of needs at a time, its progress in the job's run record,
and the same suggestions as scoring the whole district in one pass."""

import json

import pytest
from django.db import connection
from django.urls import reverse
from django_celery_results.models import TaskResult

from alliance.committee.models import JobRun
from alliance.core.schedules import sync_default_schedules
from members.models import Skill
from projects import matching, scoring, tasks
from projects.models import Match
from tests.grids.factories import CommunityFactory, MicroGridFactory, StreetFactory
from tests.members.factories import MemberUnitFactory, PartyMemberFactory
from tests.projects.factories import NeedFactory, ResourceFactory, category


@pytest.fixture
def two_streets(street, community):
    """Needs and resources in two streets: 7 needs here, 4 there; one unit offers resources in both."""
    there = CommunityFactory(parent=StreetFactory(name="舜耕街道"), name="舜耕社区")
    grid = MicroGridFactory(parent=community)
    titles = ["老年人义诊测血压", "居家养老助餐", "法律咨询调解", "就业指导培训", "环境整治", "心理疏导", "科普讲座"]
    codes = ["health-1", "elderly-1", "housing_safety-4", "jobs-1", "housing_safety-3", "health-3", "culture_science-1"]
    needs = [
        NeedFactory(grid_node=grid if i % 2 else community, title=title, category=category(code))
        for i, (title, code) in enumerate(zip(titles, codes, strict=True))
    ]
    needs += [
        NeedFactory(grid_node=there, title=t, category=category(c)) for t, c in zip(titles[:4], codes[:4], strict=True)
    ]
    both = MemberUnitFactory(grid_node=community)
    for i, (title, code) in enumerate(zip(titles, codes, strict=True)):
        unit = both if i % 3 == 0 else MemberUnitFactory(grid_node=grid if i % 2 else community)
        ResourceFactory(unit=unit, title=f"{title}志愿服务", category=category(code))
        ResourceFactory(unit=MemberUnitFactory(grid_node=there), title=f"{title}上门服务", category=category(code))
    # The unit of both streets: its profile (texts, categories) is all its resources, wherever they are.
    ResourceFactory(unit=both, grid_node=there, title="就业指导培训", category=category("jobs-2"))
    lawyer = PartyMemberFactory(community=community)
    lawyer.skills.add(Skill.objects.create(name="法律咨询"), Skill.objects.create(name="调解"))
    return needs


def suggested() -> set[tuple]:
    return set(Match.objects.values_list("need_id", "kind", "target_id", "score", "reasons"))


def test_street_by_street_in_chunks_suggests_what_one_pass_over_the_district_does(two_streets):
    # Given the whole district scored in one pass, with the pure scoring (no chunks, no streets)
    roots = matching._root_map()
    needs = matching.load_needs(matching._open_needs().order_by("pk"), roots)
    resources, units = matching.load_resources(matching._available_resources().order_by("pk"), roots)
    one_pass = scoring.suggest(needs, resources, units, matching._top_k()) + matching.suggest_members(needs)
    expected = {(s.need_id, s.kind, s.target_id, s.score, s.reasons) for s in one_pass}
    assert {kind for _, kind, *_ in expected} == {"resource", "unit", "member"}

    # When the job runs street by street, three needs at a time
    count = matching.run_all(chunk_size=3)

    # Then it suggests exactly the same, the unit of both streets scored on all its resources
    assert count == len(expected)
    assert suggested() == expected


def test_the_job_holds_one_chunk_of_needs_and_one_street_of_resources_at_a_time(two_streets, monkeypatch):
    held = []
    score_chunk = matching.score_chunk

    def spy(index, people, needs, top_k):
        streets = {street for street, _ in index.result().buckets}
        held.append((len(needs), streets, {n.path[0] for n in needs}))
        return score_chunk(index, people, needs, top_k)

    monkeypatch.setattr(matching, "score_chunk", spy)
    matching.run_all(chunk_size=3)

    # 7 needs in one street and 4 in the other, three at a time: no chunk holds more, none mixes streets
    assert sorted(size for size, _, _ in held) == [1, 1, 3, 3, 3]
    for _, resource_streets, need_streets in held:
        assert len(need_streets) == 1 and resource_streets <= need_streets
    assert Match.objects.values("need").distinct().count() == len(two_streets)


def test_progress_counts_the_needs_done_up_to_the_total(two_streets):
    calls = []
    matching.run_all(chunk_size=3, progress=lambda done, total, stage: calls.append((done, total, stage)))

    done = [d for d, _, _ in calls]
    assert done == [0, 3, 6, 7, 10, 11]  # before the first chunk, then after each chunk is saved
    assert {total for _, total, _ in calls} == {len(two_streets)}


def test_the_nightly_task_shows_its_progress_in_its_run_record(two_streets, monkeypatch):
    # Whenever the job reports, its run record (what staff see) says how far it is.
    seen = []
    run_all = matching.run_all

    def watched(*, progress, **kwargs):
        def report(done, total, stage):
            progress(done, total, stage)
            run = JobRun.objects.get(task_name="projects.match_all")
            seen.append((run.status, json.loads(run.result)))

        return run_all(progress=report, chunk_size=3, **kwargs)

    monkeypatch.setattr(tasks.matching, "run_all", watched)
    result = tasks.match_all_task.apply()

    assert [status for status, _ in seen] == ["PROGRESS"] * 6
    assert seen[0][1] == {"done": 0, "total": 11, "stage": "matching"}
    assert seen[-1][1] == {"done": 11, "total": 11, "stage": "matching"}
    run = JobRun.objects.get(task_id=result.id)
    assert (run.status, run.result) == ("SUCCESS", str(Match.objects.count()))


def test_staff_see_how_far_a_running_job_is(client, superuser):
    sync_default_schedules()
    TaskResult.objects.create(
        task_id="running",
        task_name="projects.match_all",
        status="PROGRESS",
        result=json.dumps({"done": 20000, "total": 100000, "stage": "matching"}),
    )
    client.force_login(superuser)

    runs = client.get(reverse("admin:alliance_jobrun_changelist")).content.decode()
    schedules = client.get(reverse("admin:django_celery_beat_periodictask_changelist")).content.decode()

    assert "运行中（20,000/100,000）" in runs
    assert "运行中（20,000/100,000）" in schedules


@pytest.fixture
def state_log(transactional_db):
    """Every state written to the nightly matching's run records, in order (a trigger): what a watcher saw."""
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE test_run_states (id serial PRIMARY KEY, task text, status text, result text)")
        cursor.execute(
            "CREATE FUNCTION test_log_run_state() RETURNS trigger LANGUAGE plpgsql AS"
            " $$ BEGIN INSERT INTO test_run_states (task, status, result) VALUES (NEW.task_name, NEW.status, NEW.result);"
            " RETURN NEW; END $$"
        )
        cursor.execute(
            "CREATE TRIGGER test_log_run_state AFTER INSERT OR UPDATE ON django_celery_results_taskresult"
            " FOR EACH ROW EXECUTE FUNCTION test_log_run_state()"
        )
    try:
        yield lambda: _states()
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TRIGGER test_log_run_state ON django_celery_results_taskresult")
            cursor.execute("DROP FUNCTION test_log_run_state()")
            cursor.execute("DROP TABLE test_run_states")


def _states() -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT status, result FROM test_run_states WHERE task = 'projects.match_all' ORDER BY id")
        return cursor.fetchall()


@pytest.mark.worker
def test_a_real_worker_records_progress_then_success(state_log, celery_worker, two_streets):
    import time

    from alliance.celery import app

    app.send_task("projects.match_all")
    deadline = time.monotonic() + 60
    while not any(status == "SUCCESS" for status, _ in state_log()):
        assert time.monotonic() < deadline, f"the job did not finish: {state_log()}"
        time.sleep(0.3)

    states = state_log()
    progress = [json.loads(result) for status, result in states if status == "PROGRESS"]
    assert [p["done"] for p in progress] == [0, 11]  # the first and the last report are always written
    assert {p["total"] for p in progress} == {11}
    assert [status for status, _ in states if status != "STARTED"][-1] == "SUCCESS"
    assert [status for status, _ in states].index("PROGRESS") < [status for status, _ in states].index("SUCCESS")
