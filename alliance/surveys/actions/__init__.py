"""Every write of alliance.surveys, by topic (re-exported here)."""

from alliance.surveys.actions.answers import answer_survey, answer_to_need, answers_to_needs, can_answer
from alliance.surveys.actions.surveys import (
    close_due_surveys,
    close_survey,
    create_survey,
    delete_question,
    open_survey,
    publish_results,
    save_question,
    update_survey,
)

__all__ = [
    "answer_survey",
    "answer_to_need",
    "answers_to_needs",
    "can_answer",
    "close_due_surveys",
    "close_survey",
    "create_survey",
    "delete_question",
    "open_survey",
    "publish_results",
    "save_question",
    "update_survey",
]
