"""The joint committee (大工委): committees, seats, rotating chairs, meetings and matters."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Committee(models.Model):
    """A deliberative body: a street joint committee, a community big party committee, a professional committee."""

    scope_field = "grid_node"

    class Kind(models.TextChoices):
        STREET_JOINT = "street_joint", _("街道大工委")
        COMMUNITY_PARTY = "community_party", _("社区大党委")
        PROFESSIONAL = "professional", _("专业委员会")

    class Field(models.TextChoices):
        NONE = "", _("—")
        HEALTH = "health", _("医疗卫生")
        CULTURE = "culture", _("文化艺术")
        EDUCATION = "education", _("教育宣传")
        SOCIAL = "social", _("社会服务")
        LAW = "law", _("政法综合")
        ECONOMY = "economy", _("经济贸易")
        SCIENCE = "science", _("科技")

    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    field = models.CharField(_("专业领域"), max_length=20, choices=Field.choices, blank=True)
    grid_node = models.ForeignKey(
        "grids.GridNode", verbose_name=_("所属网格"), on_delete=models.PROTECT, related_name="committees"
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("上级委员会"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    description = models.TextField(_("简介"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("委员会")
        verbose_name_plural = _("委员会")
        ordering = ["grid_node__path", "kind", "id"]

    def __str__(self) -> str:
        return self.name


class Matter(models.Model):
    """议题/事项: raised by a unit, a community or from a resident issue; studied in meetings."""

    scope_field = "committee__grid_node"

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("已提出")
        UNDER_STUDY = "under_study", _("研究中")
        RESOLVED = "resolved", _("已议决")
        DEFERRED = "deferred", _("暂缓")

    committee = models.ForeignKey(Committee, verbose_name=_("委员会"), on_delete=models.PROTECT, related_name="matters")
    title = models.CharField(_("议题"), max_length=200)
    description = models.TextField(_("说明"), blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.PROPOSED)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提出人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    raised_by_unit = models.ForeignKey(
        "members.MemberUnit",
        verbose_name=_("提出单位"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="matters",
    )
    # Where the matter came from: a need (projects.Need), a resident issue (services.Issue), …
    source_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    resolution = models.TextField(_("议决结果"), blank=True)
    created_at = models.DateTimeField(_("提出时间"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("议决时间"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("议题")
        verbose_name_plural = _("议题")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["source_type", "source_id"]), models.Index(fields=["status", "resolved_at"])]

    def __str__(self) -> str:
        return self.title
