"""``shown``: a text services stored (a timeline note, a notice) in the reader's language (services.stored)."""

from django import template

from services.stored import shown as _shown

register = template.Library()


@register.filter
def shown(text):
    return _shown(text)
