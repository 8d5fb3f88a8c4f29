"""Reading settings from the environment (alliance/settings.py): typed values with a clear error, and the origin
of the map's tile server for the CSP. Plain Python: settings import it before Django is set up."""

import json
import os

from django.core.exceptions import ImproperlyConfigured


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_json(name: str, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return json.loads(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be JSON, got {value!r}") from exc


def tile_origin(template: str) -> str:
    """The origin the tiles come from, for img-src ("https://t{s}.x.cn/..." → "https://*.x.cn")."""
    scheme, _sep, rest = template.partition("://")
    host = rest.split("/", 1)[0]
    if not scheme or not host:
        return ""
    if "{" in host:
        host = "*." + host.split(".", 1)[1] if "." in host else ""
    return f"{scheme}://{host}" if host else ""
