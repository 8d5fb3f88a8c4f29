"""The API router's URL patterns grouped by the collection they name, so a request tries its own group only.

DRF's router gives a flat list, about 300 regular expressions at /api/v1/ (each collection's list, detail and
actions, each twice with its ``.json`` form). Django tries them in order: a request for ``orders/`` ran some 160
of them before its own, 0.1–0.2 ms of every API request. ``by_collection`` puts each collection's patterns in
an include under its name and slash (a plain prefix, checked before any of its patterns), the names in the
router's order, then those with a suffix (``orders.json``) under the bare name; inside, each pattern keeps its
expression without the name, its view, its name and its order. A path finds the same view with the same
arguments as before, ``reverse`` builds the same URLs, and the schema lists the same paths
(tests/alliance/test_api_routes.py).
"""

import re

from django.urls import include, path
from django.urls.resolvers import RegexPattern

# "^orders/…$" or "^orders\.(?P<format>…)$": the collection's name with its slash, or the name before a suffix.
_NAMED = re.compile(r"\^(?P<name>[\w-]+/|[\w-]+(?=\\\.))")


def by_collection(patterns: list) -> list:
    """``patterns`` (a router's ``urls``), each under an include of its collection's first path segment."""
    groups: dict[str, list] = {}
    rest = []
    for pattern in patterns:
        regex = str(pattern.pattern) if isinstance(pattern.pattern, RegexPattern) else ""
        named = _NAMED.match(regex)
        if named is None:  # the root view (^$)
            rest.append(pattern)
            continue
        pattern.pattern = RegexPattern("^" + regex[named.end() :], name=pattern.pattern.name, is_endpoint=True)
        groups.setdefault(named["name"], []).append(pattern)
    # "orders/" before "orders" (a suffix's): a path of either kind can match in one group only.
    ordered = sorted(groups.items(), key=lambda item: not item[0].endswith("/"))
    return rest + [path(name, include(group)) for name, group in ordered]
