"""``{% scoped_result_list cl %}``: the stock ``{% result_list cl %}`` with rows drawn by alliance.core.admin_rows."""

from django import template
from django.contrib.admin.templatetags.base import InclusionAdminNode

from alliance.core.admin_rows import result_list

register = template.Library()


@register.tag(name="scoped_result_list")
def scoped_result_list_tag(parser, token):
    return InclusionAdminNode(
        parser, token, func=result_list, template_name="change_list_results.html", takes_context=False
    )
