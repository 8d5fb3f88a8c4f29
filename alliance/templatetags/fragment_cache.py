"""``{% cachedfragment "name" "group group" %}…{% endcachedfragment %}``: a part of a page kept in the cache.

The fragment is rendered once per version of its groups, language, audience and query string
(``alliance.cache.request_key``) and served from the cache after that; the context it reads should be lazy
(querysets, ``SimpleLazyObject``) so that a cached fragment costs no query. Anything that differs per
visitor (their name, a CSRF token, a flash message) stays outside the fragment.
"""

from django import template
from django.utils.safestring import mark_safe

from alliance import cache

register = template.Library()


class CachedFragmentNode(template.Node):
    def __init__(self, nodelist, name, groups, ttl):
        self.nodelist, self.name, self.groups, self.ttl = nodelist, name, groups, ttl

    def render(self, context):
        request = context.get("request")
        name = self.name.resolve(context)
        groups = self.groups.resolve(context).split()
        ttl = int(self.ttl.resolve(context)) if self.ttl is not None else cache.DEFAULT_TTL
        if request is None:
            return self.nodelist.render(context)
        html = cache.get_or_build(
            lambda: cache.request_key(request, f"fragment:{name}"),
            groups,
            lambda: str(self.nodelist.render(context)),
            ttl=ttl,
        )
        return mark_safe(html)  # noqa: S308 - our own template's output, escaped when it was rendered


@register.tag
def cachedfragment(parser, token):
    bits = token.split_contents()
    if len(bits) not in (3, 4):
        raise template.TemplateSyntaxError('usage: {% cachedfragment "name" "groups" [ttl] %}')
    nodelist = parser.parse(("endcachedfragment",))
    parser.delete_first_token()
    ttl = parser.compile_filter(bits[3]) if len(bits) == 4 else None
    return CachedFragmentNode(nodelist, parser.compile_filter(bits[1]), parser.compile_filter(bits[2]), ttl)
