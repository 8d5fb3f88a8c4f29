"""Public selections (评选, such as 2026年度“最美家庭”评选): staff of a street or a community put up candidates, the
residents and party members of that area vote once each in the voting window, and the result is published.

draft 草稿 → voting 投票中 → closed 已结束 → published 已公布. Candidates are fixed once voting starts; the counts are
shown to staff while voting and to everyone once published.
"""

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from alliance.core.model_bases import optional_user


def candidate_photo_path(instance, filename: str) -> str:
    """A fresh name under selections/<year>/<month>/, keeping the extension of the re-encoded photo."""
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    return f"selections/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}.{ext if ext.isalnum() else 'jpg'}"


class Selection(models.Model):
    """One selection in a street's or a community's subtree, with its voting window and its rules."""

    scope_field = "grid_node"

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        VOTING = "voting", _("投票中")
        CLOSED = "closed", _("已结束")
        PUBLISHED = "published", _("已公布")

    PUBLIC = (Status.VOTING, Status.PUBLISHED)

    title = models.CharField(_("评选名称"), max_length=100, help_text=_("例如：2026年度“最美家庭”评选"))
    description = models.TextField(_("评选说明和规则"), max_length=3000, blank=True)
    grid_node = models.ForeignKey(
        "grids.GridNode",
        verbose_name=_("评选范围"),
        on_delete=models.PROTECT,
        related_name="selections",
        limit_choices_to={"level__in": (1, 2)},
        help_text=_("街道或社区：该范围内的居民和党员可以投票。"),
    )
    starts_at = models.DateTimeField(_("投票开始时间"))
    ends_at = models.DateTimeField(_("投票截止时间"))
    places = models.PositiveSmallIntegerField(
        _("评选名额"), default=3, help_text=_("得票最多的前几名当选（票数相同的并列）。")
    )
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    created_by = optional_user(_("创建人"))
    opened_at = models.DateTimeField(_("开始投票时间"), null=True, blank=True)
    opened_by = optional_user(_("开始投票操作人"))
    closed_at = models.DateTimeField(_("结束投票时间"), null=True, blank=True)
    closed_by = optional_user(_("结束投票操作人"))
    published_at = models.DateTimeField(_("公布时间"), null=True, blank=True)
    published_by = optional_user(_("公布人"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("评选活动")
        verbose_name_plural = _("评选活动")
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["status", "ends_at"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="selection_window"),
            models.CheckConstraint(condition=models.Q(places__gte=1), name="selection_places_at_least_one"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return self.status in self.PUBLIC

    def voting_now(self, now=None) -> bool:
        now = now or timezone.now()
        return self.status == self.Status.VOTING and self.starts_at <= now < self.ends_at


class Candidate(models.Model):
    """A candidate of a selection (a family, a volunteer): a short story, a photo, the community it belongs to."""

    scope_field = "selection__grid_node"

    selection = models.ForeignKey(
        Selection, verbose_name=_("评选活动"), on_delete=models.CASCADE, related_name="candidates"
    )
    name = models.CharField(_("候选名称"), max_length=50, help_text=_("例如：张桂兰家庭"))
    story = models.TextField(_("事迹简介"), max_length=1000, blank=True)
    photo = models.ImageField(_("照片"), upload_to=candidate_photo_path, blank=True)
    community = models.ForeignKey(
        "grids.GridNode",
        verbose_name=_("所在社区"),
        on_delete=models.PROTECT,
        related_name="selection_candidates",
        limit_choices_to={"level": 2},
    )
    position = models.PositiveSmallIntegerField(_("排序"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("候选对象")
        verbose_name_plural = _("候选对象")
        ordering = ["selection", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["selection", "name"], name="one_candidate_name_per_selection")]

    def __str__(self) -> str:
        return self.name


class Vote(models.Model):
    """One person's vote in a selection: one per person and selection, kept by the database."""

    scope_field = "selection__grid_node"

    selection = models.ForeignKey(Selection, verbose_name=_("评选活动"), on_delete=models.CASCADE, related_name="votes")
    candidate = models.ForeignKey(Candidate, verbose_name=_("投给"), on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(
        "members.User", verbose_name=_("投票人"), on_delete=models.CASCADE, related_name="selection_votes"
    )
    voted_at = models.DateTimeField(_("投票时间"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("评选投票")
        verbose_name_plural = _("评选投票")
        ordering = ["-voted_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["selection", "voter"], name="one_vote_per_person_per_selection")]
        indexes = [models.Index(fields=["candidate"])]

    def __str__(self) -> str:
        return f"{self.voter} → {self.candidate}"
