"""The models of alliance.surveys, by topic (each module re-exported here): questionnaires and public selections."""

from alliance.surveys.models.selections import Candidate, Selection, Vote
from alliance.surveys.models.surveys import Answer, Question, Survey, SurveyResponse

__all__ = ["Answer", "Candidate", "Question", "Selection", "Survey", "SurveyResponse", "Vote"]
