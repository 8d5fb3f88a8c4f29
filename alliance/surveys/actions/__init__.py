"""Every write of alliance.surveys, by topic (re-exported here): questionnaires and answers, public selections."""

from alliance.surveys.actions.answers import answer_survey, answer_to_need, answers_to_needs, can_answer
from alliance.surveys.actions.selections import (
    add_candidate,
    cast_vote,
    close_expired_selections,
    close_voting,
    create_selection,
    open_voting,
    publish_selection_results,
    remove_candidate,
    update_candidate,
    update_selection,
    vote_refusal,
)
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
    "add_candidate",
    "answer_survey",
    "answer_to_need",
    "answers_to_needs",
    "can_answer",
    "cast_vote",
    "close_due_surveys",
    "close_expired_selections",
    "close_survey",
    "close_voting",
    "create_selection",
    "create_survey",
    "delete_question",
    "open_survey",
    "open_voting",
    "publish_results",
    "publish_selection_results",
    "remove_candidate",
    "save_question",
    "update_candidate",
    "update_selection",
    "update_survey",
    "vote_refusal",
]
