"""A resident's own data: download it (JSON or Excel) and ask to be erased.

Erasure keeps the records, so the street's statistics still add up (orders served, issues
handled, activities attended), but takes the person out of them: the name becomes "已注销居民",
phone and addresses are blanked (in the records' history too), photos are removed, notifications
and API tokens deleted, and the account is deactivated and signed out.
"""

import datetime
import json
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from openpyxl import Workbook
from rest_framework.authtoken.models import Token

from alliance.core.cache import forget_all
from alliance.core.exports import xlsx_response
from alliance.core.models import NotificationPreference
from alliance.core.spreadsheets import append_row, workbook_bytes
from members.models import User
from services.models import Issue, IssuePhoto, Order

ERASED_NAME = "已注销居民"

# (section title, related name on the user) of the records a resident owns.
SECTIONS = (
    (gettext_lazy("点单"), "service_orders"),
    (gettext_lazy("居民说事"), "reported_issues"),
    (gettext_lazy("场地预约"), "bookings"),
    (gettext_lazy("活动报名"), "activity_signups"),
    (gettext_lazy("微心愿"), "wishes"),
    (gettext_lazy("消息"), "notifications"),
)
PROFILE_FIELDS = ("username", "display_name", "phone", "address", "role", "grid_node", "date_joined", "last_login")


def _value(obj, field):
    value = getattr(obj, field.attname)
    if field.is_relation:
        related = getattr(obj, field.name)
        return str(related) if related is not None else None
    if field.choices:
        return getattr(obj, f"get_{field.name}_display")()
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        if isinstance(value, datetime.datetime) and timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or None
    return value


def _fields(model):
    return [f for f in model._meta.concrete_fields if f.name not in ("id",)]


def collect(user: User) -> dict:
    """Everything stored about ``user`` that is theirs, as {section: [{label: value}]}."""
    data = {
        _("账号"): [
            {str(User._meta.get_field(n).verbose_name): _value(user, User._meta.get_field(n)) for n in PROFILE_FIELDS}
        ]
    }
    for title, related_name in SECTIONS:
        manager = getattr(user, related_name, None)
        if manager is None:
            continue
        fields = _fields(manager.model)
        data[str(title)] = [{str(f.verbose_name): _value(obj, f) for f in fields} for obj in manager.order_by("pk")]
    return data


@login_required
def privacy(request):
    return render(request, "privacy/index.html", {"can_erase": request.user.role == User.Role.RESIDENT})


@login_required
def export_json(request):
    body = json.dumps(collect(request.user), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="my-data.json"'
    return response


@login_required
def export_excel(request):
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in collect(request.user).items():
        sheet = workbook.create_sheet(title)
        headers = list(rows[0]) if rows else []
        sheet.append(headers)
        for row in rows:
            append_row(sheet, [row[h] for h in headers])
    today = timezone.localdate()
    filename = _("我的数据-%(date)s.xlsx") % {"date": f"{today:%Y%m%d}"}
    return xlsx_response(workbook_bytes(workbook), filename, "my-data.xlsx")


def erase_user(*, user: User, by: User) -> None:
    """Anonymise ``user`` and what they own; the records themselves stay for the statistics."""

    if by.pk != user.pk and not by.is_superuser:
        raise PermissionDenied(_("只能注销自己的账号。"))
    if user.role != User.Role.RESIDENT:
        raise PermissionDenied(_("工作人员、联络员和党员账号请联系管理员办理注销。"))
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        user.display_name = ERASED_NAME
        user.username = f"erased-{user.pk}"
        user.phone = ""
        user.address = ""
        user.email = ""
        user.first_name = ""
        user.last_name = ""
        user.is_active = False
        user.set_unusable_password()
        user.save()

        orders = Order.objects.filter(resident=user)
        orders.update(contact_phone="", address="")
        issues = Issue.objects.filter(reporter=user)
        issues.update(contact_phone="")
        for photo in IssuePhoto.objects.filter(issue__reporter=user):
            photo.image.delete(save=False)
            photo.delete()
        user.notifications.all().delete()
        # The WeChat binding (OpenID) goes, in its history too: the account can no longer be signed in by WeChat.
        NotificationPreference.objects.filter(user=user).update(wechat_openid="", wechat=False)
        NotificationPreference.history.filter(user_id=user.pk).update(wechat_openid="")

        Token.objects.filter(user=user).delete()

        # The history keeps every earlier version of a row: scrub the personal fields there too.
        User.history.filter(id=user.pk).update(
            display_name=ERASED_NAME,
            username=user.username,
            phone="",
            address="",
            email="",
            first_name="",
            last_name="",
        )
        Order.history.filter(resident_id=user.pk).update(contact_phone="", address="")
        Issue.history.filter(reporter_id=user.pk).update(contact_phone="")
        # A cached page may still show the resident's name (a wish they posted): build every page afresh.
        forget_all()


@login_required
@require_POST
def erase(request):
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("请勾选确认后再提交注销申请。"))
        return redirect("privacy")
    if request.user.role != User.Role.RESIDENT:
        raise PermissionDenied(_("工作人员、联络员和党员账号请联系管理员办理注销。"))
    erase_user(user=request.user, by=request.user)
    logout(request)
    messages.success(request, _("您的账号已注销，个人信息已清除。"))
    return redirect("home")
