"""The home page's news section: pinned first, then newest (one query)."""

from django import template

from alliance.committee.news import home_articles

register = template.Library()


@register.simple_tag
def home_news():
    return home_articles()
