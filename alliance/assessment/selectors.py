"""What the portal and the API read of the assessment: published only for the public, drafts for staff in scope."""

from django.db.models import QuerySet

from alliance.assessment.models import Assessment, GridStarRating, Status
from alliance.core.scoping import scope_queryset


def published_assessments() -> QuerySet:
    return Assessment.objects.filter(status=Status.PUBLISHED).select_related("street").order_by("-year", "street_id")


def published_grid_stars() -> QuerySet:
    return (
        GridStarRating.objects.filter(status=Status.PUBLISHED)
        .select_related("street")
        .order_by("-year", "-quarter", "street_id")
    )


def visible_assessments(user) -> QuerySet:
    """The published ones, and for staff the drafts of the streets in their subtree."""
    qs = Assessment.objects.select_related("street").order_by("-year", "street_id")
    if getattr(user, "is_authenticated", False) and user.is_staff_role:
        drafts = scope_queryset(qs.filter(status=Status.DRAFT), user)
        return qs.filter(status=Status.PUBLISHED) | drafts
    return qs.filter(status=Status.PUBLISHED)
