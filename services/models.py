"""Residents' services, stations, activities (notifications are the kernel's: alliance.core.models)."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from alliance.core.history import IndexedOnly
from alliance.core.inputs import clean_line
from alliance.core.model_bases import TimelineEvent, exactly_one_of, optional_rating, optional_user, set_only
from alliance.core.singleton import SingletonModel
from alliance.core.validators import validate_phone
from grids.models import KeepsStreet
from services.phases import ISSUE_PHASES, ORDER_PHASES, resident_tag


def _coordinate(label, bound: int):
    """A WGS84 coordinate, optional, within ±``bound`` degrees (the map's point of a station or an issue)."""
    return models.DecimalField(
        label,
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-bound), MaxValueValidator(bound)],
    )


def latitude(label):
    return _coordinate(label, 90)


def longitude(label):
    return _coordinate(label, 180)


def point_in_wgs84(name):
    """Both coordinates or neither, each within WGS84 bounds."""
    return models.CheckConstraint(
        condition=models.Q(lat__isnull=True, lng__isnull=True)
        | models.Q(lat__gte=-90, lat__lte=90, lng__gte=-180, lng__lte=180),
        name=name,
    )


# ---------------------------------------------------------------------------
# Residents' services: settings, holidays, stations, rooms, menu, orders, issues, activities.
# ---------------------------------------------------------------------------


class ServiceSettings(SingletonModel):
    """The tunable limits of the services jobs (one row), counted in working days."""

    order_remind_days = models.PositiveSmallIntegerField(
        _("点单提醒时限（工作日）"),
        default=1,
        help_text=_("居民点单后超过该工作日数仍无人接单，提醒可接单的成员单位。"),
    )
    order_escalate_days = models.PositiveSmallIntegerField(
        _("点单上报时限（工作日）"), default=2, help_text=_("超过该工作日数仍无人接单，上报社区管理员。")
    )
    issue_discovered_days = models.PositiveSmallIntegerField(_("发现环节时限（工作日）"), default=1)
    issue_consulting_days = models.PositiveSmallIntegerField(_("会商环节时限（工作日）"), default=2)
    issue_handling_days = models.PositiveSmallIntegerField(_("处置环节时限（工作日）"), default=5)
    issue_feedback_days = models.PositiveSmallIntegerField(_("反馈环节时限（工作日）"), default=2)
    photo_max_kb = models.PositiveIntegerField(_("照片大小上限（KB）"), default=5120)
    service_circle_m = models.PositiveIntegerField(
        _("服务圈半径（米）"),
        default=400,
        validators=[MinValueValidator(100), MaxValueValidator(3000)],
        help_text=_("服务站页面地图上“五分钟服务圈”的半径：步行五分钟约四百米。"),
    )

    history = HistoricalRecords()

    class Meta(SingletonModel.Meta):
        verbose_name = _("居民服务设置")
        verbose_name_plural = _("居民服务设置")

    def issue_limit(self, status: str) -> int | None:
        return {
            "discovered": self.issue_discovered_days,
            "consulting": self.issue_consulting_days,
            "handling": self.issue_handling_days,
            "feedback": self.issue_feedback_days,
        }.get(status)


class Holiday(models.Model):
    """A date of the holiday calendar: a day off on a weekday, or a working weekend day (调休上班)."""

    date = models.DateField(_("日期"), unique=True)
    name = models.CharField(_("名称"), max_length=50)
    is_workday = models.BooleanField(_("调休上班"), default=False, help_text=_("勾选表示该日虽为周末但需上班。"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("节假日")
        verbose_name_plural = _("节假日日历")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"


class ServiceStation(models.Model):
    """党群服务中心/站/点."""

    scope_field = "grid_node"

    class Kind(models.TextChoices):
        CENTER = "center", _("党群服务中心")
        STATION = "station", _("党群服务站")
        POINT = "point", _("党群服务点")

    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    grid_node = models.ForeignKey(
        "grids.GridNode", verbose_name=_("所在网格"), on_delete=models.PROTECT, related_name="service_stations"
    )
    address = models.CharField(_("地址"), max_length=200)
    lat = latitude(_("纬度"))
    lng = longitude(_("经度"))
    hours = models.CharField(_("开放时间"), max_length=100, default="周一至周五 9:00-17:00")
    phone = models.CharField(_("服务电话"), max_length=20, blank=True)
    head_name = models.CharField(_("店长"), max_length=50, blank=True)
    assistants = models.CharField(_("店员"), max_length=200, blank=True)
    volunteers = models.CharField(_("志愿者"), max_length=300, blank=True)
    star_rating = models.PositiveSmallIntegerField(_("星级"), default=0, help_text=_("0–5 星"))
    description = models.TextField(_("简介"), blank=True)
    is_active = models.BooleanField(_("开放"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("党群服务阵地")
        verbose_name_plural = _("党群服务阵地")
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(star_rating__lte=5), name="station_star_0_to_5"),
            point_in_wgs84("station_point_wgs84"),
        ]

    def __str__(self) -> str:
        return self.name


class Room(models.Model):
    """A bookable shared room (共享空厅) of a station or a member unit."""

    scope_field = "grid_node"

    name = models.CharField(_("名称"), max_length=100)
    station = models.ForeignKey(
        ServiceStation,
        verbose_name=_("所属阵地"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="rooms",
    )
    unit = models.ForeignKey(
        "members.MemberUnit",
        verbose_name=_("所属单位"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="rooms",
    )
    grid_node = models.ForeignKey(
        "grids.GridNode", verbose_name=_("所在网格"), on_delete=models.PROTECT, related_name="rooms", editable=False
    )
    capacity = models.PositiveIntegerField(_("容纳人数"), default=20)
    facilities = models.CharField(_("设施"), max_length=200, blank=True)
    opens_at = models.TimeField(_("开放开始"), default=datetime.time(8))
    closes_at = models.TimeField(_("开放结束"), default=datetime.time(21))
    is_active = models.BooleanField(_("可预约"), default=True)
    needs_approval = models.BooleanField(
        _("预约需确认"),
        default=False,
        help_text=_("勾选后，居民的预约先为“待确认”，由空间所属社区或单位确认后生效。"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("共享空间")
        verbose_name_plural = _("共享空间")
        ordering = ["name", "id"]
        constraints = [
            exactly_one_of("station", "unit", name="room_of_station_or_unit"),
            models.CheckConstraint(condition=models.Q(capacity__gte=1), name="room_capacity_at_least_1"),
        ]

    def __str__(self) -> str:
        return f"{self.owner_name} · {self.name}"

    @property
    def owner_name(self) -> str:
        return self.station.name if self.station_id else (self.unit.name if self.unit_id else "")

    def clean(self):
        if bool(self.station_id) == bool(self.unit_id):
            raise ValidationError(_("请选择所属阵地或所属单位（二选一）。"))

    def save(self, *args, **kwargs):
        # The room's grid node follows its owner, so scoping needs no join through two tables.
        owner = self.station if self.station_id else self.unit
        if owner is not None:
            self.grid_node_id = owner.grid_node_id
        super().save(*args, **kwargs)


class Booking(models.Model):
    """A booking of a room. Two confirmed bookings of one room never overlap: on PostgreSQL an
    exclusion constraint (migration 0003) guarantees it; elsewhere the booking action checks it.
    A booking of a room that needs approval starts pending (待确认): it neither blocks nor is blocked by
    the constraint until the room's owners confirm it (then it is checked like any confirmed one)."""

    scope_field = "room__grid_node"

    class Status(models.TextChoices):
        PENDING = "pending", _("待确认")
        CONFIRMED = "confirmed", _("已确认")
        DECLINED = "declined", _("未通过")
        CANCELLED = "cancelled", _("已取消")

    # Found through the index (room, starts_at), which begins with it: no index of its own.
    room = models.ForeignKey(
        Room, verbose_name=_("空间"), on_delete=models.CASCADE, related_name="bookings", db_index=False
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("预约人"), on_delete=models.PROTECT, related_name="bookings"
    )
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    purpose = models.CharField(_("用途"), max_length=200)
    attendees = models.PositiveIntegerField(_("人数"), default=1)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.CONFIRMED)
    created_at = models.DateTimeField(_("预约时间"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    cancelled_by = optional_user(_("取消人"))
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    confirmed_by = optional_user(_("确认人"))
    declined_at = models.DateTimeField(_("未通过时间"), null=True, blank=True)
    declined_by = optional_user(_("审核人"))
    decline_reason = models.CharField(_("未通过原因"), max_length=200, blank=True)

    history = HistoricalRecords(no_db_index=IndexedOnly())

    class Meta:
        verbose_name = _("空间预约")
        verbose_name_plural = _("空间预约")
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["room", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="booking_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.room} {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"


class MenuItem(models.Model):
    """服务菜单: a service a unit or station offers the residents of a grid scope."""

    scope_field = "grid_scope"

    title = models.CharField(_("服务名称"), max_length=100)
    category = models.ForeignKey(
        "projects.Category", verbose_name=_("类别"), on_delete=models.PROTECT, related_name="menu_items"
    )
    description = models.TextField(_("服务内容"), blank=True)
    provider_unit = models.ForeignKey(
        "members.MemberUnit",
        verbose_name=_("提供单位"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="menu_items",
    )
    provider_station = models.ForeignKey(
        ServiceStation,
        verbose_name=_("提供阵地"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="menu_items",
    )
    grid_scope = models.ForeignKey(
        "grids.GridNode",
        verbose_name=_("服务范围"),
        on_delete=models.PROTECT,
        related_name="menu_items",
        help_text=_("该网格及其下级的居民可以点单。"),
    )
    availability = models.CharField(_("服务时间"), max_length=100, default="工作日")
    capacity_per_day = models.PositiveIntegerField(_("每日名额"), default=10)
    is_active = models.BooleanField(_("上架"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("服务菜单")
        verbose_name_plural = _("服务菜单")
        ordering = ["category__sort_order", "id"]
        indexes = [models.Index(fields=["category", "is_active"])]
        constraints = [
            exactly_one_of("provider_unit", "provider_station", name="menu_item_one_provider"),
            models.CheckConstraint(condition=models.Q(capacity_per_day__gte=1), name="menu_item_capacity_at_least_1"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def provider_name(self) -> str:
        return self.provider_unit.name if self.provider_unit_id else self.provider_station.name

    def clean(self):
        if bool(self.provider_unit_id) == bool(self.provider_station_id):
            raise ValidationError(_("请选择提供单位或提供阵地（二选一）。"))


class Order(KeepsStreet):
    """点单: a resident orders a menu item, or asks in free text."""

    scope_field = "grid_node"
    created_with: dict[str, list]  # set by submit_order on the new order only (its timeline, for the API's answer)

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("已点单")
        ACCEPTED = "accepted", _("已接单")
        SERVED = "served", _("已服务，待社区确认")
        DELIVERED = "delivered", _("已送达")
        RATED = "rated", _("已评价")
        CANCELLED = "cancelled", _("已取消")

    # resident, menu_item and grid_node are found by the composite indexes that begin with them (Meta.indexes):
    # one index less to write per order for each.
    resident = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("居民"),
        on_delete=models.PROTECT,
        related_name="service_orders",
        db_index=False,
    )
    menu_item = models.ForeignKey(
        MenuItem,
        verbose_name=_("服务项目"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="orders",
        db_index=False,
    )
    category = models.ForeignKey(
        "projects.Category", verbose_name=_("类别"), on_delete=models.PROTECT, related_name="service_orders"
    )
    text = models.TextField(_("需求说明"), blank=True)
    grid_node = models.ForeignKey(
        "grids.GridNode",
        verbose_name=_("所在网格"),
        on_delete=models.PROTECT,
        related_name="service_orders",
        db_index=False,
    )
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True, validators=[validate_phone])
    address = models.CharField(_("服务地址"), max_length=200, blank=True)
    wanted_on = models.DateField(_("期望日期"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    offered_to_all = models.BooleanField(
        _("向同类单位开放"),
        default=False,
        help_text=_("自由点单或被提供单位婉拒后，范围内提供同类服务的单位均可接单。"),
    )
    declined_units = models.ManyToManyField(
        "members.MemberUnit", verbose_name=_("已婉拒的单位"), blank=True, related_name="declined_orders"
    )
    unit = models.ForeignKey(
        "members.MemberUnit",
        verbose_name=_("接单单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="service_orders",
    )
    submitted_at = models.DateTimeField(_("点单时间"))
    accepted_at = models.DateTimeField(_("接单时间"), null=True, blank=True)
    accepted_by = optional_user(_("接单人"))
    # The serving unit (or the station's staff) marks the order served; the community confirms delivery.
    served_at = models.DateTimeField(_("服务时间"), null=True, blank=True)
    served_by = optional_user(_("标记已服务人"))
    delivered_at = models.DateTimeField(_("送达时间"), null=True, blank=True, help_text=_("社区确认送达的时间。"))
    delivered_by = optional_user(_("确认送达人"))
    rated_at = models.DateTimeField(_("评价时间"), null=True, blank=True)
    rating = models.PositiveSmallIntegerField(_("评分"), null=True, blank=True)
    comment = models.CharField(_("评价"), max_length=300, blank=True)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)

    # The street follows the grid node (KeepsStreet); the privacy erase finds a resident's orders by ``resident``.
    history = HistoricalRecords(excluded_fields=["street"], no_db_index=IndexedOnly("resident"))

    class Meta:
        verbose_name = _("居民点单")
        verbose_name_plural = _("居民点单")
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["status", "submitted_at"]),
            models.Index(fields=["resident", "submitted_at"]),
            # The admin's and the API's newest-first order: a page of a million orders read off the index.
            models.Index(fields=["submitted_at", "id"], name="order_newest"),
            # A street's or community's to-do lines (alliance.site.workbench): its waiting orders, oldest first.
            models.Index(fields=["grid_node", "status", "submitted_at"], name="order_todo_scoped"),
            # A street admin's list, newest or oldest first (alliance.core.admin_lists.scope_rows).
            models.Index(fields=["street", "submitted_at", "id"], name="order_street_newest"),
            # A street admin's list narrowed to a state (its to-do lines, the state filter): counted and read in order.
            models.Index(fields=["street", "status", "submitted_at"], name="order_street_state"),
            # The places an item has left on a day, counted under its lock at every order (selectors.orders_taken_on):
            # the day's orders of the item, by wanted day or, without one, by submission; not every order it ever had.
            models.Index(fields=["menu_item", "wanted_on", "submitted_at"], name="order_item_day"),
        ]
        constraints = [optional_rating(name="order_rating_1_to_5")]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        if self.menu_item_id:
            return self.menu_item.title
        text = clean_line(self.text)  # one line: a title goes into e-mail subjects, which refuse line breaks
        return (text[:20] + "…") if len(text) > 20 else text

    @property
    def resident_tag(self) -> tuple[str, str]:
        """The state in a resident's words (待接单, 服务中, 待评价, 已办结 …) and its tag's colour class."""
        return resident_tag(ORDER_PHASES, self.status)

    def record_timeline(self, kind, *, by, at, note: str = "", unit=None) -> "OrderEvent":
        """One step on the order's timeline (alliance.core.transitions calls it for every transition)."""
        return OrderEvent.objects.create(order=self, kind=kind, by=by, unit=unit, note=note[:300], at=at)


class OrderEvent(TimelineEvent):
    """One step of an order's timeline: who did what, when."""

    scope_field = "order__grid_node"

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("居民点单")
        ACCEPTED = "accepted", _("单位接单")
        DECLINED = "declined", _("单位婉拒")
        SERVED = "served", _("单位已服务")
        DELIVERED = "delivered", _("社区送达")
        RATED = "rated", _("居民评价")
        CANCELLED = "cancelled", _("居民取消")
        REMINDED = "reminded", _("催办提醒")
        ESCALATED = "escalated", _("上报社区")

    order = models.ForeignKey(Order, verbose_name=_("点单"), on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("环节"), max_length=20, choices=Kind.choices)
    unit = models.ForeignKey(
        "members.MemberUnit", verbose_name=_("单位"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta(TimelineEvent.Meta):
        verbose_name = _("点单记录")
        verbose_name_plural = _("点单记录")


class Issue(KeepsStreet):
    """民情/居民说事: a problem in a grid, followed through the closed loop 发现 → 会商 → 处置 → 反馈 → 评价."""

    scope_field = "grid_node"
    created_with: dict[str, list]  # set by report_issue on the new issue only (photos, timeline: the API's answer)

    class Channel(models.TextChoices):
        WEB = "web", _("网上说事")
        HOTLINE = "hotline", _("热线电话")
        MAILBOX = "mailbox", _("民情信箱")
        GRID_VISIT = "grid_visit", _("网格走访")

    class Status(models.TextChoices):
        DISCOVERED = "discovered", _("发现")
        CONSULTING = "consulting", _("会商")
        HANDLING = "handling", _("处置")
        FEEDBACK = "feedback", _("反馈")
        EVALUATED = "evaluated", _("评价")

    class Level(models.IntegerChoices):
        MICRO = 1, _("微网格")
        COMMUNITY = 2, _("社区")
        STREET = 3, _("街道")
        DEPARTMENT = 4, _("职能部门")

    title = models.CharField(_("标题"), max_length=100)
    text = models.TextField(_("问题描述"))
    channel = models.CharField(_("来源渠道"), max_length=20, choices=Channel.choices, default=Channel.WEB)
    # reporter and grid_node are found by the composite indexes that begin with them (Meta.indexes): one index
    # less to write per issue for each.
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("反映人"),
        on_delete=models.PROTECT,
        related_name="reported_issues",
        db_index=False,
    )
    recorded_by = optional_user(_("登记人"), related_name="recorded_issues", db_index=False)
    grid_node = models.ForeignKey(
        "grids.GridNode", verbose_name=_("所在网格"), on_delete=models.PROTECT, related_name="issues", db_index=False
    )
    location = models.CharField(_("具体位置"), max_length=200, blank=True)
    lat = latitude(_("纬度"))
    lng = longitude(_("经度"))
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True, validators=[validate_phone])
    status = models.CharField(_("环节"), max_length=20, choices=Status.choices, default=Status.DISCOVERED)
    level = models.PositiveSmallIntegerField(_("办理层级"), choices=Level.choices, default=Level.MICRO)
    handler = optional_user(_("承办人"), related_name="handled_issues", db_index=False)
    step_started_at = models.DateTimeField(_("本环节开始时间"))
    reported_at = models.DateTimeField(_("反映时间"))
    rating = models.PositiveSmallIntegerField(_("满意度"), null=True, blank=True)
    rating_comment = models.CharField(_("评价意见"), max_length=300, blank=True)
    rated_at = models.DateTimeField(_("评价时间"), null=True, blank=True)
    reopened = models.BooleanField(_("已因不满意重办"), default=False)
    unsatisfied_handler = optional_user(
        _("不满意计入承办人"),
        related_name="unsatisfied_issues",
        help_text=_("评价为1–2分而重办的事项，计入该承办人的考核。"),
        db_index=False,
    )
    matter = models.ForeignKey(
        "alliance.Matter",
        verbose_name=_("提交大工委议题"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    # The public board (说事墙): only the text, the place and the stage are shown there, never the person.
    is_public = models.BooleanField(_("公开到说事墙"), default=False)
    published_at = models.DateTimeField(_("公开时间"), null=True, blank=True)
    published_by = optional_user(_("公开人"), related_name="+", db_index=False)
    taken_down_at = models.DateTimeField(_("撤下时间"), null=True, blank=True)
    taken_down_by = optional_user(_("撤下人"), related_name="+", db_index=False)
    takedown_reason = models.CharField(_("撤下原因"), max_length=200, blank=True)

    # The street follows the grid node (KeepsStreet); the privacy erase finds a resident's issues by ``reporter``.
    history = HistoricalRecords(excluded_fields=["street"], no_db_index=IndexedOnly("reporter"))

    class Meta:
        verbose_name = _("居民说事")
        verbose_name_plural = _("居民说事")
        ordering = ["-reported_at", "-id"]
        indexes = [
            models.Index(fields=["status", "step_started_at"]),
            models.Index(fields=["reporter", "reported_at"]),
            models.Index(fields=["reported_at", "id"], name="issue_newest"),
            # A street's or community's to-do lines (alliance.site.workbench): its issues at a step, oldest first.
            models.Index(fields=["grid_node", "status", "step_started_at"], name="issue_todo_scoped"),
            # A street admin's list, newest or oldest first (alliance.core.admin_lists.scope_rows).
            models.Index(fields=["street", "reported_at", "id"], name="issue_street_newest"),
            # A street admin's list narrowed to a state, the longest waiting first: counted and read in order.
            models.Index(fields=["street", "status", "step_started_at"], name="issue_street_state"),
            # The board: public issues, newest first.
            models.Index(fields=["reported_at", "id"], condition=models.Q(is_public=True), name="issue_public_newest"),
            # Links empty on most new issues (set later in an issue's life; who recorded it, for the hotline,
            # mailbox and visits only): indexed where set, so that a resident's report writes six index entries
            # fewer (its insert 0.82 → 0.70 ms at city scale).
            set_only("recorded_by", name="issue_recorded_by_set"),
            set_only("handler", name="issue_handler_set"),
            set_only("unsatisfied_handler", name="issue_unsatisfied_by_set"),
            set_only("matter", name="issue_matter_set"),
            set_only("published_by", name="issue_published_by_set"),
            set_only("taken_down_by", name="issue_taken_down_by_set"),
        ]
        constraints = [optional_rating(name="issue_rating_1_to_5"), point_in_wgs84("issue_point_wgs84")]

    def __str__(self) -> str:
        return self.title

    NEXT_STATUS = {
        Status.DISCOVERED: Status.CONSULTING,
        Status.CONSULTING: Status.HANDLING,
        Status.HANDLING: Status.FEEDBACK,
    }

    @property
    def next_status(self):
        return self.NEXT_STATUS.get(self.status)

    @property
    def next_status_label(self) -> str:
        nxt = self.next_status
        return self.Status(nxt).label if nxt else ""

    @property
    def resident_tag(self) -> tuple[str, str]:
        """The step in a resident's words (已受理, 处理中, 待评价, 已办结), not the stage's name."""
        return resident_tag(ISSUE_PHASES, self.status)

    def record_timeline(self, kind, *, by, at, note: str = "") -> "IssueEvent":
        """One step on the issue's timeline, with the step and level it left the issue at."""
        return IssueEvent.objects.create(
            issue=self, kind=kind, status=self.status, level=self.level, by=by, text=note, at=at
        )


def issue_photo_path(instance, filename: str) -> str:
    return f"issues/{instance.issue_id or 'new'}/{filename}"


class IssuePhoto(models.Model):
    scope_field = "issue__grid_node"

    issue = models.ForeignKey(Issue, verbose_name=_("事项"), on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("照片"), upload_to=issue_photo_path)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("事项照片")
        verbose_name_plural = _("事项照片")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.image.name


class IssueEvent(TimelineEvent):
    """One step of an issue's timeline."""

    scope_field = "issue__grid_node"

    class Kind(models.TextChoices):
        REPORTED = "reported", _("反映问题")
        MOVED = "moved", _("推进环节")
        ESCALATED = "escalated", _("上报上级")
        AUTO_ESCALATED = "auto_escalated", _("超时自动上报")
        RATED = "rated", _("居民评价")
        REOPENED = "reopened", _("不满意重办")
        MATTER = "matter", _("提交大工委")
        PUBLISHED = "published", _("公开到说事墙")
        TAKEN_DOWN = "taken_down", _("撤下说事墙")

    issue = models.ForeignKey(Issue, verbose_name=_("事项"), on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    status = models.CharField(_("环节"), max_length=20, choices=Issue.Status.choices)
    level = models.PositiveSmallIntegerField(_("层级"), choices=Issue.Level.choices)
    text = models.TextField(_("答复/说明"), blank=True)

    class Meta(TimelineEvent.Meta):
        verbose_name = _("事项记录")
        verbose_name_plural = _("事项记录")


class IssueMeToo(models.Model):
    """同样遇到: a resident meets the same problem as a public issue, instead of reporting it again."""

    scope_field = "issue__grid_node"

    issue = models.ForeignKey(Issue, verbose_name=_("事项"), on_delete=models.CASCADE, related_name="me_toos")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("居民"), on_delete=models.CASCADE, related_name="issue_me_toos"
    )
    created_at = models.DateTimeField(_("时间"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("同样遇到")
        verbose_name_plural = _("同样遇到")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["issue", "person"], name="one_me_too_per_person")]

    def __str__(self) -> str:
        return f"{self.issue} · {self.created_at:%Y-%m-%d}"


class ReplyTemplate(models.Model):
    """A reply text offered to grid workers when moving an issue to a step."""

    step = models.CharField(_("环节"), max_length=20, choices=Issue.Status.choices)
    title = models.CharField(_("名称"), max_length=50)
    text = models.TextField(_("答复内容"))
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("答复模板")
        verbose_name_plural = _("答复模板")
        ordering = ["step", "sort_order", "id"]
        constraints = [models.UniqueConstraint(fields=["step", "title"], name="unique_reply_template")]

    def __str__(self) -> str:
        return f"{self.get_step_display()} · {self.title}"


class Activity(models.Model):
    """An activity: themed party day, volunteer service, lecture, performance, health check."""

    scope_field = "grid_node"

    class Kind(models.TextChoices):
        THEME_DAY = "theme_day", _("主题党日")
        VOLUNTEER = "volunteer", _("志愿服务")
        LECTURE = "lecture", _("讲座")
        PERFORMANCE = "performance", _("文艺演出")
        HEALTH_CHECK = "health_check", _("义诊体检")

    class Status(models.TextChoices):
        PUBLISHED = "published", _("报名中")
        CANCELLED = "cancelled", _("已取消")

    title = models.CharField(_("活动名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    organiser = models.CharField(_("主办方"), max_length=100)
    organiser_unit = models.ForeignKey(
        "members.MemberUnit",
        verbose_name=_("主办单位"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
    )
    grid_node = models.ForeignKey(
        "grids.GridNode", verbose_name=_("所在网格"), on_delete=models.PROTECT, related_name="activities"
    )
    place = models.CharField(_("地点"), max_length=200)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    capacity = models.PositiveIntegerField(_("名额"), default=30)
    points = models.PositiveSmallIntegerField(_("签到积分"), default=2)
    description = models.TextField(_("活动内容"), blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.PUBLISHED)
    created_at = models.DateTimeField(_("发布时间"), auto_now_add=True)
    recurring_service = models.ForeignKey(
        "RecurringService",
        verbose_name=_("常态化服务"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="occurrences",
        editable=False,
    )
    occurs_on = models.DateField(_("服务日期"), null=True, blank=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("活动")
        verbose_name_plural = _("活动")
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["status", "starts_at"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(capacity__gte=1), name="activity_capacity_at_least_1"),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="activity_ends_after_start"
            ),
            # One occurrence of a recurring service per date, however many generators run at once.
            models.UniqueConstraint(fields=["recurring_service", "occurs_on"], name="one_occurrence_per_rule_and_date"),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("结束时间必须晚于开始时间。")})


class ActivitySignup(models.Model):
    scope_field = "activity__grid_node"

    class Status(models.TextChoices):
        SIGNED_UP = "signed_up", _("已报名")
        CANCELLED = "cancelled", _("已取消")

    activity = models.ForeignKey(Activity, verbose_name=_("活动"), on_delete=models.CASCADE, related_name="signups")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("报名人"), on_delete=models.CASCADE, related_name="activity_signups"
    )
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.SIGNED_UP)
    signed_up_at = models.DateTimeField(_("报名时间"))
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    checked_in_by = optional_user(_("签到确认人"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("活动报名")
        verbose_name_plural = _("活动报名")
        ordering = ["signed_up_at", "id"]
        constraints = [models.UniqueConstraint(fields=["activity", "user"], name="one_signup_per_person")]

    def __str__(self) -> str:
        return f"{self.activity} · {self.user}"


class RecurringService(models.Model):
    """A service held at a station again and again (常态化下沉服务: 律师每月15日下沉到党群服务点).

    The rule is monthly on a day or weekly on a weekday, from one time to another; a daily job
    (services.actions.recurring.generate_occurrences) makes the next 30 days' occurrences as activities linked
    to the rule, one per rule and date, so residents sign up to each with the activities' own sign-up.
    A monthly day past the month's end (31 in April) falls on the month's last day: the service comes once a month.
    """

    scope_field = "station__grid_node"

    class Frequency(models.TextChoices):
        MONTHLY = "monthly", _("每月")
        WEEKLY = "weekly", _("每周")

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("周一")
        TUESDAY = 1, _("周二")
        WEDNESDAY = 2, _("周三")
        THURSDAY = 3, _("周四")
        FRIDAY = 4, _("周五")
        SATURDAY = 5, _("周六")
        SUNDAY = 6, _("周日")

    station = models.ForeignKey(
        ServiceStation, verbose_name=_("服务阵地"), on_delete=models.CASCADE, related_name="recurring_services"
    )
    title = models.CharField(_("服务名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=20, choices=Activity.Kind.choices, default=Activity.Kind.VOLUNTEER)
    provider_unit = models.ForeignKey(
        "members.MemberUnit",
        verbose_name=_("提供单位"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="recurring_services",
    )
    provider_name = models.CharField(
        _("服务人员"), max_length=100, blank=True, help_text=_("如“王律师”“社区医生”；不填则显示提供单位。")
    )
    description = models.TextField(_("服务内容"), blank=True)
    frequency = models.CharField(_("周期"), max_length=10, choices=Frequency.choices, default=Frequency.MONTHLY)
    day_of_month = models.PositiveSmallIntegerField(
        _("每月几号"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
        help_text=_("1–31；当月没有这一天时，安排在当月最后一天。"),
    )
    weekday = models.PositiveSmallIntegerField(_("每周星期几"), null=True, blank=True, choices=Weekday.choices)
    starts_time = models.TimeField(_("开始时间"), default=datetime.time(9))
    ends_time = models.TimeField(_("结束时间"), default=datetime.time(11, 30))
    capacity = models.PositiveIntegerField(_("每次名额"), default=10)
    is_active = models.BooleanField(_("启用"), default=True)
    valid_until = models.DateField(_("有效期至"), null=True, blank=True, help_text=_("不填则长期有效。"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    created_by = optional_user(_("创建人"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("常态化下沉服务")
        verbose_name_plural = _("常态化下沉服务")
        ordering = ["station", "title", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(capacity__gte=1), name="recurring_capacity_at_least_1"),
            models.CheckConstraint(
                condition=models.Q(ends_time__gt=models.F("starts_time")), name="recurring_ends_after_start"
            ),
            models.CheckConstraint(
                condition=models.Q(frequency="monthly", day_of_month__gte=1, day_of_month__lte=31)
                | models.Q(frequency="weekly", weekday__gte=0, weekday__lte=6),
                name="recurring_rule_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.station} · {self.title}"

    @property
    def provider_label(self) -> str:
        return self.provider_name or (self.provider_unit.name if self.provider_unit_id else "")

    @property
    def rule_days(self) -> str:
        """The days in words: “每月15日”, “每周二”."""
        if self.frequency == self.Frequency.WEEKLY and self.weekday is not None:
            return gettext("每%(weekday)s") % {"weekday": self.Weekday(self.weekday).label}
        return gettext("每月%(day)s日") % {"day": self.day_of_month}

    @property
    def rule_text(self) -> str:
        """The rule in words: “每月15日 09:00–11:30”, “每周二 14:00–16:00”."""
        return f"{self.rule_days} {self.starts_time:%H:%M}–{self.ends_time:%H:%M}"

    def clean(self):
        errors = {}
        if self.frequency == self.Frequency.MONTHLY and not self.day_of_month:
            errors["day_of_month"] = _("每月的服务请填写几号。")
        if self.frequency == self.Frequency.WEEKLY and self.weekday is None:
            errors["weekday"] = _("每周的服务请选择星期几。")
        if self.starts_time and self.ends_time and self.ends_time <= self.starts_time:
            errors["ends_time"] = _("结束时间必须晚于开始时间。")
        if errors:
            raise ValidationError(errors)
