"""What a staff member reads on an admin page, and every admin page they can open, found from the registry.

``visible_text(html)`` keeps what a person sees: text outside <script>/<style>, the title, placeholders,
alternative texts, the labels of buttons and the texts of options. ``english_words(text)`` lists the
English interface words left in it (ASCII words of three letters or more, the proper nouns the product
really shows aside). ``admin_pages(user)`` walks ``admin.site._registry``: a new admin is covered without
touching this module.
"""

import re
from html.parser import HTMLParser

from django.contrib import admin
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse

# Proper nouns and file types the product names on staff pages, and nothing else:
ALLOWED = {
    "Excel",  # the spreadsheet program every office uses: 「导出 Excel」
    "xlsx",  # the file type an import accepts and an export writes
    "csv",  # the other file type an import accepts
    "CSV",
    "API",  # the mobile app's interface, named on the token page
    "OpenID",  # WeChat's user id, a column of the user list
    "WeChat",
    "GeoJSON",  # the map file format a grid's boundary is uploaded in: 「上传边界（GeoJSON）」
    "Ctrl",  # the key as printed on the keyboard: 「可按住 Ctrl 键多选」
    "English",  # the language switch in the user links names English in English (alliance.core.admin_chinese)
}

# Data, not interface: e-mail addresses, web addresses and file paths typed or uploaded by people.
DATA = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+|https?://\S+|/media/\S+|\b\w+\*{4,}")  # masked hashes too
WORD = re.compile(r"[A-Za-z]{3,}")

SKIP_TAGS = {"script", "style", "template", "noscript"}
ATTRIBUTES = ("title", "placeholder", "alt", "aria-label", "data-label")
BUTTON_TYPES = {"submit", "button", "reset"}


class _Visible(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in SKIP_TAGS:
            self.skipping += 1
            return
        values = dict(attrs)
        if values.get("type") == "hidden":
            return
        self.parts.extend(values[name] for name in ATTRIBUTES if values.get(name))
        if tag == "input" and values.get("type") in BUTTON_TYPES and values.get("value"):
            self.parts.append(values["value"])

    def handle_startendtag(self, tag, attrs):
        if tag not in SKIP_TAGS:
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag in SKIP_TAGS and self.skipping:
            self.skipping -= 1

    def handle_data(self, data):
        if not self.skipping and data.strip():
            self.parts.append(data.strip())


def visible_text(html: str) -> str:
    parser = _Visible()
    parser.feed(html)
    parser.close()
    return "\n".join(parser.parts)


def english_words(text: str) -> list[str]:
    return [w for w in WORD.findall(DATA.sub(" ", text)) if w not in ALLOWED]


def context_of(text: str, word: str, width: int = 40) -> str:
    at = text.find(word)
    return text[max(0, at - width) : at + len(word) + width].replace("\n", " ⏎ ")


# ---------------------------------------------------------------------------------------------------------------
# The pages
# ---------------------------------------------------------------------------------------------------------------

# Views of a model admin this test does not open: the export (replaced by another part of the work), print
# pages, the import's second step (a POST of a checked file), the autocomplete JSON and what only redirects.
SKIPPED_VIEWS = ("_export", "_print", "_process_import", "_autocomplete", "_revision", "_revert")
STANDARD = ("changelist", "add", "change", "history", "delete", "transition", "import", "simple_history")


def _request(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def first_in_scope(model_admin, request):
    return model_admin.get_queryset(request).order_by("pk").first()


def _filtered_and_searched(model_admin, request, url) -> list[tuple[str, str]]:
    """The change list with its first list filter applied, and with a search, when it has them."""
    pages = []
    if model_admin.get_list_filter(request):
        pages.append(("filter", url))  # resolved after the list is read: the first choice of its first filter
    if model_admin.get_search_fields(request):
        pages.append(("search", url + "?q=%E6%B5%8B%E8%AF%95"))  # 测试
    return pages


def model_pages(model_admin, user) -> tuple[list[tuple[str, str]], list[str]]:
    """(kind, url) of every page of one model admin the user may open, and what could not be tried."""
    request = _request(user)
    opts = model_admin.model._meta
    info = opts.app_label, opts.model_name
    problems: list[str] = []
    if not model_admin.has_view_or_change_permission(request):
        return [], problems
    changelist = reverse("admin:{}_{}_changelist".format(*info))
    pages = [("changelist", changelist), *_filtered_and_searched(model_admin, request, changelist)]
    if model_admin.has_add_permission(request):
        pages.append(("add", reverse("admin:{}_{}_add".format(*info))))
    obj = first_in_scope(model_admin, request)
    if obj is None:
        # The street admin sees every record of the test's district; a community admin not the street's own
        # (committees, meetings, the street's rankings), which lie outside the community's subtree.
        if user.is_superuser or user.role == user.Role.STREET_ADMIN:
            problems.append(f"{opts.label}: no record in scope of {user.role or 'superuser'} (add factory data)")
        return pages, problems
    pages.append(("change", reverse("admin:{}_{}_change".format(*info), args=[obj.pk])))
    pages.append(("history", reverse("admin:{}_{}_history".format(*info), args=[obj.pk])))
    if model_admin.has_delete_permission(request, obj):
        pages.append(("delete", reverse("admin:{}_{}_delete".format(*info), args=[obj.pk])))
    if model_admin.has_change_permission(request, obj):
        for t in getattr(model_admin, "transitions", ()):
            if t.offered(obj):
                url = reverse("admin:{}_{}_transition".format(*info), args=[obj.pk, t.name])
                pages.append((f"transition {t.name}", url))
    history = getattr(obj, "history", None)
    version = history.order_by("history_id").first() if history is not None else None
    for pattern in model_admin.get_urls():
        name = getattr(pattern, "name", None) or ""
        prefix = "{}_{}_".format(*info)
        if not name.startswith(prefix) or name.endswith(SKIPPED_VIEWS):
            continue
        kind = name[len(prefix) :]
        if kind in STANDARD[:6]:
            continue
        if kind == "simple_history":  # one version of the record (a regular expression with unnamed groups)
            if version is not None:
                pages.append((kind, reverse(f"admin:{name}", args=[obj.pk, version.history_id])))
            continue
        if kind == "import" and not model_admin.has_import_permission(request):
            continue
        kwargs = {}
        params = getattr(pattern.pattern, "converters", None) or pattern.pattern.regex.groupindex
        for param in params:
            if param == "object_id":
                kwargs[param] = obj.pk
            elif param == "version_id" and version is not None:
                kwargs[param] = version.history_id
            else:
                kwargs = None
                break
        if kwargs is None:
            continue
        try:
            pages.append((kind, reverse(f"admin:{name}", kwargs=kwargs)))
        except NoReverseMatch:
            problems.append(f"{opts.label}: cannot open {name}")
    return pages, problems


def admin_pages(user) -> tuple[list[tuple[str, str]], list[str]]:
    """Every admin page ``user`` may open: site pages, app indexes, and each model's pages."""
    request = _request(user)
    pages = [
        ("index", reverse("admin:index")),
        ("password change", reverse("admin:password_change")),
        ("password changed", reverse("admin:password_change_done")),
    ]
    pages.append(("dashboard", reverse("admin:dashboard")))  # alliance.site.dashboard
    problems: list[str] = []
    apps = set()
    for model, model_admin in admin.site._registry.items():
        if model_admin.has_module_permission(request):
            apps.add(model._meta.app_label)
        more, trouble = model_pages(model_admin, user)
        pages += [(f"{model._meta.label} {kind}", url) for kind, url in more]
        problems += trouble
    pages += [(f"app {label}", reverse("admin:app_list", args=[label])) for label in sorted(apps)]
    return pages, problems


def first_filter_choice(response) -> str | None:
    """The query string of the first real choice of the change list's first filter (not 「全部」)."""
    cl = response.context and response.context.get("cl")
    if cl is None:
        return None
    for spec in cl.filter_specs:
        for choice in list(spec.choices(cl))[1:]:
            query = choice.get("query_string")
            if query:
                return query
    return None


def action_pages(user) -> list[tuple[str, str, dict]]:
    """The change lists' actions that answer with a confirmation page before acting, posted for the first record in
    scope: 「删除所选」 and every transition that asks for a reason. (Other actions act at once.)"""
    request = _request(user)
    pages = []
    for model, model_admin in admin.site._registry.items():
        if not model_admin.has_view_or_change_permission(request):
            continue
        obj = first_in_scope(model_admin, request)
        if obj is None:
            continue
        asking = {t.name for t in getattr(model_admin, "transitions", ()) if t.form and t.bulk}
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for name in model_admin.get_actions(request):
            if name == "delete_selected" or name in asking:
                data = {"action": name, "_selected_action": [str(obj.pk)], "index": "0"}
                pages.append((f"{model._meta.label} action {name}", url, data))
    return pages
