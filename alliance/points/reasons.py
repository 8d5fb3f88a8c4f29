"""The reasons points entries carry: stored in Chinese (the record), shown in the reader's language.

An award writes its reason from one of these patterns, always in Chinese whatever language the request
speaks (``written``); ``shown`` finds the pattern again in a stored reason and says it in the active language.
The titles and amounts in a reason are data and stay as they are; a reason an admin typed (a correction's) is
shown as typed, except the admin list's own 管理员冲销.
"""

from django.utils.translation import gettext, gettext_noop

from alliance.core.stored_text import placeholder_regex

CHECKIN = gettext_noop("参加活动签到：%(title)s")
VOLUNTEER_HOURS = gettext_noop("志愿服务 %(hours)s 小时：%(title)s")
ORDER_DELIVERED = gettext_noop("点单服务送达：%(title)s")
ORDER_RATED = gettext_noop("点单服务获%(stars)s星好评：%(title)s")
CLAIM_COMPLETED = gettext_noop("认领项目完成：%(title)s")
CLAIM_HOURS = gettext_noop("认领项目服务 %(hours)s 小时：%(title)s")
CLAIM_EVALUATED = gettext_noop("认领项目获%(score)s分评价：%(title)s")
CORRECTION = gettext_noop("更正：%(reason)s")
REVERSED = gettext_noop("管理员冲销")  # the reason of the admin list's 冲销 (a correction's own reason)

PATTERNS = (CHECKIN, VOLUNTEER_HOURS, ORDER_DELIVERED, ORDER_RATED, CLAIM_COMPLETED, CLAIM_HOURS, CLAIM_EVALUATED)
KNOWN = (REVERSED,)


_COMPILED = tuple((pattern, placeholder_regex(pattern)) for pattern in PATTERNS)
_CORRECTION = placeholder_regex(CORRECTION)


def written(pattern: str, **values) -> str:
    """The reason stored: the Chinese pattern filled in, cut to the field's length."""
    return (pattern % values)[:200]


def shown(reason: str) -> str:
    """A stored reason in the active language (as stored when it matches no pattern)."""
    if reason in KNOWN:
        return gettext(reason)
    if match := _CORRECTION.fullmatch(reason):
        return gettext(CORRECTION) % {"reason": shown(match["reason"])}
    for pattern, regex in _COMPILED:
        if match := regex.fullmatch(reason):
            return gettext(pattern) % match.groupdict()
    return reason
