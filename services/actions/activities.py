"""Activities: staff publish and cancel them; residents sign up within the capacity; staff check people in.

Every transition is a ``Step`` declared below (alliance.core.transitions); the points of a check-in and the
notice of a cancellation hear the events (alliance.points, services.handlers).
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alliance.core.errors import Conflict
from alliance.core.transitions import Step, lock, transition
from alliance.core.validators import normalize_phone
from members.models import User
from services import events as service_events
from services.actions._common import _now, _require_login, is_staff_in_scope
from services.models import Activity, ActivitySignup

ACTIVITY_FIELDS = ("kind", "organiser", "organiser_unit", "place", "capacity", "points", "description")

S = ActivitySignup.Status
# The moves of an activity and of a sign-up, declared once (a check-in moves ``checked_in_at``: check_in).
# fmt: off
CANCEL = Step(Activity.Status.CANCELLED, (Activity.Status.PUBLISHED,), gettext_lazy("该活动已取消。"),
              event=service_events.activity_cancelled)
SIGN_UP_AGAIN = Step(S.SIGNED_UP, (S.CANCELLED,), gettext_lazy("您已报名该活动。"), stamp="signed_up")
CANCEL_SIGNUP = Step(S.CANCELLED, (S.SIGNED_UP,), gettext_lazy("您没有报名该活动。"), stamp="cancelled")
# fmt: on


@transaction.atomic
def create_activity(*, by, grid_node, title: str, starts_at, ends_at, now=None, **fields) -> Activity:
    """Staff of a grid publish an activity there (报名中); it lies ahead and ends after it starts."""
    now = _now(now)
    if grid_node is None or not is_staff_in_scope(by, grid_node):
        raise PermissionDenied(_("只有该网格的工作人员可以发布活动。"))
    unknown = set(fields) - set(ACTIVITY_FIELDS)
    if unknown:
        raise TypeError(f"create_activity() got unexpected fields {sorted(unknown)}")
    errors = {}
    if starts_at is None or starts_at <= now:
        errors["starts_at"] = [_("活动开始时间须晚于现在。")]
    elif ends_at is None or ends_at <= starts_at:
        errors["ends_at"] = [_("结束时间须晚于开始时间。")]
    if errors:
        raise ValidationError(errors)
    return Activity.objects.create(grid_node=grid_node, title=title, starts_at=starts_at, ends_at=ends_at, **fields)


def cancel_activity(*, by, activity: Activity, reason: str, now=None) -> Activity:
    """Staff of the activity's grid cancel it, or the organising unit its own activity before it starts;
    everyone signed up hears why (``activity_cancelled``)."""
    if not is_staff_in_scope(by, activity.grid_node):
        if not is_organiser(by, activity):
            raise PermissionDenied(_("只有该网格的工作人员或主办单位可以取消活动。"))
        if activity.starts_at <= _now(now):
            raise ValidationError(_("活动已开始，不能取消。"))
    if activity.status == Activity.Status.CANCELLED:
        return activity
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写取消原因。")})
    return CANCEL.run(activity, by=by, now=now, payload={"reason": reason})


@transaction.atomic
def sign_up(*, by, activity: Activity, now=None) -> ActivitySignup:
    _require_login(by)
    now = _now(now)
    # The activity's row lock serialises its sign-ups, so the capacity holds under concurrency.
    activity = lock(activity)
    if activity.status != Activity.Status.PUBLISHED:
        raise ValidationError(_("该活动已取消。"))
    if activity.starts_at <= now:
        raise ValidationError(_("活动已开始，报名已截止。"))
    signup = ActivitySignup.objects.filter(activity=activity, user=by).first()
    if signup and signup.status == ActivitySignup.Status.SIGNED_UP:
        raise ValidationError(_("您已报名该活动。"))
    taken = ActivitySignup.objects.filter(activity=activity, status=ActivitySignup.Status.SIGNED_UP).count()
    if taken >= activity.capacity:
        raise Conflict(_("该活动名额已满。"))
    if signup is None:
        return ActivitySignup.objects.create(activity=activity, user=by, signed_up_at=now)
    return SIGN_UP_AGAIN.run(signup, by=by, now=now, fields={"cancelled_at": None})


def cancel_signup(*, by, activity: Activity, now=None) -> ActivitySignup:
    now = _now(now)
    signup = ActivitySignup.objects.filter(activity=activity, user=by, status=ActivitySignup.Status.SIGNED_UP).first()
    if signup is None:
        raise ValidationError(_("您没有报名该活动。"))
    if activity.starts_at <= now:
        raise ValidationError(_("活动已开始，不能取消报名。"))
    return CANCEL_SIGNUP.run(signup, by=by, now=now)


def is_organiser(user, activity: Activity) -> bool:
    """The operator of the unit that organises the activity."""
    if user is None or not user.is_authenticated:
        return False
    return bool(user.role == User.Role.UNIT_OPERATOR and user.unit_id and user.unit_id == activity.organiser_unit_id)


def can_check_in(user, activity: Activity) -> bool:
    """The organising unit's operator, or staff whose subtree holds the activity."""
    if user is None or not user.is_authenticated:
        return False
    return is_organiser(user, activity) or is_staff_in_scope(user, activity.grid_node)


def _require_check_in(by, activity: Activity) -> None:
    if not can_check_in(by, activity):
        raise PermissionDenied(_("只有活动所在网格的工作人员或主办单位可以签到。"))


def check_in(*, by, signup: ActivitySignup, now=None) -> ActivitySignup:
    """Staff in scope (or the organising unit) confirm a participant's check-in on the day.

    The transition is on ``checked_in_at`` (empty → the moment): of two check-ins at once the second is
    refused, so the points of ``signup_checked_in`` are earned once.
    """
    now = _now(now)
    activity = signup.activity
    _require_check_in(by, activity)
    if signup.status != ActivitySignup.Status.SIGNED_UP:
        raise ValidationError(_("该报名已取消，不能签到。"))
    if now < activity.starts_at - datetime.timedelta(hours=1) or now > activity.ends_at:
        raise ValidationError(_("只能在活动开始前1小时至活动结束之间签到。"))
    return transition(
        signup,
        state_field="checked_in_at",
        to=now,
        sources=(None,),
        refused=_("已签到。"),
        by=by,
        now=now,
        stamp="checked_in",
        event=service_events.signup_checked_in,
    )


def check_in_person(
    *, by, activity: Activity, signup_id: int | None = None, user_id: int | None = None, phone: str = "", now=None
) -> ActivitySignup:
    """Check a participant in by their sign-up, their account or their phone number (one of the three).

    Whoever may not check people in learns nothing about who signed up: the role is checked first.
    """
    _require_check_in(by, activity)
    signups = ActivitySignup.objects.filter(activity=activity).select_related("user")
    if signup_id is not None:
        found, field = list(signups.filter(pk=signup_id)), "signup"
    elif user_id is not None:
        found, field = list(signups.filter(user_id=user_id)), "user"
    elif (phone or "").strip():
        found, field = list(signups.filter(user__phone=normalize_phone(phone))[:2]), "phone"
    else:
        raise ValidationError(_("请给出报名记录、报名人或报名人的手机号码（三选一）。"))
    if not found:
        raise ValidationError({field: [_("未找到该活动的这条报名记录。")]})
    if len(found) > 1:
        raise ValidationError({"phone": [_("该号码对应多位报名人，请按报名人签到。")]})
    signup = found[0]
    signup.activity = activity
    return check_in(by=by, signup=signup, now=now)
