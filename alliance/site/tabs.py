"""The phone's bottom tab bar (首页, 服务, 地图, 消息, 我的): which tab the page being shown belongs to.

A context processor (settings.TEMPLATES): it reads only the resolved URL, never the database.
"""

# (namespace, url name) → tab; a namespace alone (name None) covers the rest of its pages.
_TABS = {
    ("", "home"): "home",
    ("services", "map"): "map",
    ("services", "inbox"): "inbox",
    ("services", "notification_preferences"): "inbox",
    ("portal", "mine"): "mine",
    ("services", "my_orders"): "mine",
    ("services", "my_issues"): "mine",
    ("services", "my_bookings"): "mine",
    ("", "profile"): "mine",
    ("", "password_change"): "mine",
    ("", "privacy"): "mine",
    ("services", None): "services",
    ("projects", "wishes"): "services",
    ("projects", "wish_new"): "services",
    ("projects", "wish"): "services",
    ("proposals", "mine"): "mine",
    ("proposals", None): "services",
    ("surveys", None): "services",
    ("following", None): "mine",
}


def current_tab(request) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return ""
    namespace = match.namespace or ""
    return _TABS.get((namespace, match.url_name)) or _TABS.get((namespace, None)) or ""


def portal_tab(request) -> dict:
    return {"portal_tab": current_tab(request)}
