"""API tokens that end: after ``API_TOKEN_TTL_DAYS``, on the owner's password change or
deactivation (members.signals deletes them), and on ``POST /api/v1/auth/logout/``.

``ExpiringTokenAuthentication`` is DRF's TokenAuthentication with an age check; the token
endpoint (alliance.core.auth_api) hands out a fresh token when the stored one has expired.
"""

import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token


def token_ttl() -> datetime.timedelta:
    return datetime.timedelta(days=getattr(settings, "API_TOKEN_TTL_DAYS", 30))


def is_expired(token: Token, now=None) -> bool:
    return token.created <= (now or timezone.now()) - token_ttl()


class ExpiringTokenAuthentication(TokenAuthentication):
    """``Authorization: Token <key>``; refused once the token is older than the TTL or its owner is inactive."""

    def authenticate_credentials(self, key):
        try:
            # The user's grid node and unit too: most writes read them (−1 query each, a join on a key).
            token = Token.objects.select_related("user", "user__grid_node", "user__unit").get(key=key)
        except Token.DoesNotExist:
            raise exceptions.AuthenticationFailed(_("登录凭证无效，请重新登录。")) from None
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("账号已停用。"))
        if is_expired(token):
            token.delete()
            raise exceptions.AuthenticationFailed(_("登录凭证已过期，请重新登录。"))
        return token.user, token
