"""The public page of each member unit (/units/<pk>/) and the list of units (/units/): what a unit offers and
has done — its resources, its completed claims with their evaluation, the services it delivered with their
ratings, its pairings and its stars — with the phone masked. It reads projects, services, points and members,
so it lives here, above them all.

Fixed queries (tests/site/test_unit_pages.py): the page 10, the list 3 (count, rows, party organisations).
"""

from django.core.paginator import Paginator
from django.db.models import Avg, Count, Q
from django.shortcuts import get_object_or_404, render

from alliance.core.privacy import mask_phone
from alliance.core.querying import QueryForm, SearchField, page_status, read_query
from alliance.points.models import StarRating
from members import selectors as member_selectors
from projects.models import Claim, Resource
from services.models import Order

PAGE_SIZE = 20
SHOWN = 10  # rows of each section of the unit page
DONE_CLAIMS = (Claim.Status.COMPLETED, Claim.Status.EVALUATED)
DELIVERED = (Order.Status.DELIVERED, Order.Status.RATED)


class UnitQuery(QueryForm):
    q = SearchField(required=False)


def units(request):
    """Active units by name, with a name search. Queries: count, rows (with grid node and party organisation)."""
    form = read_query(request, UnitQuery)
    status = page_status(request, form)
    qs = member_selectors.visible_units(None).order_by("name", "id")
    term = form.value("q")
    if term:
        qs = qs.filter(name__icontains=term)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "alliance/units.html", {"page": page, "form": form}, status=status)


def unit(request, pk: int):
    """One unit. Queries: unit (with grid node and party organisation), resources, completed claims, delivered
    orders, their count and average rating, pairings (rows, commitments, services, reviews), latest star rating."""
    obj = get_object_or_404(member_selectors.visible_units(request.user), pk=pk)
    resources = list(
        Resource.objects.filter(unit=obj, status=Resource.Status.AVAILABLE)
        .select_related("category")
        .order_by("-created_at", "-id")[:SHOWN]
    )
    claims = list(
        Claim.objects.filter(unit=obj, status__in=DONE_CLAIMS)
        .select_related("project")
        .order_by("-completed_at", "-id")[:SHOWN]
    )
    orders = list(
        Order.objects.filter(unit=obj, status__in=DELIVERED)
        .select_related("menu_item", "category")
        .order_by("-delivered_at", "-id")[:SHOWN]
    )
    order_figures = Order.objects.filter(unit=obj, status__in=DELIVERED).aggregate(
        n=Count("id"), rated=Count("id", filter=Q(rating__isnull=False)), avg=Avg("rating")
    )
    pairings = list(member_selectors.pairings_of_unit(obj.pk))
    for pairing in pairings:
        pairing.totals = member_selectors.pairing_totals(pairing)
    stars = StarRating.objects.filter(unit=obj).order_by("-year", "-month").first()
    context = {
        "unit": obj,
        "phone": mask_phone(obj.contact_phone),
        "resources": resources,
        "claims": claims,
        "orders": orders,
        "order_figures": order_figures,
        "pairings": pairings,
        "stars": stars,
    }
    return render(request, "alliance/unit.html", context)
