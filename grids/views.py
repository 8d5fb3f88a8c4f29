"""The public grid directory (网格公示): street → community → micro-grid, with each post."""

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from grids import selectors
from grids.models import GridNode


def directory(request):
    return render(request, "grids/directory.html", {"streets": selectors.directory_streets()})


def node(request, pk: int):
    try:
        context = selectors.directory_node(pk)
    except GridNode.DoesNotExist as exc:
        raise Http404(_("网格不存在")) from exc
    return render(request, "grids/node.html", context)
