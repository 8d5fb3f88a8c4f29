"""The models of alliance.surveys: questionnaires and public selections (评选), each in its own module."""

from alliance.surveys.models.selections import Candidate, Selection, Vote

__all__ = ["Candidate", "Selection", "Vote"]
