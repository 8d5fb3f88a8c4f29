"""Binding a person's WeChat OpenID to their account, clearing it, and finding the account of an OpenID.

The OpenID is never typed: it comes from WeChat's web authorisation (``wechat_views``). One OpenID is
bound to one account at most (a database constraint); binding turns WeChat messages on.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from alliance.core.admin_base import is_admin_user
from alliance.core.models import NotificationPreference
from alliance.core.scoping import node_in_scope


def account_for_openid(openid: str):
    """The active account bound to ``openid``, or None."""
    preference = (
        NotificationPreference.objects.select_related("user")
        .filter(wechat_openid=openid, user__is_active=True)
        .exclude(wechat_openid="")
        .first()
    )
    return preference.user if preference else None


def bind_wechat(*, by, openid: str) -> NotificationPreference:
    """Bind ``openid`` to the signed-in person (replacing an earlier binding of theirs)."""
    if not getattr(by, "is_authenticated", False):
        raise PermissionDenied(_("请先登录。"))
    taken = _("这个微信已绑定其他账号，请先在那个账号中解除绑定。")
    if NotificationPreference.objects.filter(wechat_openid=openid).exclude(user_id=by.pk).exists():
        raise ValidationError(taken)
    try:
        with transaction.atomic():
            preference, _created = NotificationPreference.objects.select_for_update().get_or_create(user=by)
            preference.wechat_openid = openid
            preference.wechat = True
            preference.save(update_fields=["wechat_openid", "wechat"])
    except IntegrityError:  # bound to another account at the same moment
        raise ValidationError(taken) from None
    return preference


def unbind_wechat(*, by, preference: NotificationPreference) -> NotificationPreference:
    """Clear the binding: the person themself, or an admin whose subtree holds the person."""
    user = preference.user
    allowed = by.pk == user.pk or by.is_superuser or (is_admin_user(by) and node_in_scope(user.grid_node, by))
    if not allowed:
        raise PermissionDenied(_("无权解除该账号的微信绑定。"))
    with transaction.atomic():
        preference = NotificationPreference.objects.select_for_update().get(pk=preference.pk)
        preference.wechat_openid = ""
        preference.wechat = False
        preference.save(update_fields=["wechat_openid", "wechat"])
    return preference
