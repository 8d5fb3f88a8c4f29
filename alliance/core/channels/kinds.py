"""The provider's template of a message: chosen by the message's kind, filled from the message."""

from django.conf import settings

from alliance.core.senders import PermanentSendError


def candidates(kind: str) -> list[str]:
    """The kinds tried in turn: "claim:no-progress:2d" → itself, "claim:no-progress", "claim", "default"."""
    parts = [p for p in kind.split(":") if p]
    return [":".join(parts[:n]) for n in range(len(parts), 0, -1)] + ["default"]


def shorten(value: str, limit: int) -> str:
    value = " ".join(str(value).split())  # one line: templates refuse line breaks
    return value if len(value) <= limit else value[: max(limit - 1, 0)] + "…"


def template_for(
    templates: dict, kind: str, *, title: str, body: str, url: str, params: dict | None, limit: int, channel: str
) -> tuple[str, dict[str, str]]:
    """The template id and its parameters (in the order configured) for a message of ``kind``.

    No template for the kind (nor a "default") can never be sent: ``PermanentSendError``.
    """
    for name in candidates(kind):
        if name in templates:
            entry = templates[name]
            break
    else:
        raise PermanentSendError(f"未配置{channel}模板：{kind or 'default'}")
    link = f"{getattr(settings, 'SITE_URL', '').rstrip('/')}{url}" if url else ""
    values = {"title": title, "body": body, "url": link, **{k: str(v) for k, v in (params or {}).items()}}
    filled = {
        # A link is never cut (it would lead nowhere); every other value is cut to the provider's limit.
        var: values.get(source, "") if source == "url" else shorten(values.get(source, ""), limit)
        for var, source in (entry.get("params") or {}).items()
    }
    return str(entry["template"]), filled
