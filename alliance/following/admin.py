"""Admin of alliance.following: staff see the follows of their subtree (how many follow which area, on which
channel); the rows are the followers' own, written only through alliance.following.actions on their pages."""

from django.contrib import admin
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from alliance.core.admin_base import ScopedAdmin
from alliance.following.models import Follow


@admin.register(Follow)
class FollowAdmin(ScopedAdmin):
    list_display = ["node", "user", "topics_shown", "frequency", "channel", "digested_until", "created_at"]
    list_filter = ["frequency", "channel"]
    search_fields = ["node__name"]
    list_select_related = ["node", "user"]
    fields = ["user", "node", "topics_shown", "frequency", "channel", "digested_until", "created_at", "updated_at"]
    readonly_fields = fields

    @admin.display(description=_("关注内容"))
    def topics_shown(self, obj):
        return gettext("、").join(obj.topic_labels())

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
