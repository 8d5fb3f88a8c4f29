"""Pages of pairings (结对共建): the public list and page of each (what was promised, what was done) under
/members/pairings/, and the unit operator's pairings with the form to record a service under
/workspace/unit/pairings/.

Reads through members.selectors, writes through members.actions; fixed queries (tests/members/test_pairing_pages.py).
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from alliance.core.inputs import submit_form
from members import actions, selectors
from members.models import Pairing, User
from members.pairing_forms import ServiceForm

PAGE_SIZE = 20


def _with_totals(rows):
    for pairing in rows:
        pairing.totals = selectors.pairing_totals(pairing)
    return rows


def pairings(request):
    """Active pairings (staff: also ended ones in scope). Queries: count, rows, commitments, services, reviews."""
    page = Paginator(selectors.pairing_list(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    _with_totals(page.object_list)
    return render(request, "members/pairings.html", {"page": page})


def pairing(request, pk: int):
    """One pairing: both sides, the term, the agreement, the commitments, the services delivered, the reviews.

    Queries: the pairing with its sides, commitments, services, reviews."""
    obj = get_object_or_404(selectors.pairing_list(request.user), pk=pk)
    _with_totals([obj])
    context = {
        "pairing": obj,
        "unit_commitments": [c for c in obj.commitments.all() if c.side == Pairing.Side.UNIT],
        "partner_commitments": [c for c in obj.commitments.all() if c.side == Pairing.Side.PARTNER],
        "may_record": obj.status == Pairing.Status.ACTIVE and actions.may_record_service(request.user, obj),
    }
    return render(request, "members/pairing.html", context)


def _operator_unit(request) -> int:
    user = request.user
    if user.role != User.Role.UNIT_OPERATOR or not user.unit_id:
        raise PermissionDenied(_("只有成员单位联络员可以查看本单位的结对共建。"))
    return user.unit_id


@login_required
def ws_pairings(request):
    """The operator's unit's pairings on either side. Queries: session, user, rows, three prefetches."""
    unit_id = _operator_unit(request)
    rows = _with_totals(list(selectors.pairings_of_unit(unit_id, request.user)))
    return render(request, "members/ws_pairings.html", {"pairings": rows, "unit_id": unit_id})


@login_required
def ws_record_service(request, pk: int):
    """Record a service delivered under one of the unit's active pairings."""
    unit_id = _operator_unit(request)
    obj = get_object_or_404(selectors.pairings_of_unit(unit_id, request.user), pk=pk)
    initial = {"side": Pairing.Side.UNIT if obj.unit_id == unit_id else Pairing.Side.PARTNER}
    form = ServiceForm(request.POST or None, initial=initial)
    made = submit_form(
        request,
        form,
        lambda data: actions.record_service(by=request.user, pairing=obj, **data),
        _("结对服务已登记。"),
    )
    if made is not None:
        return redirect("members:pairing", pk=obj.pk)
    return render(request, "members/ws_pairing_service.html", {"pairing": obj, "form": form})
