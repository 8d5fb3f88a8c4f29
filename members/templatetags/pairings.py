"""``{% community_pairings node %}``: a community's active pairings (结对共建), on the grid's community page.

The grid app sits below members, so its page cannot read pairings; its template loads this library (templates
are not imports) and the block is rendered here, from members (1 query: the pairings with both sides).
"""

from django import template

from grids.models import GridNode
from members.selectors import pairings_of_community

register = template.Library()


@register.inclusion_tag("members/_community_pairings.html")
def community_pairings(node):
    rows = list(pairings_of_community(node.pk)) if node.level == GridNode.Level.COMMUNITY else []
    return {"pairings": rows, "node": node}
