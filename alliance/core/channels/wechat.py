"""WeChat official account (公众号) through wechatpy: template messages and the web authorisation.

``WECHAT_SENDER = "alliance.core.channels.wechat.WeChatTemplateSender"`` sends ``message/template/send``
to the person's bound OpenID with the kind's template (``WECHAT_TEMPLATES``). The access token is
fetched once and kept in the Django cache (Redis) until shortly before it expires, for every process;
an expired token is fetched again by wechatpy. A refusal no retry cures (the person unfollowed the
account, an unknown OpenID or template) raises ``PermanentSendError``; others are retried.
"""

import requests
from django.conf import settings
from django.core.cache import cache
from wechatpy import WeChatClient
from wechatpy.exceptions import WeChatClientException, WeChatOAuthException
from wechatpy.oauth import WeChatOAuth
from wechatpy.session import SessionStorage

from alliance.core.channels.kinds import template_for
from alliance.core.senders import PermanentSendError

# errcodes no retry cures (https://developers.weixin.qq.com/doc/offiaccount/Getting_Started/Global_Return_Code.html)
PERMANENT_ERRCODES = frozenset(
    {
        40003,  # invalid openid
        40036,  # invalid template_id size
        40037,  # invalid template_id
        43004,  # require subscribe: the person no longer follows the account
        43101,  # user refuse to accept the msg
        47003,  # argument invalid (a value refused by the template)
    }
)
TOKEN_MARGIN_SECONDS = 300  # a cached token is dropped this long before WeChat expires it


class CacheStorage(SessionStorage):
    """wechatpy's session (the access token) in the Django cache, shared by every worker."""

    prefix = "wechat:"

    def get(self, key, default=None):
        return cache.get(self.prefix + key, default)

    def set(self, key, value, ttl=None):
        timeout = max(int(ttl) - TOKEN_MARGIN_SECONDS, 1) if ttl else None
        cache.set(self.prefix + key, value, timeout)

    def delete(self, key):
        cache.delete(self.prefix + key)


def api_base() -> str:
    return settings.WECHAT_API_BASE_URL.rstrip("/") + "/"


class TimeoutSession(requests.Session):
    """wechatpy's HTTP session with the timeout of settings on every call (its token and OAuth calls set none)."""

    def request(self, method, url, *args, **kwargs):
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = settings.WECHAT_TIMEOUT_SECONDS
        return super().request(method, url, *args, **kwargs)


class Client(WeChatClient):
    """wechatpy's client on the base URL of settings (its token URL is written in full in wechatpy)."""

    def __init__(self):
        super().__init__(
            settings.WECHAT_APP_ID,
            settings.WECHAT_APP_SECRET,
            session=CacheStorage(),
            timeout=settings.WECHAT_TIMEOUT_SECONDS,
        )
        self.API_BASE_URL = api_base() + "cgi-bin/"
        self._http = TimeoutSession()

    def fetch_access_token(self):
        params = {"grant_type": "client_credential", "appid": self.appid, "secret": self.secret}
        return self._fetch_access_token(url=self.API_BASE_URL + "token", params=params)


def client() -> Client:
    return Client()


class WeChatTemplateSender:
    """Template messages of the official account (模板消息) to a bound OpenID."""

    def __init__(self, channel: str = "wechat"):
        self.channel = channel

    def send(self, *, address: str, title: str, body: str = "", url: str = "", kind: str = "", params=None) -> str:
        template, values = template_for(
            settings.WECHAT_TEMPLATES,
            kind,
            title=title,
            body=body,
            url=url,
            params=params,
            limit=settings.WECHAT_PARAM_MAX_LENGTH,
            channel="微信",
        )
        site = settings.SITE_URL.rstrip("/")
        link = f"{site}{url}" if url and site else None  # WeChat opens only absolute links
        try:
            answer = client().message.send_template(
                address, template, {name: {"value": value} for name, value in values.items()}, url=link
            )
        except WeChatClientException as exc:
            message = f"微信 {exc.errcode}：{exc.errmsg}"
            if exc.errcode in PERMANENT_ERRCODES:
                raise PermanentSendError(message) from exc
            raise
        return str(answer.get("msgid", ""))


class OAuth(WeChatOAuth):
    """wechatpy's web authorisation with the base URLs and the timeout of settings."""

    def __init__(self, *, redirect_uri: str, state: str = ""):
        super().__init__(
            settings.WECHAT_APP_ID, settings.WECHAT_APP_SECRET, redirect_uri, scope="snsapi_base", state=state
        )
        self.API_BASE_URL = api_base()
        self.OAUTH_BASE_URL = settings.WECHAT_OAUTH_BASE_URL.rstrip("/") + "/"
        self._http = TimeoutSession()


class OAuthFailed(Exception):
    """WeChat did not give an OpenID for the code (expired, used, forged, or WeChat unreachable)."""


def authorize_url(*, redirect_uri: str, state: str) -> str:
    return OAuth(redirect_uri=redirect_uri, state=state).authorize_url


def openid_for(code: str, *, redirect_uri: str) -> str:
    """Exchange the code WeChat handed back for the person's OpenID."""
    try:
        answer = OAuth(redirect_uri=redirect_uri).fetch_access_token(code)
    except (WeChatOAuthException, OSError, ValueError) as exc:
        raise OAuthFailed(str(exc)) from exc
    openid = answer.get("openid") if isinstance(answer, dict) else None
    if not isinstance(openid, str) or not openid or len(openid) > 64:
        raise OAuthFailed("no openid")
    return openid
