"""The grid's list filter for admins of any app whose rows hang on a grid node."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from alliance.core.querying import parse_id
from alliance.core.scoping import scope_queryset
from grids.models import GridNode
from grids.selectors import filter_nodes


def grid_node_filter(field: str, title=None):
    """A list filter on a foreign key to GridNode that picks in two steps: the streets in the viewer's scope,
    then the communities of the chosen street (grids.selectors.filter_nodes); it filters by subtree. Django's
    related filters would put every node of a city into the sidebar. ``field=""``: the list of nodes itself."""
    path_lookup = f"{field}__path__startswith" if field else "path__startswith"

    class GridNodeFilter(admin.SimpleListFilter):
        parameter_name = f"{field or 'node'}_in"

        def lookups(self, request, model_admin):
            nodes = filter_nodes(self.value(), nodes=scope_queryset(GridNode.objects.all(), request.user))
            return [(str(n.pk), f"· {n.name}" if n.level == GridNode.Level.COMMUNITY else n.name) for n in nodes]

        def queryset(self, request, queryset):
            value = parse_id(self.value())
            if value is None:
                return queryset
            node = GridNode.objects.filter(pk=value).only("path").first()
            if node is None:
                return queryset.none()
            return queryset.filter(**{path_lookup: node.path})

    GridNodeFilter.title = title or _("所属网格")
    return GridNodeFilter
