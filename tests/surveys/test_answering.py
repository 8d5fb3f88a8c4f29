"""A person answers a survey once, on the page and through the API; who may answer and who may not."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from alliance.surveys import actions
from alliance.surveys.models import Answer, Question, Survey, SurveyResponse
from tests.concurrency import all_at_once
from tests.grids.factories import CommunityFactory, StreetFactory
from tests.members.factories import PartyMemberFactory, ResidentFactory, UserFactory
from tests.surveys.factories import QuestionFactory, SurveyFactory, needs_survey

pytestmark = pytest.mark.django_db


def _post(client, survey, single, scale, text, *, choice=1, score=4, words="希望增加老年助餐点"):
    data = {f"q{single.pk}": str(choice), f"q{scale.pk}": str(score), f"q{text.pk}": words}
    return client.post(reverse("surveys:detail", args=[survey.pk]), data)


def test_a_resident_answers_once_on_the_page_and_a_second_answer_is_refused(client, community):
    # Given an open survey of the resident's community
    survey, single, scale, text = needs_survey(community)
    resident = ResidentFactory(grid_node=community)
    client.force_login(resident)
    # When the resident opens the list, then answers
    page = client.get(reverse("surveys:list"))
    assert survey.title in page.content.decode()
    answered = _post(client, survey, single, scale, text)
    # Then the thanks page follows and the answers are kept as chosen
    assert answered.status_code == 302 and answered.url == reverse("surveys:thanks", args=[survey.pk])
    response = SurveyResponse.objects.get(survey=survey, respondent=resident)
    got = {a.question_id: a for a in response.answers.all()}
    assert got[single.pk].choice == 1 and got[single.pk].shown == "助医服务"
    assert got[scale.pk].number == 4 and got[text.pk].text == "希望增加老年助餐点"
    assert response.area == community
    # And a second answer is refused with the reason, nothing more saved
    again = _post(client, survey, single, scale, text, choice=0)
    assert again.status_code == 409
    assert "您已经提交过这份问卷，每人只能答一次" in again.content.decode()
    assert SurveyResponse.objects.filter(survey=survey).count() == 1
    assert "已提交" in client.get(reverse("surveys:list")).content.decode()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("single", "7", "选择一个有效的选项"),
        ("scale", "9", "选择一个有效的选项"),
        ("scale", "", 'role="alert"'),
        ("text", "长" * 501, "500"),
    ],
)
def test_answers_outside_the_questions_bounds_are_refused(client, community, field, value, message):
    survey, single, scale, text = needs_survey(community)
    client.force_login(ResidentFactory(grid_node=community))
    data = {f"q{single.pk}": "0", f"q{scale.pk}": "3", f"q{text.pk}": ""}
    target = {"single": single, "scale": scale, "text": text}[field]
    data[f"q{target.pk}"] = value
    page = client.post(reverse("surveys:detail", args=[survey.pk]), data)
    assert page.status_code == 400
    assert message in page.content.decode()
    assert not SurveyResponse.objects.exists()


def test_who_may_answer(community, other_community, unit_operator):
    survey, *_ = needs_survey(community)
    micro_resident = ResidentFactory(grid_node=CommunityFactory(parent=community.parent))
    assert actions.can_answer(ResidentFactory(grid_node=community), survey)
    # A resident of another community, a unit operator when units are not asked, a signed-out visitor: no
    assert not actions.can_answer(ResidentFactory(grid_node=other_community), survey)
    assert not actions.can_answer(micro_resident, survey)
    assert not actions.can_answer(unit_operator, survey)
    # A party member reporting to the community (whatever the account's grid) may
    member = PartyMemberFactory(community=community, user=UserFactory(role="party_member", grid_node=None))
    assert actions.can_answer(member.user, survey)
    # Units asked: the operator of a unit in the community may
    survey.for_unit_operators = True
    assert actions.can_answer(unit_operator, survey)


def test_the_refused_see_why_and_signed_out_visitors_are_sent_to_sign_in(client, community, other_community):
    survey, single, scale, text = needs_survey(community)
    assert client.get(reverse("surveys:detail", args=[survey.pk])).status_code == 302
    client.force_login(ResidentFactory(grid_node=other_community))
    page = client.get(reverse("surveys:detail", args=[survey.pk]))
    assert page.status_code == 403 and "不在征集范围内" in page.content.decode()
    assert _post(client, survey, single, scale, text).status_code == 403
    assert not SurveyResponse.objects.exists()
    # Nor does the list offer it
    assert survey.title not in client.get(reverse("surveys:list")).content.decode()


def test_a_survey_outside_its_window_takes_no_answers(community):
    survey, single, scale, text = needs_survey(community, starts_at=timezone.now() + datetime.timedelta(days=1))
    resident = ResidentFactory(grid_node=community)
    with pytest.raises(Exception, match="还没有开始"):
        actions.answer_survey(by=resident, survey=survey, answers={single.pk: 0, scale.pk: 3})
    survey.starts_at, survey.ends_at = timezone.now() - datetime.timedelta(days=3), timezone.now()
    with pytest.raises(Exception, match="已经结束"):
        actions.answer_survey(by=resident, survey=survey, answers={single.pk: 0, scale.pk: 3})


def test_the_api_answers_once_and_checks_the_bounds(community, other_community):
    survey, single, scale, text = needs_survey(community)
    api = APIClient()
    api.force_authenticate(ResidentFactory(grid_node=community))
    url = f"/api/v1/surveys/{survey.pk}/answer/"
    listed = api.get("/api/v1/surveys/").json()
    assert [s["id"] for s in listed["results"]] == [survey.pk]
    assert listed["results"][0]["questions"][0]["options"] == ["助餐服务", "助医服务", "托育服务"]
    out_of_range = api.post(
        url, {"answers": [{"question": single.pk, "choice": 5}, {"question": scale.pk, "number": 3}]}, format="json"
    )
    assert out_of_range.status_code == 400
    body = {
        "answers": [
            {"question": single.pk, "choice": 2},
            {"question": scale.pk, "number": 5},
            {"question": text.pk, "text": "托管"},
        ]
    }
    assert api.post(url, body, format="json").status_code == 201
    second = api.post(url, body, format="json")
    assert second.status_code == 409 and "每人只能答一次" in second.json()["detail"]
    # Another community's resident does not see it (404), a signed-out caller is asked to sign in
    other = APIClient()
    other.force_authenticate(ResidentFactory(grid_node=other_community))
    assert other.post(url, body, format="json").status_code == 404
    assert APIClient().post(url, body, format="json").status_code == 401
    assert Answer.objects.filter(response__survey=survey).count() == 3


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_answers_of_one_person_keep_one(community):
    # Given one resident and an open survey
    survey, single, scale, _ = needs_survey(community)
    resident = ResidentFactory(grid_node=community)

    # When the person submits 20 times at once, each on its own connection
    def answer(i):
        return lambda: actions.answer_survey(
            by=resident, survey=Survey.objects.get(pk=survey.pk), answers={single.pk: i % 3, scale.pk: 1 + i % 5}
        )

    outcomes = all_at_once([answer(i) for i in range(20)])
    # Then exactly one answer is kept and the other 19 are told why
    assert outcomes.count("ok") == 1
    assert outcomes.count(actions.answers.ALREADY) == 19
    assert SurveyResponse.objects.filter(survey=survey).count() == 1
    assert Answer.objects.filter(response__survey=survey).count() == 2


def test_another_street_staff_cannot_see_the_live_results(client, community):
    survey, *_ = needs_survey(community)
    from tests.members.factories import CommunityAdminFactory, StreetAdminFactory

    client.force_login(StreetAdminFactory(grid_node=StreetFactory()))
    assert client.get(reverse("surveys:live", args=[survey.pk])).status_code == 404
    client.force_login(CommunityAdminFactory(grid_node=community))
    assert client.get(reverse("surveys:live", args=[survey.pk])).status_code == 200


def test_multiple_choices_and_a_place_are_kept_within_bounds(community):
    survey = SurveyFactory(grid_node=community)
    many = QuestionFactory(survey=survey, kind=Question.Kind.MULTIPLE, text="活动时间")
    place = QuestionFactory(survey=survey, kind=Question.Kind.PLACE, text="哪里需要增设路灯", options="")
    resident = ResidentFactory(grid_node=community)
    with pytest.raises(ValidationError, match="地图上的位置不正确"):
        actions.answer_survey(by=resident, survey=survey, answers={many.pk: [0], place.pk: ("91", "117.0")})
    with pytest.raises(ValidationError, match="请选择有效的选项"):
        actions.answer_survey(by=resident, survey=survey, answers={many.pk: [0, 3], place.pk: ("36.6", "117.0")})
    response = actions.answer_survey(
        by=resident, survey=survey, answers={many.pk: [2, 0, 0], place.pk: ("36.651234", "117.012345")}
    )
    got = {a.question_id: a for a in response.answers.all()}
    assert got[many.pk].choices == [0, 2] and got[many.pk].shown == "助餐服务、托育服务"
    assert (str(got[place.pk].lat), str(got[place.pk].lng)) == ("36.651234", "117.012345")


def test_answers_are_rate_limited_on_the_api_and_the_page(settings, client, community):
    settings.RATE_LIMITS = {"answer": "2/h"}
    survey, single, scale, text = needs_survey(community)
    resident = ResidentFactory(grid_node=community)
    api = APIClient()
    api.force_authenticate(resident)
    url = f"/api/v1/surveys/{survey.pk}/answer/"
    body = {"answers": [{"question": single.pk, "choice": 0}, {"question": scale.pk, "number": 5}]}
    assert [api.post(url, body, format="json").status_code for _ in range(3)] == [201, 409, 429]
    assert api.get(f"/api/v1/surveys/{survey.pk}/").status_code == 200  # reading is not limited
    client.force_login(ResidentFactory(grid_node=community))
    codes = [_post(client, survey, single, scale, text).status_code for _ in range(3)]
    assert codes == [302, 409, 429]
    assert client.get(reverse("surveys:detail", args=[survey.pk])).status_code == 200
