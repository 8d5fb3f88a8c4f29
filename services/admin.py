"""Admin of residents' services. Transitions (deliver, escalate, cancel a booking) go through services.actions."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from alliance.core.admin_base import (
    ReadOnlyInline,
    ScopedAdmin,
    ScopedInline,
    SingletonAdmin,
    Transition,
    adopt,
    reason_form,
)
from alliance.core.admin_parts import CreatedByAction, PrintLink, given
from alliance.core.admin_waiting import WaitingColumn
from alliance.core.export_admin import RelatedExport
from alliance.core.privacy import mask_phone
from alliance.core.search import GramSearch, GramSearchAdmin
from alliance.core.todo import todo_filter
from projects import categories
from services import actions, todo
from services.deadlines import ISSUE_TIMED, ORDER_TIMED, Clock
from services.exports import ACTIVITIES, BOOKINGS, ISSUES, ORDERS, RECURRING, SIGNUPS, signups_of
from services.models import (
    Activity,
    ActivitySignup,
    Booking,
    Holiday,
    Issue,
    IssueEvent,
    IssueMeToo,
    IssuePhoto,
    MenuItem,
    Order,
    OrderEvent,
    RecurringService,
    ReplyTemplate,
    Room,
    ServiceSettings,
    ServiceStation,
)


@admin.register(ServiceSettings)
class ServiceSettingsAdmin(SingletonAdmin):
    list_display = ["__str__", "order_remind_days", "order_escalate_days", "issue_handling_days"]


@admin.register(Holiday)
class HolidayAdmin(ScopedAdmin):
    street_admin_edits = True
    list_display = ["date", "name", "is_workday"]
    list_filter = ["is_workday"]
    date_hierarchy = "date"


@admin.register(ReplyTemplate)
class ReplyTemplateAdmin(ScopedAdmin):
    street_admin_edits = True
    list_display = ["title", "step", "sort_order"]
    list_filter = ["step"]


class RoomInline(ScopedInline):
    model = Room
    fk_name = "station"
    fields = ["name", "capacity", "facilities", "opens_at", "closes_at", "is_active", "needs_approval"]


@admin.register(ServiceStation)
class ServiceStationAdmin(ScopedAdmin):
    list_display = ["name", "kind", "grid_node", "head_name", "star_rating", "is_active"]
    list_filter = ["kind", "star_rating", "is_active"]
    search_fields = ["name", "address", "head_name"]
    list_select_related = ["grid_node"]
    inlines = [RoomInline]


@admin.register(Room)
class RoomAdmin(ScopedAdmin):
    list_display = ["name", "owner_name", "grid_node", "capacity", "is_active", "needs_approval"]
    list_filter = ["is_active", "needs_approval"]
    search_fields = ["name", "station__name", "unit__name"]
    list_select_related = ["station", "unit", "grid_node"]
    raw_id_fields = ["unit"]

    @admin.display(description=_("所属阵地或单位"))
    def owner_name(self, obj):
        return obj.owner_name


@admin.register(Booking)
class BookingAdmin(ScopedAdmin):
    export = BOOKINGS
    list_display = ["room", "starts_at", "ends_at", "purpose", "attendees", "status", "booked_by"]
    list_filter = [todo_filter(todo.LINES), "status"]
    date_hierarchy = "starts_at"
    list_select_related = ["room", "room__station", "room__unit", "booked_by"]
    # Times and room are checked against other bookings by actions.book_room: not changed here.
    workflow_fields = ["room", "starts_at", "ends_at", "attendees", "decline_reason"]
    transitions = (
        Transition(
            "confirm",
            _("确认预约"),
            actions.confirm_booking,
            when=("pending",),
            done=_("已确认"),
        ),
        Transition(
            "decline",
            _("退回预约"),
            actions.decline_booking,
            when=("pending",),
            form=reason_form(_("退回原因"), max_length=200),
            done=_("已退回"),
        ),
        Transition(
            "cancel_selected",
            _("取消预约"),
            actions.cancel_booking,
            bulk_label=_("取消所选预约"),
            when=("confirmed", "pending"),
            done=_("已取消"),
        ),
    )

    def has_add_permission(self, request, *args):
        # Bookings are made in the portal (actions.book_room checks opening hours and overlaps).
        return False


@admin.register(MenuItem)
class MenuItemAdmin(ScopedAdmin):
    list_display = [
        "title",
        "category",
        "provider_unit",
        "provider_station",
        "grid_scope",
        "capacity_per_day",
        "is_active",
    ]
    list_filter = ["is_active", "category__parent"]
    search_fields = ["title", "description", "provider_unit__name", "provider_station__name"]
    list_select_related = ["category", "category__parent", "provider_unit", "provider_station", "grid_scope"]
    raw_id_fields = ["provider_unit"]


class OrderEventInline(ReadOnlyInline):
    model = OrderEvent
    fields = ["kind", "by", "unit", "note", "at"]
    readonly_fields = fields


@admin.register(Order)
class OrderAdmin(GramSearchAdmin, WaitingColumn, ScopedAdmin):
    export = ORDERS
    list_display = [
        "id",
        "__str__",
        "category",
        "grid_node",
        "masked_phone",
        "status",
        "time_limit",
        "unit",
        "submitted_at",
    ]
    waiting_states = tuple(ORDER_TIMED)
    waiting_since = ORDER_TIMED
    # A date filter, not date_hierarchy: the hierarchy reads the distinct years of a million orders per page.
    list_filter = [todo_filter(todo.LINES), "status", "category__parent", ("submitted_at", admin.DateFieldListFilter)]
    search_fields = ["text", "menu_item__title"]
    # The text and the menu items' titles through their gram indexes (services/migrations/0016 and 0018).
    gram_search = GramSearch(("text",), related=(("menu_item", MenuItem, ("title",), ("title",)),))
    # The category and its parent come from the process's copy (get_changelist_instance): two joins fewer, and
    # the planning of the list's query 2.3 → 0.5 ms at city scale.
    list_select_related = ["menu_item", "grid_node", "unit"]
    raw_id_fields = ["menu_item"]
    # Who serves and what the resident said are the workflow's, like the state and its stamps.
    workflow_fields = ["resident", "unit", "offered_to_all", "declined_units", "comment"]
    inlines = [OrderEventInline]
    transitions = (
        Transition("accept", _("接单"), actions.accept_order, when=("submitted",), done=_("已接单")),
        Transition(
            "decline",
            _("婉拒"),
            actions.decline_order,
            when=("submitted",),
            form=reason_form(_("婉拒理由")),
            done=_("已婉拒"),
        ),
        # The serving unit marks an order served (a station's own items: its staff); the community confirms
        # delivery (社区送达), from served, or from accepted when it saw the service done itself.
        Transition("serve", _("标记已服务"), actions.serve_order, when=("accepted",), done=_("已标记为已服务")),
        Transition(
            "deliver_selected",
            _("确认送达"),
            actions.confirm_delivery,
            bulk_label=_("确认所选点单已送达"),
            when=("accepted", "served"),
            done=_("已确认送达"),
        ),
    )

    def waiting_clock(self):
        return Clock.read()

    def with_overdue(self, clock, qs):
        return clock.orders(qs)

    def waiting_of(self, clock, obj):
        return clock.order_waiting(obj)

    def has_add_permission(self, request, *args):
        # Orders are the residents' own (actions.submit_order, in the portal and the API).
        return False

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        field = Order._meta.get_field("category")
        for obj in changelist.result_list:  # the page's rows, read by WaitingColumn
            if (category := categories.category(obj.category_id)) is not None:
                field.set_cached_value(obj, category)  # shown as 「上级 · 类别」; an unknown id is read as usual
        return changelist

    @admin.display(description=_("联系电话"))
    def masked_phone(self, obj):
        # Lists are exported and screenshotted: mask; the change page shows it to staff in scope.
        return mask_phone(obj.contact_phone)


class IssueEventInline(ReadOnlyInline):
    model = IssueEvent
    fields = ["kind", "status", "level", "by", "text", "at"]
    readonly_fields = fields


class IssueMeTooInline(ReadOnlyInline):
    model = IssueMeToo
    fields = ["person", "created_at"]
    readonly_fields = fields
    verbose_name_plural = _("同样遇到的居民")


class IssuePhotoInline(ReadOnlyInline):
    model = IssuePhoto
    fields = ["image", "uploaded_at"]
    readonly_fields = fields


@admin.register(Issue)
class IssueAdmin(GramSearchAdmin, PrintLink, WaitingColumn, ScopedAdmin):
    print_url_name = "services_ws:issue_print"
    export = ISSUES
    list_display = [
        "id",
        "title",
        "channel",
        "grid_node",
        "status",
        "time_limit",
        "level",
        "handler",
        "rating",
        "reopened",
        "reported_at",
    ]
    list_filter = [
        todo_filter(todo.LINES),
        "status",
        "level",
        "channel",
        "reopened",
        "is_public",
        ("reported_at", admin.DateFieldListFilter),
    ]
    waiting_states = ISSUE_TIMED
    waiting_since = dict.fromkeys(ISSUE_TIMED, "step_started_at")
    search_fields = ["title", "text", "location"]
    gram_search = GramSearch(("title", "text", "location"))  # services/migrations/0016_search_grams
    list_select_related = ["grid_node", "handler"]
    workflow_fields = [
        "reporter",
        "level",
        "handler",
        "unsatisfied_handler",
        "matter",
        "channel",
        # 说事墙: the reporter publishes it, staff take it down (buttons below), nobody ticks a box.
        "is_public",
        "takedown_reason",
    ]
    inlines = [IssuePhotoInline, IssueEventInline, IssueMeTooInline]
    transitions = (
        Transition(
            "move_on",
            _("推进到下一环节"),
            actions.move_issue,
            when=("discovered", "consulting", "handling"),
            form=reason_form(_("办理说明（进入反馈环节时为反馈给居民的处理结果）"), name="text", required=False),
            done=_("已推进"),
        ),
        Transition(
            "escalate_selected",
            _("上报上一级"),
            actions.escalate_issue,
            bulk_label=_("将所选事项上报上一级"),
            when=("discovered", "consulting", "handling"),
            form=reason_form(_("上报理由")),
            done=_("已上报"),
        ),
        Transition(
            "take_down",
            _("撤下说事墙"),
            actions.take_down_issue,
            state_field="is_public",
            when=(True,),
            form=reason_form(_("撤下原因（如含有个人信息）"), max_length=200),
            done=_("已撤下说事墙"),
        ),
        Transition(
            "raise_as_matter",
            _("提交大工委"),
            actions.raise_issue_as_matter,
            when=("discovered", "consulting", "handling", "feedback"),
            done=_("已提交大工委"),
        ),
    )

    def waiting_clock(self):
        return Clock.read()

    def with_overdue(self, clock, qs):
        return clock.issues(qs)

    def waiting_of(self, clock, obj):
        return clock.issue_waiting(obj)

    def has_add_permission(self, request, *args):
        # Issues are reported by residents or recorded by grid workers through actions.report_issue.
        return False


class SignupInline(ReadOnlyInline):
    model = ActivitySignup
    fields = ["user", "status", "signed_up_at", "checked_in_at"]


@admin.register(Activity)
class ActivityAdmin(CreatedByAction, ScopedAdmin):
    export = ACTIVITIES
    related_exports = (RelatedExport("export_signups", _("导出所选活动的报名名单"), SIGNUPS, signups_of),)
    list_display = ["title", "kind", "organiser", "grid_node", "starts_at", "capacity", "status"]
    list_filter = ["kind", "status"]
    search_fields = ["title", "organiser", "place"]
    date_hierarchy = "starts_at"
    list_select_related = ["grid_node"]
    raw_id_fields = ["organiser_unit"]
    inlines = [SignupInline]
    transitions = (
        Transition(
            "cancel",
            _("取消活动"),
            actions.cancel_activity,
            when=("published",),
            form=reason_form(_("取消原因")),
            done=_("已取消"),
        ),
    )

    def create(self, request, obj, data):
        return actions.create_activity(
            by=request.user,
            grid_node=obj.grid_node,
            title=obj.title,
            starts_at=obj.starts_at,
            ends_at=obj.ends_at,
            **given(data, actions.ACTIVITY_FIELDS),
        )


class OccurrenceInline(ReadOnlyInline):
    model = Activity
    fk_name = "recurring_service"
    fields = ["title", "occurs_on", "starts_at", "capacity", "status"]
    readonly_fields = fields
    verbose_name = _("场次")
    verbose_name_plural = _("未来场次")

    def get_queryset(self, request):
        return super().get_queryset(request).order_by("starts_at")


@admin.register(RecurringService)
class RecurringServiceAdmin(ScopedAdmin):
    """Recurring station services (常态化下沉服务): added and changed through the action, which re-plans the next
    30 days' occurrences (services.actions.recurring)."""

    export = RECURRING
    list_display = ["title", "station", "provider_unit", "provider_name", "rule_text", "capacity", "is_active"]
    list_filter = ["is_active", "frequency", "kind"]
    search_fields = ["title", "provider_name", "station__name", "provider_unit__name"]
    list_select_related = ["station", "provider_unit"]
    raw_id_fields = ["provider_unit"]
    readonly_fields = ["created_at", "created_by"]
    inlines = [OccurrenceInline]

    @admin.display(description=_("规则"))
    def rule_text(self, obj):
        return obj.rule_text

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in actions.RULE_FIELDS if name in form.cleaned_data}
        rule = RecurringService.objects.get(pk=obj.pk) if change else None
        adopt(obj, actions.save_recurring_service(by=request.user, rule=rule, **fields))
