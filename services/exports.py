"""The Excel exports of residents' services (alliance.core.exports): orders with their timeline's key times and
rating, issues with the time each stage began, bookings, activities and their sign-ups.

Phones are masked as in the lists (the files are passed around); the change page shows them to staff in scope.
"""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from alliance.core.exports import Column, Export, label, text, when, yes_no
from alliance.core.privacy import mask_phone
from services.models import ActivitySignup, Issue, IssueEvent

ORDERS = Export(
    sheet=_("点单"),
    slug="orders",
    columns=[
        text(_("编号"), "id"),
        text(_("服务项目"), "title"),
        text(_("需求说明"), "text"),
        text(_("类别"), "category.name"),
        text(_("所在网格"), "grid_node.name"),
        Column(_("联系电话"), lambda o: mask_phone(o.contact_phone)),
        text(_("服务地址"), "address"),
        when(_("期望日期"), "wanted_on"),
        label(_("状态"), "status"),
        text(_("接单单位"), "unit.name"),
        when(_("点单时间"), "submitted_at"),
        when(_("接单时间"), "accepted_at"),
        when(_("服务时间"), "served_at"),
        when(_("送达确认时间"), "delivered_at"),
        when(_("评价时间"), "rated_at"),
        text(_("评分"), "rating"),
        text(_("评价"), "comment"),
        when(_("取消时间"), "cancelled_at"),
    ],
    select_related=["menu_item", "category", "grid_node", "unit"],
)


def _stage_began(stage: str):
    """When the issue first entered ``stage`` (its first move into it on the timeline)."""

    def get(issue):
        return next((e.at for e in issue.moves if e.status == stage), None)

    return get


ISSUES = Export(
    sheet=_("居民说事"),
    slug="issues",
    columns=[
        text(_("编号"), "id"),
        text(_("标题"), "title"),
        text(_("问题描述"), "text"),
        label(_("来源渠道"), "channel"),
        text(_("所在网格"), "grid_node.name"),
        text(_("具体位置"), "location"),
        Column(_("联系电话"), lambda o: mask_phone(o.contact_phone)),
        label(_("当前环节"), "status"),
        label(_("办理层级"), "level"),
        text(_("承办人"), "handler"),
        when(_("发现（反映）时间"), "reported_at"),
        Column(_("会商时间"), _stage_began(Issue.Status.CONSULTING)),
        Column(_("处置时间"), _stage_began(Issue.Status.HANDLING)),
        Column(_("反馈时间"), _stage_began(Issue.Status.FEEDBACK)),
        when(_("评价时间"), "rated_at"),
        text(_("满意度"), "rating"),
        text(_("评价意见"), "rating_comment"),
        yes_no(_("已因不满意重办"), "reopened"),
    ],
    select_related=["grid_node", "handler"],
    prefetch_related=[
        Prefetch(
            "events",
            queryset=IssueEvent.objects.filter(kind=IssueEvent.Kind.MOVED)
            .only("id", "issue_id", "status", "at")
            .order_by("at", "id"),
            to_attr="moves",
        )
    ],
)

BOOKINGS = Export(
    sheet=_("空间预约"),
    slug="bookings",
    columns=[
        text(_("编号"), "id"),
        text(_("所属站点或单位"), "room.owner_name"),
        text(_("空间"), "room.name"),
        when(_("开始时间"), "starts_at"),
        when(_("结束时间"), "ends_at"),
        text(_("用途"), "purpose"),
        text(_("人数"), "attendees"),
        text(_("预约人"), "booked_by"),
        label(_("状态"), "status"),
        when(_("预约时间"), "created_at"),
        when(_("取消时间"), "cancelled_at"),
    ],
    select_related=["room__station", "room__unit", "booked_by"],
)

ACTIVITIES = Export(
    sheet=_("活动"),
    slug="activities",
    columns=[
        text(_("编号"), "id"),
        text(_("活动名称"), "title"),
        label(_("类型"), "kind"),
        text(_("主办方"), "organiser"),
        text(_("所在网格"), "grid_node.name"),
        text(_("地点"), "place"),
        when(_("开始时间"), "starts_at"),
        when(_("结束时间"), "ends_at"),
        text(_("名额"), "capacity"),
        Column(_("报名人数"), lambda a: len(a.active_signups)),
        Column(_("签到人数"), lambda a: sum(1 for s in a.active_signups if s.checked_in_at)),
        label(_("状态"), "status"),
    ],
    select_related=["grid_node"],
    prefetch_related=[
        Prefetch(
            "signups",
            queryset=ActivitySignup.objects.filter(status=ActivitySignup.Status.SIGNED_UP).only(
                "id", "activity_id", "checked_in_at"
            ),
            to_attr="active_signups",
        )
    ],
)

SIGNUPS = Export(
    sheet=_("活动报名"),
    slug="signups",
    columns=[
        text(_("活动"), "activity.title"),
        when(_("活动开始时间"), "activity.starts_at"),
        text(_("报名人"), "user"),
        label(_("状态"), "status"),
        when(_("报名时间"), "signed_up_at"),
        when(_("签到时间"), "checked_in_at"),
        when(_("取消时间"), "cancelled_at"),
    ],
    select_related=["activity", "user"],
)


def signups_of(activities):
    """The sign-ups of the selected activities (already in the viewer's subtree), activity by activity."""
    return ActivitySignup.objects.filter(activity__in=activities).order_by("activity__starts_at", "activity_id", "id")


RECURRING = Export(
    sheet=_("常态化下沉服务"),
    slug="recurring-services",
    columns=[
        text(_("编号"), "id"),
        text(_("服务名称"), "title"),
        text(_("服务阵地"), "station.name"),
        Column(_("提供方"), lambda r: r.provider_label),
        Column(_("规则"), lambda r: r.rule_text),
        text(_("每次名额"), "capacity"),
        yes_no(_("启用"), "is_active"),
        when(_("有效期至"), "valid_until"),
    ],
    select_related=["station", "provider_unit"],
)
