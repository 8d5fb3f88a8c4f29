"""Texts the code stores in Chinese (the source language) and pages show later in the reader's language.

A stored text is a message id filled in with values (names, titles: model data). ``placeholder_regex`` turns the
message id back into a pattern with one named group per ``%(name)s`` placeholder, so a page can recognise the
stored text and say it again with ``gettext(msgid) % match.groupdict()``. The apps keep their own message ids
(services.stored, alliance.points.reasons).
"""

import re

_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def placeholder_regex(msgid: str) -> re.Pattern:
    """``志愿服务 %(hours)s 小时：%(title)s`` → ``志愿服务 (?P<hours>.*?) 小时：(?P<title>.*?)`` (use it with
    ``fullmatch``, or ``match`` for a text that goes on after it)."""
    parts, pos = [], 0
    for m in _PLACEHOLDER.finditer(msgid):
        parts.append(re.escape(msgid[pos : m.start()]))
        parts.append(f"(?P<{m.group(1)}>.*?)")
        pos = m.end()
    parts.append(re.escape(msgid[pos:]))
    return re.compile("".join(parts), re.S)
