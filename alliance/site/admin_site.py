"""The admin site of the portal (管理后台): its first page is 今日待办 for street and community staff, then
every model grouped by the work, in the order staff think of it; the header greets the person by name.

Installed as the default site by alliance.site.apps.AllianceAdminConfig, so every ``@admin.register`` of the
apps lands here. This module imports no domain app at loading (the site is built while the apps' admins
register, so importing an app's admin from here would come back to a half-built site): the to-do lines are
found through the app registry when the page is drawn (alliance.site.workbench).
"""

import time

from django.contrib import admin
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from alliance.core.admin_base import is_admin_user
from alliance.site import workbench

# The groups of the app list, in this order; a model goes to the group its "app_label.ModelName" names, else
# to its app's group, else to 系统 (the technical tables: login throttling, task results, the beat schedule, job
# runs, API tokens), which stays last.
SERVICES = _("服务与说事")
LISTS = _("三清单")
COMMITTEE = _("大工委")
GRIDS = _("网格与单位")
PARTY = _("党员与积分")
NEWS = _("通知与新闻")
SETTINGS = _("设置")
SYSTEM = _("系统")
GROUPS = (SERVICES, LISTS, COMMITTEE, GRIDS, PARTY, NEWS, SETTINGS, SYSTEM)
APP_GROUPS = {
    "services": SERVICES,
    "projects": LISTS,
    "alliance": COMMITTEE,
    "grids": GRIDS,
    "members": GRIDS,
    "points": PARTY,
    "assessment": PARTY,
    "volunteering": PARTY,
    "surveys": SERVICES,
    "core": NEWS,
    "following": NEWS,
    "proposals": SERVICES,
}
MODEL_GROUPS = {
    "services.servicesettings": SETTINGS,
    "services.holiday": SETTINGS,
    "services.replytemplate": SETTINGS,
    "projects.category": SETTINGS,
    "projects.listsettings": SETTINGS,
    "alliance.committeesettings": SETTINGS,
    "alliance.article": NEWS,
    "alliance.jobrun": SYSTEM,
    "members.partymember": PARTY,
    "members.partyorganization": PARTY,
    "members.skill": PARTY,
    "members.user": SETTINGS,
    "points.pointsrule": SETTINGS,
    "core.notificationsettings": SETTINGS,
    "core.notificationpreference": SETTINGS,
    "proposals.proposalrule": SETTINGS,
    "surveys.selection": SERVICES,  # 评选: residents take part, beside their orders and issues
}

# Within a group, the lists staff open most come first; the others follow by name.
FIRST = (
    "services.order",
    "services.issue",
    "services.booking",
    "services.activity",
    "projects.need",
    "projects.resource",
    "projects.project",
    "projects.claim",
    "projects.wish",
    "projects.match",
    "alliance.meeting",
    "alliance.matter",
    "alliance.committee",
    "grids.gridnode",
    "members.memberunit",
    "members.partymember",
    "points.pointsentry",
    "alliance.article",
    "core.notification",
)


def group_of(model) -> str:
    """The group of the app list a registered model is shown in."""
    meta = model._meta
    return str(MODEL_GROUPS.get(meta.label_lower) or APP_GROUPS.get(meta.app_label, SYSTEM))


def _model_order(entry) -> tuple[int, str]:
    label = entry["model"]._meta.label_lower
    return (FIRST.index(label) if label in FIRST else len(FIRST), str(entry["name"]))


class AllianceAdminSite(admin.AdminSite):
    site_header = _("红色联盟 · 管理后台")
    site_title = _("红色联盟管理后台")
    index_title = _("今日待办")
    index_template = "admin/workbench.html"

    def has_permission(self, request):
        # Street and community admins and superusers; grid workers, unit operators and residents work in the
        # portal's workspace and never reach the admin (the login form tells them so).
        return is_admin_user(request.user)

    # The grouped app list of each account and language, kept APP_LIST_SECONDS in each process: every admin page
    # draws it in its sidebar, and building it asks each of the hundred model admins for its permissions and
    # reverses two URLs for each (a fifth of a change list's time). Keyed by the account and what its rights
    # follow (role, node, superuser, active), so a changed role shows at once; the rest within the minute.
    APP_LIST_SECONDS = 60
    APP_LIST_KEPT = 1000
    _app_lists: dict = {}

    def get_app_list(self, request, app_label=None):
        """One app's page lists its models as Django does; the index and the sidebar list the groups."""
        if app_label is not None:
            return super().get_app_list(request, app_label)
        user = request.user
        key = (
            self.name,
            user.pk,
            user.is_superuser,
            user.is_active,
            getattr(user, "role", None),
            getattr(user, "grid_node_id", None),
            get_language(),
        )
        now = time.monotonic()
        kept = self._app_lists.get(key)
        if kept is None or now - kept[0] > self.APP_LIST_SECONDS:
            if len(self._app_lists) >= self.APP_LIST_KEPT:
                self._app_lists.clear()
            kept = self._app_lists[key] = (now, self._grouped_app_list(request), {})
        # The sidebar's HTML is kept with it (alliance/core/templatetags/admin_sidebar.py).
        request.kept_app_list = kept[2]
        return [{**group, "models": list(group["models"])} for group in kept[1]]

    def _grouped_app_list(self, request):
        models = {}
        for app in self._build_app_dict(request).values():
            for entry in app["models"]:
                models[entry["model"]] = entry
        index = reverse("admin:index", current_app=self.name)
        groups = {
            str(name): {
                "name": name,
                "app_label": f"group-{number}",
                "app_url": index,
                "has_module_perms": True,
                "models": [],
            }
            for number, name in enumerate(GROUPS, start=1)
        }
        for model, entry in models.items():
            groups[group_of(model)]["models"].append(entry)
        for group in groups.values():
            group["models"].sort(key=_model_order)
        return [group for group in groups.values() if group["models"]]

    def index(self, request, extra_context=None):
        lines, read_at = workbench.kept_todo(self, request)
        # Lines with rows first, as cards; the quiet ones on one line below them.
        context = {
            "todo": lines,
            "todo_quiet": [line for line in lines if not line.count],
            "todo_read_at": read_at,
            **(extra_context or {}),
        }
        return super().index(request, context)
