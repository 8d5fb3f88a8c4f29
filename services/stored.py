"""Texts services write into the database and pages show later: timeline notes and notices.

They are stored in Chinese (the source language), built from the message ids below; a page shows them through
``shown``, which recognises a stored text by its message id and gives it in the reader's language, the values
(names, titles: model data) as stored. A text no id matches (typed by people) is shown as stored.
"""

import re
from functools import cache

from django.conf import settings
from django.utils.translation import get_language, gettext, gettext_noop, override

from alliance.core.stored_text import placeholder_regex

# The values that are themselves choice labels (grid levels, issue stages): shown in the reader's language too.
LABELS = {"level", "step"}

TEXTS = [
    # Timeline notes (OrderEvent.note, IssueEvent.text)
    gettext_noop("上报至%(level)s"),
    gettext_noop("%(rating)s星 %(comment)s"),
    gettext_noop("%(rating)s星"),
    gettext_noop("提交%(committee)s：%(title)s"),
    gettext_noop("%(step)s环节超过%(limit)s个工作日未办结，自动上报"),
    gettext_noop("提醒%(count)s家单位"),
    gettext_noop("超时上报社区"),
    gettext_noop("提醒社区确认送达"),
    gettext_noop("该常态化服务已停止，本场次取消。"),
    # Notices (alliance.core.notifications): titles
    gettext_noop("新的点单：%(who)s预约了“%(item)s”"),
    gettext_noop("新的点单：%(who)s需要“%(category)s”服务"),
    gettext_noop("新的居民说事：%(who)s反映“%(title)s”"),
    gettext_noop("您的点单“%(title)s”已被%(provider)s接单"),
    gettext_noop("居民点单“%(title)s”已服务，请确认送达"),
    gettext_noop("您的点单“%(title)s”已送达，请评价"),
    gettext_noop("您反映的“%(title)s”已有处理结果，请评价"),
    gettext_noop("您也遇到的“%(title)s”已有处理结果"),
    gettext_noop("您公开的“%(title)s”已撤下说事墙"),
    gettext_noop("事项“%(title)s”已上报至%(level)s办理"),
    gettext_noop("居民对“%(title)s”不满意，事项已退回重办"),
    gettext_noop("活动“%(title)s”已取消"),
    gettext_noop("您预约的“%(room)s”已确认"),
    gettext_noop("您预约的“%(room)s”未通过"),
    gettext_noop("居民点单“%(title)s”待接单，请尽快处理"),
    gettext_noop("居民点单“%(title)s”超时无人接单，请社区协调"),
    gettext_noop("居民点单“%(title)s”已服务多日，请尽快确认送达"),
    gettext_noop("明天%(time)s：%(title)s"),
    # Notices: the sentences of their bodies (a body is one or more of these, one after another)
    gettext_noop("需求：%(need)s。"),
    gettext_noop("期望日期：%(month)s月%(day)s日。"),
    gettext_noop("请于%(deadline)s前接单。"),
    gettext_noop("请于%(deadline)s前协调接单。"),
    gettext_noop("原服务单位无法提供，现向同类服务单位开放接单。"),
    gettext_noop("地点：%(place)s。"),
    gettext_noop("请于%(deadline)s前处理。"),
    gettext_noop("原因：%(reason)s。事项照常办理。"),
    gettext_noop("取消原因：%(reason)s"),
    gettext_noop("%(when)s，用途：%(purpose)s。请按时使用。"),
    gettext_noop("%(when)s。原因：%(reason)s"),
    gettext_noop("地点：%(place)s"),
]


def stored(msgid: str, **values) -> str:
    """The text to store: ``msgid`` (one of TEXTS) in the source language with ``values``."""
    with override(settings.LANGUAGE_CODE):  # labels among the values (a grid level) in the source language too
        return msgid % {k: str(v) for k, v in values.items()} if values else msgid


@cache
def _patterns() -> list[tuple[str, re.Pattern]]:
    out = [(msgid, placeholder_regex(msgid)) for msgid in TEXTS]
    # Longer ids first: "%(rating)s星 %(comment)s" before "%(rating)s星".
    out.sort(key=lambda p: -len(p[0]))
    return out


def _translated(msgid: str, values: dict) -> str:
    values = {k: gettext(v) if k in LABELS and v else v for k, v in values.items()}
    return gettext(msgid) % values if values else gettext(msgid)


def shown(text: str) -> str:
    """``text`` as stored, in the reader's language when it is (a run of) TEXTS; as stored otherwise."""
    if not text or (get_language() or "").startswith("zh"):
        return text
    # Sentence by sentence (a notice's body is one or more of TEXTS, one after another), each as short as it can be.
    out, pos, translated = [], 0, False
    while pos < len(text):
        for msgid, pattern in _patterns():
            m = pattern.match(text, pos) if msgid.endswith("。") else pattern.fullmatch(text, pos)
            if m and m.end() > pos:
                out.append(_translated(msgid, m.groupdict()))
                translated = translated or gettext(msgid) != msgid
                pos = m.end()
                break
        else:
            break
    if pos == len(text):
        return " ".join(out) if translated else text
    # A value holding a full stop of its own: the whole text as one of TEXTS.
    for msgid, pattern in _patterns():
        m = pattern.fullmatch(text)
        if m:
            return _translated(msgid, m.groupdict())
    return text
