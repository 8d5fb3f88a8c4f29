"""The district (区) that the deployment serves, and its three-level grid (三级网格): street → community →
micro-grid, its posts and teams."""

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from alliance.core.model_bases import optional_user
from alliance.core.privacy import mask_phone
from alliance.core.singleton import SingletonModel
from alliance.core.validators import validate_phone


class District(SingletonModel):
    """The district above the streets (区): one deployment serves one district, so it is the deployment's own
    record rather than a fourth level of the grid. Every street belongs to it; a subtree query of a street stays
    one prefix match on ``GridNode.path``, and the district's own queries need no filter at all."""

    # Blank until the district is named: shown as "本区" ("this district") in the reader's language.
    name = models.CharField(_("区名称"), max_length=100, blank=True)
    code = models.CharField(_("区划代码"), max_length=12, blank=True)
    description = models.TextField(_("简介"), blank=True)

    history = HistoricalRecords()

    class Meta(SingletonModel.Meta):
        verbose_name = _("区")
        verbose_name_plural = _("区")

    def __str__(self) -> str:
        return self.name or str(_("本区"))


class GridNodeQuerySet(models.QuerySet):
    def subtree(self, node: "GridNode"):
        """The node and everything below it: one indexed prefix match on ``path``."""
        return self.filter(path__startswith=node.path)

    def streets(self):
        return self.filter(level=GridNode.Level.STREET)

    def communities(self):
        return self.filter(level=GridNode.Level.COMMUNITY)

    def micro_grids(self):
        return self.filter(level=GridNode.Level.MICRO)


class GridNode(models.Model):
    """A node of the grid. ``path`` is a materialised path of primary keys (``"3/17/240/"``)."""

    scope_field = ""

    class Level(models.IntegerChoices):
        STREET = 1, _("街道")
        COMMUNITY = 2, _("社区")
        MICRO = 3, _("微网格")

    class Kind(models.TextChoices):
        STREET = "street", _("街道")
        COMMUNITY = "community", _("社区")
        BUILDING_GROUP = "building_group", _("楼栋党小组")
        CENTRAL_HOUSEHOLD = "central_household", _("党员中心户")
        MICRO_GRID = "micro_grid", _("微网格")

    name = models.CharField(_("名称"), max_length=100)
    code = models.CharField(_("编码"), max_length=40, unique=True)
    level = models.PositiveSmallIntegerField(_("层级"), choices=Level.choices)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级网格"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    street = models.ForeignKey(
        "self",
        verbose_name=_("所属街道"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    path = models.CharField(_("路径"), max_length=255, editable=False, default="")
    description = models.TextField(_("简介"), blank=True)
    boundary = models.JSONField(_("边界（GeoJSON）"), null=True, blank=True)
    center_lat = models.DecimalField(_("中心纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    center_lng = models.DecimalField(_("中心经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    households = models.PositiveIntegerField(_("户数"), default=0)
    population = models.PositiveIntegerField(_("人口"), default=0)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    history = HistoricalRecords()
    objects = GridNodeQuerySet.as_manager()

    class Meta:
        verbose_name = _("网格")
        verbose_name_plural = _("网格")
        ordering = ["path"]
        indexes = [
            # Serves subtree filters: ``path LIKE '3/17/%'`` (text_pattern_ops on PostgreSQL).
            models.Index(fields=["path"], name="grid_path_prefix", opclasses=["varchar_pattern_ops"]),
            # Tree order (ORDER BY path) for the admin and API lists: the pattern index serves only LIKE.
            models.Index(fields=["path"], name="grid_path_order"),
            models.Index(fields=["level", "street"]),
            # The admin list sorted by name (ORDER BY name, id): 33,000 nodes in a city.
            models.Index(fields=["name", "id"], name="grid_name_order"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(level__gte=1, level__lte=3), name="grid_level_1_to_3"),
            models.CheckConstraint(
                condition=models.Q(level=1, parent__isnull=True) | models.Q(level__gt=1, parent__isnull=False),
                name="grid_only_streets_are_roots",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        errors = {}
        if self.level == self.Level.STREET and self.parent_id:
            errors["parent"] = _("街道是一级网格，不能有上级网格。")
        elif self.level and self.level > 1:
            if not self.parent_id:
                errors["parent"] = _("社区和微网格必须选择上级网格。")
            elif self.parent.level != self.level - 1:
                errors["parent"] = _("上级网格的层级不对：%(level)s的上级必须是%(parent)s。") % {
                    "level": self.Level(self.level).label,
                    "parent": self.Level(self.level - 1).label,
                }
        if self.pk and self.parent_id and self.parent.path.startswith(self.path):
            errors["parent"] = _("不能把网格移到它自己的下级之下。")
        kind_levels = {
            self.Kind.STREET: 1,
            self.Kind.COMMUNITY: 2,
            self.Kind.BUILDING_GROUP: 3,
            self.Kind.CENTRAL_HOUSEHOLD: 3,
            self.Kind.MICRO_GRID: 3,
        }
        if self.kind and self.level and kind_levels.get(self.kind) != self.level:
            errors["kind"] = _("类型与层级不符。")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        # Path and street follow the parent; a new node needs its primary key first.
        if self.parent_id is None:
            self.level = self.Level.STREET
        super().save(*args, **kwargs)
        parent_path = self.parent.path if self.parent_id else ""
        path = f"{parent_path}{self.pk}/"
        street_id = self.parent.street_id if self.parent_id else self.pk
        if path != self.path or street_id != self.street_id:
            old_path, old_street_id = self.path, self.street_id
            GridNode.objects.filter(pk=self.pk).update(path=path, street_id=street_id)
            self.path, self.street_id = path, street_id
            if old_path:
                self._move_descendants(old_path, path, street_id)
            if old_path and street_id != old_street_id:
                KeepsStreet.follow_move(path, street_id)

    def _move_descendants(self, old_path: str, new_path: str, street_id: int) -> None:
        GridNode.objects.filter(path__startswith=old_path).exclude(pk=self.pk).update(
            path=Concat(models.Value(new_path), Substr("path", len(old_path) + 1)),
            street_id=street_id,
        )

    @property
    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/") if part]

    def ancestors(self):
        """Street first, this node last."""
        ids = self.ancestor_ids
        nodes = {n.pk: n for n in GridNode.objects.filter(pk__in=ids)}
        return [nodes[i] for i in ids if i in nodes]

    def is_within(self, other: "GridNode") -> bool:
        return self.path.startswith(other.path)

    def distance_to(self, other: "GridNode") -> int:
        """Steps up to the common ancestor: 0 same node, 1 same community, 2 same street, 3 other street."""
        mine, theirs = self.ancestor_ids, other.ancestor_ids
        common = 0
        for a, b in zip(mine, theirs, strict=False):
            if a != b:
                break
            common += 1
        return max(len(mine), len(theirs)) - common


class GridRole(models.Model):
    """A post in a grid node, publicly listed (上墙公示) with a masked phone."""

    scope_field = "node"

    class Post(models.TextChoices):
        GRID_LEADER = "grid_leader", _("网格长")
        MICRO_LEADER = "micro_leader", _("微网格长")
        BUILDING_LEADER = "building_leader", _("楼组长")
        GRID_WORKER = "grid_worker", _("网格员")
        PARTY_VOLUNTEER = "party_volunteer", _("党员志愿者")
        JOINT_DUTY = "joint_duty", _("联勤联动")

    class Department(models.TextChoices):
        NONE = "", _("—")
        POLICE = "police", _("派出所")
        CITY_MANAGEMENT = "city_management", _("城管")
        MARKET_SUPERVISION = "market_supervision", _("市场监管")
        JUDICIAL = "judicial", _("司法所")

    node = models.ForeignKey(GridNode, verbose_name=_("网格"), on_delete=models.CASCADE, related_name="roles")
    post = models.CharField(_("岗位"), max_length=20, choices=Post.choices)
    holder_name = models.CharField(_("姓名"), max_length=50)
    user = optional_user(_("账号"), related_name="grid_roles")
    phone = models.CharField(_("联系电话"), max_length=20, validators=[validate_phone])
    department = models.CharField(_("所属部门"), max_length=30, choices=Department.choices, blank=True)
    duties = models.TextField(_("职责"), blank=True)
    area = models.CharField(_("负责区域"), max_length=200, blank=True)
    is_public = models.BooleanField(_("上墙公示"), default=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("网格岗位")
        verbose_name_plural = _("网格岗位")
        ordering = ["node", "sort_order", "id"]

    def __str__(self) -> str:
        return f"{self.node} · {self.get_post_display()} · {self.holder_name}"

    def clean(self):
        if self.post == self.Post.JOINT_DUTY and not self.department:
            raise ValidationError({"department": _("联勤联动岗位必须注明所属部门。")})

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)


class Team(models.Model):
    """One of a grid's "3+1" teams: management, work, volunteer, joint-duty."""

    scope_field = "node"

    class Kind(models.TextChoices):
        MANAGEMENT = "management", _("管理队伍")
        WORK = "work", _("工作队伍")
        VOLUNTEER = "volunteer", _("志愿队伍")
        JOINT_DUTY = "joint_duty", _("联勤队伍")

    node = models.ForeignKey(GridNode, verbose_name=_("网格"), on_delete=models.CASCADE, related_name="teams")
    kind = models.CharField(_("队伍类型"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=100)
    leader_name = models.CharField(_("队长"), max_length=50, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("网格队伍")
        verbose_name_plural = _("网格队伍")
        ordering = ["node", "kind"]
        constraints = [models.UniqueConstraint(fields=["node", "kind"], name="one_team_of_each_kind_per_node")]

    def __str__(self) -> str:
        return f"{self.node} · {self.name}"


class TeamMember(models.Model):
    scope_field = "team__node"
    team = models.ForeignKey(Team, verbose_name=_("队伍"), on_delete=models.CASCADE, related_name="members")
    name = models.CharField(_("姓名"), max_length=50)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True, validators=[validate_phone])
    role = models.CharField(_("分工"), max_length=50, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("队员")
        verbose_name_plural = _("队员")

    def __str__(self) -> str:
        return self.name


class KeepsStreetQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        KeepsStreet.fill_streets(objs)
        return super().bulk_create(objs, *args, **kwargs)


class KeepsStreet(models.Model):
    """A row in a grid node (``grid_node``) that keeps its node's street beside it (``street``): a street admin's
    list of a city's million orders reads one index (``street``, newest first) instead of finding the street's
    rows among its few hundred nodes' and sorting them (alliance.core.admin_lists.scope_rows).

    The street is derived, never typed: ``save`` sets it on a full save and whenever ``grid_node`` is among the
    saved fields (from the node the row holds, else one query), ``bulk_create`` for each row (one query for the
    nodes it has not loaded), and a node moved to another street takes its rows along
    (``GridNode.save``). It is not in the history: the node is."""

    # alliance.core.admin_lists.scope_rows: the column a street's rows are found by.
    scope_street = "street"

    street = models.ForeignKey(
        GridNode,
        verbose_name=_("所属街道"),
        null=True,
        blank=True,
        editable=False,
        # Derived from the grid node (which is protected): no foreign key check on every insert.
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )

    objects = KeepsStreetQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "grid_node" in update_fields or "grid_node_id" in update_fields:
            before = self.street_id
            KeepsStreet.fill_streets([self])
            if update_fields is not None and self.street_id != before:
                kwargs["update_fields"] = [*update_fields, "street"]
        super().save(*args, **kwargs)

    @staticmethod
    def fill_streets(rows) -> None:
        """Each row's street from its grid node: the node loaded with the row if it is, else one query for all."""
        unknown = set()
        for row in rows:
            if row.grid_node_id is None:
                row.street_id = None
            elif type(row).grid_node.is_cached(row) and row.grid_node.pk == row.grid_node_id:
                row.street_id = row.grid_node.street_id
            else:
                unknown.add(row.grid_node_id)
        if unknown:
            streets = dict(GridNode.objects.filter(pk__in=unknown).values_list("pk", "street_id"))
            for row in rows:
                if row.grid_node_id in unknown:
                    row.street_id = streets.get(row.grid_node_id)

    @staticmethod
    def follow_move(path: str, street_id: int) -> None:
        """The rows of every model that keeps a street, in the subtree at ``path``, now in street ``street_id``."""
        for model in apps.get_models():
            if issubclass(model, KeepsStreet):
                model._default_manager.filter(grid_node__path__startswith=path).update(street_id=street_id)
