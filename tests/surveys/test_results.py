"""The workflow, the results (live for staff, published for everyone), the export, answers into needs, the
beat job and the feed."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from rest_framework.test import APIClient

from alliance.core import feeds
from alliance.core.errors import Conflict
from alliance.surveys import actions
from alliance.surveys.models import Answer, Question, Survey
from projects.models import Need
from tests.members.factories import ResidentFactory
from tests.projects.factories import category
from tests.surveys.factories import SurveyFactory, needs_survey

pytestmark = pytest.mark.django_db
NOW = timezone.now()


def _answers(survey, single, scale, text, rows):
    for i, (choice, score, words) in enumerate(rows):
        person = ResidentFactory(grid_node=survey.grid_node, username=f"ans{survey.pk}-{i}")
        actions.answer_survey(by=person, survey=survey, answers={single.pk: choice, scale.pk: score, text.pk: words})


def _answered(community, n=4):
    survey, single, scale, text = needs_survey(community)
    rows = [(0, 5, "希望开设老年食堂"), (0, 4, ""), (2, 3, "周末托管孩子"), (1, 4, "")][:n]
    _answers(survey, single, scale, text, rows)
    return survey, single, scale, text


def test_staff_build_open_close_and_publish_a_survey(community_admin, community, other_community_admin):
    # Given a draft built by the community's admin
    survey = actions.create_survey(
        by=community_admin,
        grid_node=community,
        title="2026年居民需求征集",
        starts_at=NOW,
        ends_at=NOW + datetime.timedelta(days=7),
    )
    with pytest.raises(Exception, match="请先添加题目"):
        actions.open_survey(by=community_admin, survey=survey)
    actions.save_question(
        by=community_admin, question=Question(survey=survey, text="最需要的服务", kind="single", options="助餐\n助医")
    )
    with pytest.raises(Exception, match="至少填写两个选项"):
        actions.save_question(
            by=community_admin, question=Question(survey=survey, text="最需要", kind="multiple", options="只有一个")
        )
    # Another community's admin may not touch it
    with pytest.raises(Exception, match="只有问卷所在范围"):
        actions.open_survey(by=other_community_admin, survey=survey)
    actions.open_survey(by=community_admin, survey=survey)
    assert (survey.status, survey.opened_by) == (Survey.Status.OPEN, community_admin)
    # Once someone answered, the questions are fixed
    question = survey.questions.get()
    actions.answer_survey(by=ResidentFactory(grid_node=community), survey=survey, answers={question.pk: 1})
    question.text = "改一下题目"
    with pytest.raises(Exception, match="已经有人作答"):
        actions.save_question(by=community_admin, question=question)
    # Closing publishes at once when the survey says so (the default)
    actions.close_survey(by=community_admin, survey=survey)
    assert survey.status == Survey.Status.PUBLISHED and survey.closed_by == community_admin
    with pytest.raises(Conflict):
        actions.publish_results(by=community_admin, survey=survey)


def test_the_beat_job_closes_surveys_past_their_window(community):
    due = SurveyFactory(
        grid_node=community, starts_at=NOW - datetime.timedelta(days=9), ends_at=NOW - datetime.timedelta(minutes=1)
    )
    kept = SurveyFactory(
        grid_node=community,
        publish_on_close=False,
        starts_at=NOW - datetime.timedelta(days=9),
        ends_at=NOW - datetime.timedelta(minutes=2),
    )
    running = SurveyFactory(grid_node=community)
    assert actions.close_due_surveys() == 2
    assert actions.close_due_surveys() == 0
    due.refresh_from_db(), kept.refresh_from_db(), running.refresh_from_db()
    assert (due.status, kept.status, running.status) == ("published", "closed", "open")


def test_results_counted_live_for_staff_and_published_for_everyone(client, community, community_admin):
    survey, single, scale, text = _answered(community)
    # Live, for staff: counts, shares, the average and the texts
    client.force_login(community_admin)
    live = client.get(reverse("surveys:live", args=[survey.pk])).content.decode()
    assert 'data-figure="respondents">4<' in live
    assert "平均4.00分（满分5分）" in live
    assert "希望开设老年食堂" in live and "周末托管孩子" in live
    assert 'value="50"' in live  # 助餐服务: 2 of 4
    # Not yet public
    client.logout()
    assert client.get(reverse("surveys:results", args=[survey.pk])).status_code == 404
    assert APIClient().get(f"/api/v1/surveys/{survey.pk}/results/").status_code == 404
    actions.close_survey(by=community_admin, survey=survey)
    page = client.get(reverse("surveys:results", args=[survey.pk])).content.decode()
    assert "平均4.00分" in page and "收到2条文字意见" in page
    assert "希望开设老年食堂" not in page  # texts are not published
    for person in survey.responses.values_list("respondent__username", flat=True):
        assert person not in page
    body = APIClient().get(f"/api/v1/surveys/{survey.pk}/results/").json()
    options = body["questions"][0]["options"]
    assert [(o["label"], o["count"], o["percent"]) for o in options] == [
        ("助餐服务", 2, 50),
        ("助医服务", 1, 25),
        ("托育服务", 1, 25),
    ]
    assert body["questions"][1]["average"] == "4.00" and body["questions"][2]["text_count"] == 2


def test_the_result_pages_and_api_list_take_fixed_queries(
    client, community, community_admin, django_assert_num_queries
):
    survey, *_ = _answered(community, n=1)
    actions.close_survey(by=community_admin, survey=survey)
    many, *_ = _answered(community, n=4)
    actions.close_survey(by=community_admin, survey=many)
    for s in (survey, many):
        # The session's user; the survey; its questions; its respondents counted; its answers.
        with django_assert_num_queries(4):
            client.get(reverse("surveys:results", args=[s.pk]))
    resident = ResidentFactory(grid_node=community)
    client.force_login(resident)
    # The session and its user, the party-member record, the user's grid, the open surveys, those answered, the
    # published results.
    with django_assert_num_queries(7):
        client.get(reverse("surveys:list"))
    SurveyFactory.create_batch(4, grid_node=community)
    with django_assert_num_queries(7):
        assert client.get(reverse("surveys:list")).content.decode().count("data-survey=") == 4
    api = APIClient()
    with django_assert_num_queries(3):  # the count, the page, the questions
        api.get("/api/v1/surveys/")
    SurveyFactory.create_batch(5, grid_node=community, status=Survey.Status.PUBLISHED, published_at=NOW)
    with django_assert_num_queries(3):
        api.get("/api/v1/surveys/")


def test_text_answers_become_needs_on_the_need_list(community, community_admin, client):
    survey, single, scale, text = _answered(community)
    texts = list(Answer.objects.filter(question=text, text__gt="").order_by("pk"))
    made = actions.answers_to_needs(by=community_admin, answers=texts, category=category())
    assert [n.title for n in made] == ["希望开设老年食堂", "周末托管孩子"]
    need = made[0]
    assert need.status == Need.Status.OPEN and need.grid_node == community and need.created_by == community_admin
    assert f"来自问卷“{survey.title}”第3题" in need.description
    assert Answer.objects.get(pk=texts[0].pk).need == need
    # Again: nothing new; a choice is not a text
    assert actions.answers_to_needs(by=community_admin, answers=texts, category=category()) == []
    with pytest.raises(Exception, match="只有文字回答"):
        actions.answers_to_needs(
            by=community_admin, answers=[Answer.objects.filter(question=single).first()], category=category()
        )
    # The need is on the public need list
    assert "希望开设老年食堂" in client.get(reverse("projects:needs")).content.decode()
    assert Need.objects.count() == 2


def test_the_admin_turns_selected_answers_into_needs_and_exports_them(client, community, community_admin):
    survey, single, scale, text = _answered(community)
    client.force_login(community_admin)
    ids = list(Answer.objects.filter(question=text, text__gt="").values_list("pk", flat=True))
    url = reverse("admin:surveys_answer_changelist")
    done = client.post(url, {"action": "to_need", "_selected_action": ids, "apply": "1", "category": category().pk})
    assert done.status_code == 302
    assert Need.objects.filter(description__contains=survey.title).count() == 2
    export = client.get(url + "export-excel/")
    assert export.status_code == 200
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("问卷", "问卷类型", "答卷编号", "题号", "题目")
    shown = [r[6] for r in rows[1:]]
    assert shown.count("助餐服务") == 2 and shown.count("4分") == 2 and "周末托管孩子" in shown
    assert len(rows) == 1 + 4 + 4 + 2


def test_published_results_are_in_the_feed_without_names(community, community_admin):
    survey, *_ = _answered(community)
    actions.close_survey(by=community_admin, survey=survey)
    items = feeds.collect(
        [community],
        [feeds.Topic.RESULTS],
        NOW - datetime.timedelta(days=1),
        timezone.now() + datetime.timedelta(minutes=1),
    )
    assert [i.key for i in items] == [f"survey:{survey.pk}:published"]
    assert items[0].summary == "共4份答卷。" and items[0].url == f"/surveys/{survey.pk}/results/"
    assert feeds.collect(
        [community.parent],
        [feeds.Topic.RESULTS],
        NOW - datetime.timedelta(days=1),
        timezone.now() + datetime.timedelta(minutes=1),
    )
