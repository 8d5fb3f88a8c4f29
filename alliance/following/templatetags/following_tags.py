"""Template helpers of alliance.following: a topic's label by its value, the topics of the Atom feeds."""

from django import template

from alliance.core.feeds import Topic

register = template.Library()


@register.filter
def lookup(mapping, key):
    """``mapping[key]``, or the key itself when it is missing."""
    return mapping.get(key, key) if hasattr(mapping, "get") else key


@register.simple_tag
def feed_topics():
    """The topics of a community's Atom feeds: (value, label) pairs."""
    return Topic.choices
