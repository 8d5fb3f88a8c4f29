"""The models of alliance.surveys, by topic (each module re-exported here)."""

from alliance.surveys.models.surveys import Answer, Question, Survey, SurveyResponse

__all__ = ["Answer", "Question", "Survey", "SurveyResponse"]
