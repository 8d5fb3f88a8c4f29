"""On a phone (390×844): a resident opens 问卷征集, answers a needs survey (a single choice, a score, a text), sees
the thanks; an answer sent again from a second tab opened before is refused, and the survey shows as 已提交.
Screenshots in tests/artifacts/survey_*.png."""

import pytest

from alliance.surveys import actions
from alliance.surveys.models import SurveyResponse
from tests.browser_support import login, shot
from tests.members.factories import CommunityAdminFactory, ResidentFactory
from tests.surveys.factories import needs_survey

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_resident_answers_a_survey_once_on_the_phone(new_page, community):
    survey, single, scale, text = needs_survey(community, title="舜园社区居民需求征集")
    resident = ResidentFactory(grid_node=community, username="lixiulan", display_name="李秀兰")

    phone = new_page(phone=True)
    login(phone, resident)
    phone.goto("/surveys/")
    assert phone.locator("[data-survey]").count() == 1
    shot(phone, "survey_1_list_phone")
    # A second tab opened on the form before the first answer is sent
    other = phone.context.new_page()
    other.goto(f"/surveys/{survey.pk}/")

    phone.get_by_role("link", name="舜园社区居民需求征集").click()
    phone.get_by_role("heading", name="舜园社区居民需求征集").wait_for()
    phone.get_by_label("助医服务").check()
    phone.get_by_label("4分").check()
    phone.get_by_label("3. 您还有什么需求？").fill("希望社区组织义诊体检，量血压、测血糖。")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone
    shot(phone, "survey_2_form_phone")
    phone.get_by_role("button", name="提交").click()
    phone.get_by_role("heading", name="感谢参与").wait_for()
    phone.get_by_text("提交成功，感谢您的参与！").wait_for()
    shot(phone, "survey_3_thanks_phone")

    # The second tab sends its answer: refused, with the reason
    other.get_by_label("托育服务").check()
    other.get_by_label("2分").check()
    other.get_by_role("button", name="提交").click()
    other.get_by_text("您已经提交过这份问卷，每人只能答一次。感谢参与！").first.wait_for()
    shot(other, "survey_4_second_answer_refused_phone")

    phone.goto("/surveys/")
    assert phone.locator(f"[data-survey='{survey.pk}'] .tag").inner_text() == "已提交"
    shot(phone, "survey_5_list_answered_phone")
    # The community closes it (its results published at once): the counts, drawn as bars, for everyone
    actions.close_survey(by=CommunityAdminFactory(grid_node=community), survey=survey)
    phone.goto(f"/surveys/{survey.pk}/results/")
    phone.locator("[data-average]").wait_for()
    assert "平均4.00分" in phone.locator("[data-average]").inner_text()
    assert "希望社区组织义诊体检" not in phone.content()  # texts are counted, not published
    shot(phone, "survey_6_results_phone")
    response = SurveyResponse.objects.get(survey=survey)
    assert response.respondent == resident
    assert sorted(a.shown for a in response.answers.all()) == sorted(
        ["助医服务", "4分", "希望社区组织义诊体检，量血压、测血糖。"]
    )
