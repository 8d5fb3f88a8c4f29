"""What the volunteering actions share: who may act."""

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alliance.core.scoping import require_in_scope, sees_all

NOT_YOURS = gettext_lazy("只有报到社区（或上级街道）的管理员才能办理。")


def _now(now):
    return now or timezone.now()


def require_login(by) -> None:
    if by is None or not by.is_authenticated:
        raise PermissionDenied(_("请先登录。"))


def require_community_admin(by, obj) -> None:
    """The admins of the record's community or of the street above it (and superusers)."""
    require_login(by)
    if sees_all(by):
        return
    if by.role not in by.ADMIN_ROLES:
        raise PermissionDenied(NOT_YOURS)
    require_in_scope(by, obj, str(NOT_YOURS))
