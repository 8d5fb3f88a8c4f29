"""Single-row settings: one base for every settings model of the apps.

``SingletonModel`` keeps its row at ``pk == 1``: ``load()`` reads (or creates) it, ``save()`` always writes it,
and a check constraint lets the database refuse a second row whatever path tries. The settings admins
(``alliance.core.admin_base.SingletonAdmin``) neither add nor delete; their list opens the one row.

A subclass declares ``class Meta(SingletonModel.Meta)`` (and may add constraints to
``SingletonModel.Meta.constraints``) so the constraint is inherited.

Why not django-solo: it adds a dependency and its own cache for four small rows, and keeps the row unique by
convention only (no constraint in the database); this base is a dozen lines and the database decides.
"""

from django.db import models

SINGLETON_PK = 1


class SingletonModel(models.Model):
    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(condition=models.Q(id=SINGLETON_PK), name="%(app_label)s_%(class)s_single_row")
        ]

    @classmethod
    def load(cls):
        """The row, created with the defaults the first time it is read."""
        row, _created = cls.objects.get_or_create(pk=SINGLETON_PK)
        return row

    def __str__(self) -> str:
        # The one row is named by its model: "居民服务设置", "三清单设置", …
        return str(self._meta.verbose_name)

    def save(self, *args, **kwargs):
        self.pk = SINGLETON_PK
        super().save(*args, **kwargs)


def keep_single_row(model) -> None:
    """For data migrations: keep the row the code read so far (the lowest pk) as ``pk == 1``, drop the others."""
    rows = list(model.objects.order_by("pk").values_list("pk", flat=True))
    if not rows:
        return
    keep = rows[0]
    model.objects.exclude(pk=keep).delete()
    if keep != SINGLETON_PK:
        model.objects.filter(pk=keep).update(pk=SINGLETON_PK)
