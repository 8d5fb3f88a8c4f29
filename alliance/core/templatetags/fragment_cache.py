"""``{% cachedfragment "name" "group group" [ttl] [per_user] %}…{% endcachedfragment %}``: a part of a page
kept in the cache (``per_user``: each signed-in person has their own copy).

The fragment is rendered once per version of its groups, language, audience and query string
(``alliance.core.cache.request_key``) and served from the cache after that; the context it reads should be lazy
(querysets, ``SimpleLazyObject``) so that a cached fragment costs no query. Anything that differs per
visitor (their name, a CSRF token, a flash message) stays outside the fragment.
"""

from django import template
from django.utils.safestring import mark_safe

from alliance.core import cache

register = template.Library()


class CachedFragmentNode(template.Node):
    def __init__(self, nodelist, name, groups, ttl, per_user):
        self.nodelist, self.name, self.groups, self.ttl, self.per_user = nodelist, name, groups, ttl, per_user

    def render(self, context):
        request = context.get("request")
        if request is None:
            return self.nodelist.render(context)
        name = self.name.resolve(context)
        groups = self.groups.resolve(context).split()
        ttl = int(self.ttl.resolve(context)) if self.ttl is not None else cache.DEFAULT_TTL
        html = cache.get_or_build(
            lambda: cache.request_key(request, f"fragment:{name}", per_user=self.per_user),
            groups,
            lambda: str(self.nodelist.render(context)),
            ttl=ttl,
        )
        return mark_safe(html)  # noqa: S308 - our own template's output, escaped when it was rendered


@register.tag
def cachedfragment(parser, token):
    bits = token.split_contents()
    per_user = "per_user" in bits[3:]
    bits = [b for b in bits if b != "per_user"]
    if len(bits) not in (3, 4):
        raise template.TemplateSyntaxError('usage: {% cachedfragment "name" "groups" [ttl] [per_user] %}')
    nodelist = parser.parse(("endcachedfragment",))
    parser.delete_first_token()
    ttl = parser.compile_filter(bits[3]) if len(bits) == 4 else None
    name, groups = parser.compile_filter(bits[1]), parser.compile_filter(bits[2])
    return CachedFragmentNode(nodelist, name, groups, ttl, per_user)
