"""Who a message to an area reaches (alliance.core.fanout): the residents and party members who live there.

``area`` is a grid node's primary key ("" for the whole district): the active accounts of residents and party
members whose home grid node (``User.grid_node``) is that node or below it; for the whole district every active
resident and party member, with a home node or not. Staff and unit operators hear of notices through their work.
"""

from django.db.models import QuerySet

from alliance.core.fanout import register_audience
from grids.models import GridNode
from members.models import User

RESIDENTS = "members.residents"


def residents(area: str) -> QuerySet:
    accounts = User.objects.filter(is_active=True, role__in=[User.Role.RESIDENT, User.Role.PARTY_MEMBER])
    if not area:
        return accounts
    node = GridNode.objects.filter(pk=int(area)).only("path").first()
    if node is None:
        return accounts.none()
    # One indexed prefix match on the node's path, joined by the accounts' home node.
    return accounts.filter(grid_node__path__startswith=node.path)


register_audience(RESIDENTS, residents)
