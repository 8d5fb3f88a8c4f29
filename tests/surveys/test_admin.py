"""Staff build a questionnaire in the admin: the survey and its questions saved through the actions, its states
moved by buttons, never typed."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from alliance.surveys.models import Survey

pytestmark = pytest.mark.django_db


def _form(node, **extra):
    start = timezone.localtime() + datetime.timedelta(hours=1)
    end = start + datetime.timedelta(days=7)
    data = {
        "title": "舜园社区居民需求征集",
        "description": "聚焦居民群众需求。",
        "kind": "needs",
        "grid_node": node.pk,
        "starts_at_0": start.strftime("%Y-%m-%d"),
        "starts_at_1": start.strftime("%H:%M:%S"),
        "ends_at_0": end.strftime("%Y-%m-%d"),
        "ends_at_1": end.strftime("%H:%M:%S"),
        "for_residents": "on",
        "publish_on_close": "on",
        "status": "published",  # a state typed in is ignored: it is read-only
        "questions-TOTAL_FORMS": "2",
        "questions-INITIAL_FORMS": "0",
        "questions-MIN_NUM_FORMS": "0",
        "questions-MAX_NUM_FORMS": "1000",
        "questions-0-position": "1",
        "questions-0-text": "您最需要哪项服务？",
        "questions-0-kind": "single",
        "questions-0-required": "on",
        "questions-0-options": "助餐服务\r\n助医服务",
        "questions-0-scale_min": "1",
        "questions-0-scale_max": "5",
        "questions-1-position": "2",
        "questions-1-text": "满意程度",
        "questions-1-kind": "scale",
        "questions-1-required": "on",
        "questions-1-options": "",
        "questions-1-scale_min": "1",
        "questions-1-scale_max": "5",
    }
    data.update(extra)
    return data


def test_a_community_admin_builds_and_opens_a_survey_in_the_admin(client, community, community_admin):
    client.force_login(community_admin)
    added = client.post(reverse("admin:surveys_survey_add"), _form(community))
    assert added.status_code == 302, added.content.decode()[:3000]
    survey = Survey.objects.get()
    assert (survey.status, survey.created_by) == (Survey.Status.DRAFT, community_admin)
    assert [q.kind for q in survey.questions.all()] == ["single", "scale"]
    opened = client.post(
        reverse("admin:surveys_survey_transition", args=[survey.pk, "open_survey"]), {"confirm": "yes"}
    )
    assert opened.status_code == 302
    survey.refresh_from_db()
    assert (survey.status, survey.opened_by) == (Survey.Status.OPEN, community_admin)
    # The live results are linked from the change page
    page = client.get(reverse("admin:surveys_survey_change", args=[survey.pk])).content.decode()
    assert reverse("surveys:live", args=[survey.pk]) in page and "结束征集" in page


def test_a_choice_question_without_options_comes_back_with_the_reason(client, community, community_admin):
    client.force_login(community_admin)
    page = client.post(reverse("admin:surveys_survey_add"), _form(community, **{"questions-0-options": "只有一个"}))
    assert page.status_code == 200
    assert "至少填写两个选项" in page.content.decode()
    assert not Survey.objects.exists()


def test_an_admin_cannot_build_a_survey_for_another_community(client, community, other_community, community_admin):
    client.force_login(community_admin)
    page = client.post(reverse("admin:surveys_survey_add"), _form(other_community))
    assert page.status_code == 200
    assert not Survey.objects.exists()
