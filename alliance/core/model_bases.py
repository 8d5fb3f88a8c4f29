"""Domain-free pieces of the apps' models: the "who did it" link and the row of a timeline.

``optional_user(verbose_name)`` is the optional link to an account, most often the one that did a step (``created_by``,
``decided_by``, ``cancelled_by`` …): it stays when the account goes (``SET_NULL``) and has no reverse
accessor (``related_name="+"``) unless one is named. Each call builds the same field the apps declared
by hand, so the migrations see no change.

``set_only(field, name=…)`` indexes a link only on the rows where it is set: a link that a row gets later in its life
(who handled an issue, who took it down) is empty on every new row, and Django's own index of the link would be
written on each insert for nothing (the lookups by it, and the ``SET_NULL`` when an account goes, name a value).

``exactly_one_of(a, b, name=…)`` and ``optional_rating(name=…)`` are the check constraints several models
share: one of two links set and the other empty (a room of a station or of a unit), a rating left empty or
given from 1 to 5.

``TimelineEvent`` is the abstract row of an object's timeline (an order's, an issue's): who (``by``) and when
(``at``), in time order. The concrete row adds its link to the object, its ``Kind`` and its text, and keeps
``class Meta(TimelineEvent.Meta)`` for the order.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def optional_user(verbose_name, *, related_name: str = "+", **options) -> models.ForeignKey:
    """An optional link to the account that did something: kept as null when the account is deleted."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name=related_name,
        **options,
    )


def set_only(field: str, *, name: str) -> models.Index:
    """An index of ``field`` over the rows where it is not null (declare the field with ``db_index=False``)."""
    return models.Index(fields=[field], condition=models.Q(**{f"{field}__isnull": False}), name=name)


def exactly_one_of(first: str, second: str, *, name: str) -> models.CheckConstraint:
    """A check that exactly one of two nullable fields is set."""
    return models.CheckConstraint(
        condition=models.Q(**{f"{first}__isnull": False, f"{second}__isnull": True})
        | models.Q(**{f"{first}__isnull": True, f"{second}__isnull": False}),
        name=name,
    )


def optional_rating(*, name: str, field: str = "rating") -> models.CheckConstraint:
    """A check that a rating is empty or from 1 to 5."""
    return models.CheckConstraint(
        condition=models.Q(**{f"{field}__isnull": True}) | models.Q(**{f"{field}__gte": 1, f"{field}__lte": 5}),
        name=name,
    )


class TimelineEvent(models.Model):
    """One step of an object's timeline: who did it (``by``), when (``at``); ``__str__`` names the kind."""

    by = optional_user(_("操作人"))
    at = models.DateTimeField(_("时间"))

    class Meta:
        abstract = True
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {timezone.localtime(self.at):%Y-%m-%d %H:%M}"  # type: ignore[attr-defined]
