"""Texts services store (timeline notes, notices) are kept in Chinese and shown in the reader's language."""

import pytest
from django.utils import translation

from services import stored

# A stand-in English catalogue (the real one, locale/en, is assembled at merge).
ENGLISH = {
    "需求：%(need)s。": "Need: %(need)s.",
    "期望日期：%(month)s月%(day)s日。": "Date wanted: %(day)s/%(month)s.",
    "请于%(deadline)s前接单。": "Please take it by %(deadline)s.",
    "上报至%(level)s": "Escalated to %(level)s",
    "社区": "Community",
    "%(rating)s星 %(comment)s": "Rated %(rating)s/5: %(comment)s",
    "%(rating)s星": "Rated %(rating)s/5",
}


@pytest.fixture
def english(monkeypatch):
    monkeypatch.setattr(stored, "gettext", lambda text: ENGLISH.get(text, text))
    with translation.override("en"):
        yield


def test_stored_text_is_chinese_and_shown_as_stored_in_chinese():
    with translation.override("en"):  # whoever acts, the row holds the source language
        note = stored.stored("上报至%(level)s", level="社区")
    assert note == "上报至社区"
    with translation.override("zh-hans"):
        assert stored.shown(note) == "上报至社区"


def test_a_note_is_shown_in_english_with_its_values_as_stored(english):
    assert stored.shown("上报至社区") == "Escalated to Community"
    assert stored.shown("5星 很好") == "Rated 5/5: 很好"
    assert stored.shown("4星") == "Rated 4/5"


def test_a_notice_body_is_shown_sentence_by_sentence(english):
    body = (
        stored.stored("需求：%(need)s。", need="修水管")
        + stored.stored("期望日期：%(month)s月%(day)s日。", month=5, day=3)
        + stored.stored("请于%(deadline)s前接单。", deadline="5月2日 10:00")
    )
    assert stored.shown(body) == "Need: 修水管. Date wanted: 3/5. Please take it by 5月2日 10:00."


def test_text_typed_by_people_is_shown_as_typed(english):
    assert stored.shown("已约物业明天上午现场查看。") == "已约物业明天上午现场查看。"
    assert stored.shown("") == ""
