"""Orders (点单): submitted → accepted → served (unit) → delivered (community confirms) → rated;
cancelled; declined back to submitted (offered to the other units of the category).

Every transition is a ``Step`` declared below (alliance.core.transitions: row lock, timeline, event);
the notifications and points that follow hear the events (services.handlers, alliance.points).
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alliance.core import events
from alliance.core.api_atomic import action_atomic
from alliance.core.errors import Conflict
from alliance.core.inputs import clean_input
from alliance.core.transitions import Step, locked_row
from members.models import User
from projects import categories
from services import events as service_events
from services import selectors
from services.actions._common import _contact_phone, _now, _rating, _require_login, is_staff_in_scope
from services.models import MenuItem, Order, OrderEvent
from services.stored import stored

ACCEPT_REFUSED = gettext_lazy("该点单当前状态不能接单。")
ACCEPT_TAKEN = {Order.Status.ACCEPTED: gettext_lazy("该点单已被其他单位接单。")}
DECLINE_REFUSED = gettext_lazy("只有待接单的点单可以婉拒。")
DECLINE_REASON_REQUIRED = gettext_lazy("请填写婉拒理由，居民会在点单上看到。")

S, K = Order.Status, OrderEvent.Kind
# The moves of an order, declared once (accept and decline also check them on the order as read).
# fmt: off
CANCEL = Step(S.CANCELLED, (S.SUBMITTED,), gettext_lazy("该点单已被接单或已结束，不能取消。"), stamp="cancelled",
              timeline=K.CANCELLED, event=service_events.order_cancelled)
ACCEPT = Step(S.ACCEPTED, (S.SUBMITTED,), ACCEPT_REFUSED, ACCEPT_TAKEN, stamp="accepted", timeline=K.ACCEPTED,
              event=service_events.order_accepted)
DECLINE = Step(S.SUBMITTED, (S.SUBMITTED,), DECLINE_REFUSED,
               dict.fromkeys((S.ACCEPTED, S.CANCELLED), gettext_lazy("该点单已被接单或已取消。")),
               timeline=K.DECLINED, event=service_events.order_declined)
SERVE = Step(S.SERVED, (S.ACCEPTED,), gettext_lazy("只有已接单的点单可以标记已服务。"),
             {S.SERVED: gettext_lazy("该点单已标记为已服务，正等待社区确认送达。")},
             stamp="served", timeline=K.SERVED, event=service_events.order_served)
DELIVER = Step(S.DELIVERED, (S.ACCEPTED, S.SERVED), gettext_lazy("只有已接单或已服务的点单可以确认送达。"),
               dict.fromkeys((S.DELIVERED, S.RATED), gettext_lazy("该点单已确认送达。")), stamp="delivered", timeline=K.DELIVERED,
               event=service_events.order_delivered)
RATE = Step(S.RATED, (S.DELIVERED,), gettext_lazy("服务送达后才能评价。"), stamp="rated", timeline=K.RATED,
            event=service_events.order_rated)
# fmt: on


@action_atomic()
def submit_order(
    *,
    by,
    menu_item: MenuItem | None = None,
    category=None,
    text: str = "",
    contact_phone: str = "",
    address: str = "",
    wanted_on: datetime.date | None = None,
    now=None,
) -> Order:
    """A resident orders a menu item (居民点单) or asks in free text within a category."""
    _require_login(by)
    now = _now(now)
    text = (text or "").strip()
    if by.grid_node_id is None:
        raise ValidationError(
            {
                "grid_node": _("请先在个人资料页面（%(url)s）设置所在社区或微网格，再点单。")
                % {"url": reverse("profile")}
            }
        )
    if menu_item is None:
        if category is None:
            raise ValidationError({"category": _("请选择服务类别。")})
        if not text:
            raise ValidationError({"text": _("请说明您需要什么服务。")})
    else:
        # Lock the item so the per-day capacity holds when many residents order at once: its row alone
        # (alliance.core.transitions.locked_row; a join locked the grid node too, a whole street's, and every
        # order of that area queued on it). Its category, whose name shows its parent's, is the process's copy
        # (projects.categories: a join of both under the lock was half of it). Its area is checked by id against
        # the ids on the resident's node's path; the area's own row (a street's whole boundary) is not read.
        locked = locked_row(MenuItem, menu_item.pk)
        if locked is None:  # the API names it by id only (LockedRecordField)
            raise ValidationError({"menu_item": _("没有这项服务，请从服务菜单中选择。")})
        menu_item = locked
        # (A category the copy does not know is read as before, by the item: its key forbids a missing one.)
        menu_item.category = categories.category(menu_item.category_id) or menu_item.category
        if not menu_item.is_active:
            raise ValidationError({"menu_item": _("该服务已下架。")})
        if menu_item.grid_scope_id not in by.grid_node.ancestor_ids:
            raise ValidationError({"menu_item": _("您所在的网格不在该服务的服务范围内。")})
        day = wanted_on or timezone.localdate(now)
        taken = selectors.orders_taken_on(menu_item, day)
        if taken >= menu_item.capacity_per_day:
            raise Conflict(_("该服务当日名额已满，请选择其他日期。"))
        category = menu_item.category
    if wanted_on and wanted_on < timezone.localdate(now):
        raise ValidationError({"wanted_on": _("期望日期不能早于今天。")})
    contact_phone = _contact_phone(contact_phone, by)
    order = Order.objects.create(
        resident=by,
        menu_item=menu_item,
        category=category,
        text=text,
        grid_node=by.grid_node,
        contact_phone=contact_phone,
        address=(address or by.address or "").strip(),
        wanted_on=wanted_on,
        offered_to_all=menu_item is None,
        submitted_at=now,
    )
    submitted = order.record_timeline(OrderEvent.Kind.SUBMITTED, by=by, at=now)
    order.created_with = {"events": [submitted]}  # its whole timeline: the API answers without reading it again
    events.send_on_commit(service_events.order_submitted, sender=Order, instance=order, by=by)
    return order


def cancel_order(*, by, order: Order, now=None) -> Order:
    """The resident cancels before any unit accepted."""
    if by.pk != order.resident_id:
        raise PermissionDenied(_("只能取消自己的点单。"))
    return CANCEL.run(order, by=by, now=now)


def _require_offered(by, order: Order):
    """The unit offered the order, or (for a station's own menu item) the staff running that station."""
    station = order.menu_item.provider_station if order.menu_item is not None else None
    if station is not None and not order.offered_to_all and is_staff_in_scope(by, station.grid_node):
        return
    if by.role != User.Role.UNIT_OPERATOR or not by.unit_id:
        raise PermissionDenied(_("只有提供该服务的成员单位或服务站工作人员可以接单。"))
    if not selectors.order_offered_to_unit(order, by.unit):
        raise PermissionDenied(_("该点单不在本单位的服务范围内。"))


def _provider_unit(by):
    return by.unit if by.role == User.Role.UNIT_OPERATOR and by.unit_id else None


def accept_order(*, by, order: Order, now=None) -> Order:
    """A unit accepts (单位接单): of two units accepting at once, the second waits for the lock and hears 409."""
    ACCEPT.check(order)  # before the role check: a unit arriving late hears "already taken", not "not yours"
    _require_offered(by, order)
    unit = _provider_unit(by)
    return ACCEPT.run(order, by=by, now=now, fields={"unit": unit}, details={"unit": unit})


@transaction.atomic
def decline_order(*, by, order: Order, reason: str = "", now=None) -> Order:
    """A unit declines with a reason the resident reads on the order; the order stays submitted and is
    offered to the other units of the category."""
    DECLINE.check(order, conflicts=False)  # the order as read: a 400 as ever; under the lock a 409
    _require_offered(by, order)
    note = clean_input(reason or "")  # a reason of only spaces or invisible characters is none
    if not note:
        raise ValidationError({"reason": DECLINE_REASON_REQUIRED})
    unit = _provider_unit(by)
    order = DECLINE.run(order, by=by, now=now, fields={"offered_to_all": True}, note=note, details={"unit": unit})
    if unit is not None:
        order.declined_units.add(unit)
    return order


def _require_server(by, order: Order):
    """The unit serving the order, or (a station's own item, accepted by its staff) staff in scope of the station."""
    if order.unit_id is not None:
        if by.role == User.Role.UNIT_OPERATOR and by.unit_id == order.unit_id:
            return
        raise PermissionDenied(_("只有接单单位可以标记已服务。"))
    station = order.menu_item.provider_station if order.menu_item is not None else None
    if station is not None and is_staff_in_scope(by, station.grid_node):
        return
    raise PermissionDenied(_("只有提供该服务的服务站工作人员可以标记已服务。"))


def serve_order(*, by, order: Order, note: str = "", now=None) -> Order:
    """The serving unit marks the order served (已服务，待社区确认); the community confirms delivery after."""
    _require_login(by)
    _require_server(by, order)
    return SERVE.run(order, by=by, now=now, note=(note or "").strip(), details={"unit": _provider_unit(by)})


def confirm_delivery(*, by, order: Order, now=None) -> Order:
    """The community confirms delivery (社区送达): a grid worker or community staff in scope.

    From "served" (the unit marked it), or straight from "accepted" when the community saw the
    service done itself (a station's own service, or a unit that did not mark it). The serving
    unit's delivery points and the resident's request for a rating hear ``order_delivered``.
    """
    _require_login(by)
    if by.role == User.Role.UNIT_OPERATOR:
        raise PermissionDenied(_("送达须由社区网格员或社区工作人员确认，服务单位请标记“已服务”。"))
    if not is_staff_in_scope(by, order.grid_node):
        raise PermissionDenied(_("只有该点单所在社区的网格员或工作人员可以确认送达。"))
    return DELIVER.run(order, by=by, now=now)


# The old name: "deliver" is the community's confirmation (社区送达), as in the spec's API.
deliver_order = confirm_delivery


def rate_order(*, by, order: Order, rating, comment: str = "", now=None) -> Order:
    """The resident rates a delivered order, 1–5 (居民评价); the rating's points hear ``order_rated``."""
    if by.pk != order.resident_id:
        raise PermissionDenied(_("只能评价自己的点单。"))
    rating = _rating(rating)
    fields = {"rating": rating, "comment": (comment or "").strip()[:300]}
    return RATE.run(
        order,
        by=by,
        now=now,
        fields=fields,
        note=stored("%(rating)s星 %(comment)s", rating=rating, comment=comment.strip())
        if (comment or "").strip()
        else stored("%(rating)s星", rating=rating),
    )
