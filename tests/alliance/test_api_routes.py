"""The API's patterns grouped by collection (alliance.core.api_routes): every path finds what the router's flat
list finds, and a request tries its own collection's patterns only."""

import re

import pytest
from django.urls import Resolver404, URLResolver, get_resolver, reverse
from django.urls.resolvers import RegexPattern

from alliance.urls import router

PREFIX = "/api/v1/"


def _example(regex: str) -> str:
    """A path the router's regex matches: its groups filled in (a key, a suffix, an action's words)."""
    text = regex.removeprefix("^").removesuffix("$")
    text = re.sub(r"\(\?P<format>[^)]*\)", "json", text)
    text = re.sub(r"\(\?P<\w+>[^)]*\)", "12", text)
    text = text.replace("/?", "/")
    return text.replace("\\.", ".")


def _flat():
    """The router's own patterns, a fresh copy (the site's are grouped), with the path each one answers."""
    for pattern in router.get_urls():
        if isinstance(pattern.pattern, RegexPattern):  # not the root view's (a path's)
            yield pattern, _example(pattern.pattern._regex)


def _api() -> URLResolver:
    """The site's resolver of /api/v1/ (the router's patterns, grouped)."""
    return next(p for p in get_resolver().url_patterns if isinstance(p, URLResolver) and str(p.pattern) == "api/v1/")


def test_every_path_of_the_router_finds_the_same_view_and_arguments_and_reverses_to_itself():
    flat = list(_flat())
    assert len(flat) > 200
    site = get_resolver()
    for pattern, example in flat:
        found = site.resolve(PREFIX + example)
        assert found.url_name == pattern.name, example
        expected = RegexPattern(pattern.pattern._regex, is_endpoint=True).match(example)
        assert expected is not None, example
        assert found.kwargs == expected[2], example
        if "format" not in found.kwargs:
            assert reverse(found.url_name, kwargs=found.kwargs) == PREFIX + example


def test_a_request_tries_the_patterns_of_its_own_collection_only(monkeypatch):
    api = _api()
    groups = {str(p.pattern): p for p in api.url_patterns if isinstance(p, URLResolver)}
    assert "orders/" in groups and "orders" in groups  # the collection, and its ".json" forms
    assert all(name.startswith("order") for name in (p.name for p in groups["orders/"].url_patterns))
    assert len(api.url_patterns) < len(list(_flat())) / 2
    tried = []
    for name, group in groups.items():
        for pattern in group.url_patterns:
            match = pattern.pattern.match
            monkeypatch.setattr(
                pattern.pattern, "match", lambda path, match=match, name=name: tried.append(name) or match(path)
            )
    assert api.resolve("api/v1/orders/").url_name == "order-list"
    assert tried and set(tried) == {"orders/"}


@pytest.mark.parametrize("path", ["orders", "orders/12/nothing/", "ordersx/", "orders.", "nothing/"])
def test_paths_no_collection_answers_still_find_nothing_in_the_router(path):
    with pytest.raises(Resolver404):
        _api().resolve("api/v1/" + path)
