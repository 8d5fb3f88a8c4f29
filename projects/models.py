"""The three lists (三清单): resources, needs and projects, with claims, pledges, wishes and matches."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Category(models.Model):
    """A two-level taxonomy shared by the three lists and the service menu."""

    name = models.CharField(_("名称"), max_length=50)
    code = models.SlugField(_("编码"), max_length=40, unique=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级类别"), null=True, blank=True, on_delete=models.PROTECT, related_name="children",
        limit_choices_to={"parent__isnull": True},
    )
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("类别")
        verbose_name_plural = _("类别")
        ordering = ["sort_order", "id"]
        constraints = [models.UniqueConstraint(fields=["parent", "name"], name="unique_category_name_per_parent")]

    def __str__(self) -> str:
        return f"{self.parent.name} · {self.name}" if self.parent_id else self.name

    def clean(self):
        if self.parent_id and self.parent.parent_id:
            raise ValidationError({"parent": _("类别只有两级:上级类别必须是一级类别。")})
        if self.parent_id and self.pk and self.parent_id == self.pk:
            raise ValidationError({"parent": _("类别不能以自己为上级。")})

    @property
    def root_id(self) -> int:
        return self.parent_id or self.pk
