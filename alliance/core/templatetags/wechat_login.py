"""``{% wechat_login_enabled as on %}``: whether to offer WeChat sign-in here (an official account is set and
the page is open in WeChat's browser, the only one WeChat's authorisation answers)."""

from django import template

from alliance.core.channels.wechat_views import enabled, in_wechat

register = template.Library()


@register.simple_tag(takes_context=True)
def wechat_login_enabled(context) -> bool:
    request = context.get("request")
    return enabled() and request is not None and in_wechat(request)
