"""``{% wechat_login_enabled as on %}``: whether the site offers WeChat sign-in (an official account is set)."""

from django import template

from alliance.core.channels.wechat_views import enabled

register = template.Library()


@register.simple_tag
def wechat_login_enabled() -> bool:
    return enabled()
