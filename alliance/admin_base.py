"""The base of every admin: grid scoping, role permissions, change history and Chinese Excel."""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from alliance.scoping import UNSCOPED, in_scope, scope_path, scope_queryset


def is_admin_user(user) -> bool:
    return user.is_active and (user.is_superuser or (user.is_staff and user.role in user.ADMIN_ROLES))


def _has_simple_history(model) -> bool:
    return hasattr(model._meta, "simple_history_manager_attribute")


class CappedCountPaginator(Paginator):
    """Counts at most ``COUNT_CAP`` rows: a change list of a city's million orders does not count them all on
    every page. Past the cap the list says "10000+" (templates/admin/pagination.html) and pages through the
    first ``COUNT_CAP`` rows; filters and search narrow it down to everything else."""

    COUNT_CAP = 10_000

    @cached_property
    def count(self):
        if not isinstance(self.object_list, QuerySet):
            return len(self.object_list)
        # Count ids only: no ordering, no annotated columns.
        return self.object_list.order_by().values("pk")[: self.COUNT_CAP + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > self.COUNT_CAP


def grid_node_filter(field: str, title=None):
    """A list filter on a foreign key to GridNode that picks in two steps: the streets in the viewer's scope,
    then the communities of the chosen street (grids.selectors.filter_nodes); it filters by subtree. Django's
    related filters would put every node of a city into the sidebar."""
    from grids.models import GridNode
    from grids.selectors import filter_nodes

    class GridNodeFilter(admin.SimpleListFilter):
        parameter_name = f"{field}_in"

        def lookups(self, request, model_admin):
            nodes = filter_nodes(self.value(), nodes=scope_queryset(GridNode.objects.all(), request.user))
            return [(str(n.pk), f"· {n.name}" if n.level == GridNode.Level.COMMUNITY else n.name) for n in nodes]

        def queryset(self, request, queryset):
            from alliance.querying import parse_id

            value = parse_id(self.value())
            if value is None:
                return queryset
            node = GridNode.objects.filter(pk=value).only("path").first()
            if node is None:
                return queryset.none()
            return queryset.filter(**{f"{field}__path__startswith": node.path})

    GridNodeFilter.title = title or _("所属网格")
    return GridNodeFilter


class ScopedAdmin(SimpleHistoryAdmin):
    """An admin whose lists, objects, foreign-key choices, search and exports stay in the user's subtree.

    Street and community admins may view, add, change and delete scoped models inside their
    subtree. Unscoped (district-wide) models are read-only for them unless ``street_admin_edits``
    lets street admins change them.
    """

    street_admin_edits = False
    list_per_page = 50
    # Lists of big tables show "more" instead of counting every row again, and count a page's list only up
    # to a cap (a city holds a million orders).
    show_full_result_count = False
    paginator = CappedCountPaginator

    def get_queryset(self, request):
        return scope_queryset(super().get_queryset(request), request.user)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            # A record outside the subtree answers exactly as a missing one.
            raise Http404(_("记录不存在,或不在您的管辖范围内。"))
        return obj

    def _check_history_scope(self, request, object_id) -> None:
        """History of a record outside the subtree answers 404, also once the record is deleted.

        simple-history falls back to the history table when the scoped queryset misses the record,
        which would show (and offer to revert) other communities' records.
        """
        model = self.model
        try:
            pk = model._meta.pk.to_python(unquote(object_id))
        except ValidationError as e:
            raise Http404(_("记录不存在,或不在您的管辖范围内。")) from e
        if self.get_queryset(request).filter(pk=pk).exists():
            return
        history = getattr(model, model._meta.simple_history_manager_attribute)
        latest = history.filter(**{model._meta.pk.attname: pk}).order_by("-history_date").first()
        try:
            visible = latest is not None and in_scope(latest.instance, request.user)
        except ObjectDoesNotExist:  # the record's grid node is gone too
            visible = False
        if not visible:
            raise Http404(_("记录不存在,或不在您的管辖范围内。"))

    @property
    def object_history_template(self):
        # Models without HistoricalRecords fall back to Django's log of admin changes.
        if _has_simple_history(self.model):
            return SimpleHistoryAdmin.object_history_template
        return None

    def history_view(self, request, object_id, extra_context=None):
        if not _has_simple_history(self.model):
            return admin.ModelAdmin.history_view(self, request, object_id, extra_context)
        self._check_history_scope(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if not _has_simple_history(self.model):
            raise Http404(_("记录不存在,或不在您的管辖范围内。"))
        self._check_history_scope(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)

    def _scoped_related(self, db_field, request, kwargs):
        related = db_field.related_model
        queryset = kwargs.get("queryset")
        if queryset is None:
            queryset = related._default_manager.all()
            limit = db_field.get_limit_choices_to()
            if limit:
                queryset = queryset.complex_filter(limit)
        kwargs["queryset"] = scope_queryset(queryset, request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if scope_path(db_field.related_model) is not UNSCOPED:
            self._scoped_related(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if scope_path(db_field.related_model) is not UNSCOPED:
            self._scoped_related(db_field, request, kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def _can_edit(self, request) -> bool:
        user = request.user
        if user.is_superuser:
            return True
        if not is_admin_user(user):
            return False
        if scope_path(self.model) is UNSCOPED:
            return self.street_admin_edits and user.role == user.Role.STREET_ADMIN
        return True

    def has_module_permission(self, request):
        return is_admin_user(request.user)

    def has_view_permission(self, request, obj=None):
        return is_admin_user(request.user)

    def has_add_permission(self, request, *args):
        return self._can_edit(request)

    def has_change_permission(self, request, obj=None):
        return self._can_edit(request)

    def has_delete_permission(self, request, obj=None):
        return self._can_edit(request)


class ScopedInline(admin.TabularInline):
    """An inline whose foreign-key choices stay in the user's subtree."""

    extra = 0

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if scope_path(db_field.related_model) is not UNSCOPED:
            ScopedAdmin._scoped_related(self, db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _can_edit(self, request):
        return ScopedAdmin._can_edit(self, request)

    def has_view_permission(self, request, obj=None):
        return is_admin_user(request.user)

    def has_add_permission(self, request, obj=None):
        return self._can_edit(request)

    def has_change_permission(self, request, obj=None):
        return self._can_edit(request)

    def has_delete_permission(self, request, obj=None):
        return self._can_edit(request)
