"""Public pages of the three lists (/lists/) and the unit workspace (/workspace/lists/).

Views are thin: they read through ``projects.selectors`` and write through ``projects.actions``.
Every list runs a fixed number of queries (see tests/projects/test_pages.py).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from alliance.core.errors import Conflict
from alliance.core.inputs import submit_form
from alliance.core.querying import page_status
from grids.selectors import filter_nodes
from members.models import MemberUnit
from projects import actions, selectors
from projects.deadlines import ClaimClock
from projects.filters import NeedFilter, ProjectFilter, ResourceFilter, WishFilter
from projects.forms import ClaimForm, ProgressForm, ResourceForm, ThanksForm, WishForm
from projects.models import Claim, Match, Need, ProgressReport, Project, Resource, Wish

PAGE_SIZE = 20


def _page(request, filterset_class, visible):
    """The page of the filtered list, built when the template first reads it (the visible rows, the page
    read): a list served from the fragment cache (the templates' ``{% cachedfragment %}``) runs no query.
    The filters are validated now (a category or grid node named costs its lookup), so a refused one
    answers 400 with its message, the list shown without it (``alliance.core.querying.page_status``).

    Returns the lazy page and the page's status."""
    filterset = filterset_class(request.GET)
    status = page_status(request, filterset.form)

    def build():
        filterset.queryset = visible(request.user)
        return Paginator(filterset.qs.order_by("-created_at", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))

    return SimpleLazyObject(build), status


def _filter_choices(request) -> dict:
    """Choices of the filter bar, read lazily: categories (1 query), streets and communities (1, or 2 in a
    city: grids.selectors.filter_nodes)."""
    return {
        "categories": selectors.categories(),
        "nodes": SimpleLazyObject(lambda: filter_nodes(request.GET.get("grid_node"))),
    }


def _error_message(request, exc) -> None:
    if isinstance(exc, Conflict):
        messages.error(request, exc.message)
    elif isinstance(exc, ValidationError):
        messages.error(request, ";".join(exc.messages))
    else:
        messages.error(request, str(exc) or _("您无权办理该事项。"))


def index(request):
    return render(request, "projects/index.html", {"figures": selectors.list_figures()})


def resources(request):
    units = MemberUnit.objects.filter(status=MemberUnit.Status.ACTIVE).only("pk", "name").order_by("name")
    page, status = _page(request, ResourceFilter, selectors.visible_resources)
    context = {
        "page": page,
        "statuses": Resource.Status.choices,
        "units": units,
        **_filter_choices(request),
    }
    return render(request, "projects/resources.html", context, status=status)


def resource(request, pk: int):
    obj = get_object_or_404(selectors.visible_resources(request.user), pk=pk)
    return render(request, "projects/resource.html", {"resource": obj})


def needs(request):
    page, status = _page(request, NeedFilter, selectors.listed_needs)
    context = {
        "page": page,
        "statuses": [c for c in Need.Status.choices if c[0] not in Need.UNREVIEWED_STATUSES],
        "kinds": Need.Kind.choices,
        **_filter_choices(request),
    }
    return render(request, "projects/needs.html", context, status=status)


def need(request, pk: int):
    obj = get_object_or_404(selectors.visible_needs(request.user), pk=pk)
    projects = obj.projects.exclude(status=Project.Status.DRAFT).only("pk", "title", "status")
    return render(request, "projects/need.html", {"need": obj, "projects": projects})


def projects(request):
    page, status = _page(request, ProjectFilter, selectors.visible_projects)
    context = {
        "page": page,
        "statuses": [c for c in Project.Status.choices if c[0] != Project.Status.DRAFT],
        **_filter_choices(request),
    }
    return render(request, "projects/projects.html", context, status=status)


def project(request, pk: int):
    obj = get_object_or_404(
        selectors.visible_projects(request.user).prefetch_related(
            Prefetch(
                "claims", queryset=Claim.objects.exclude(status=Claim.Status.REJECTED).select_related("unit", "person")
            ),
            "pledges__unit",
            "expenditures",
            "needs",
        ),
        pk=pk,
    )
    can_claim = (
        request.user.is_authenticated
        and request.user.role == "unit_operator"
        and obj.status == Project.Status.PUBLISHED
        and obj.free_places > 0
        and not any(c.unit_id == request.user.unit_id for c in obj.claims.all())
    )
    user = request.user
    # A party member or a resident who volunteers, on a project open to individuals (the action decides the rest).
    can_claim_person = (
        user.is_authenticated
        and user.role in actions.PERSON_ROLES
        and not user.is_superuser
        and obj.status in actions.PERSON_OPEN
        and obj.free_individual_places > 0
        and not any(c.person_id == user.pk for c in obj.claims.all())
    )
    my_claim = next((c for c in obj.claims.all() if user.is_authenticated and c.person_id == user.pk), None)
    percent = 0
    if obj.crowdfunding_target:
        percent = min(int(obj.pledged * 100 / obj.crowdfunding_target), 100)
    context = {
        "project": obj,
        "can_claim": can_claim,
        "can_claim_person": can_claim_person,
        "my_claim": my_claim,
        "unit_claims": [c for c in obj.claims.all() if c.unit_id],
        "person_claims": [c for c in obj.claims.all() if c.person_id],
        "claim_form": ClaimForm(),
        "percent": percent,
    }
    return render(request, "projects/project.html", context)


@login_required
def claim(request, pk: int):
    if request.method != "POST":
        return redirect("projects:project", pk=pk)
    obj = get_object_or_404(selectors.visible_projects(request.user), pk=pk)
    form = ClaimForm(request.POST)
    form.is_valid()
    try:
        created = actions.claim_project(by=request.user, project=obj, note=form.cleaned_data.get("note", ""))
    except (Conflict, ValidationError, PermissionDenied) as exc:
        _error_message(request, exc)
        return redirect("projects:project", pk=pk)
    messages.success(request, _("认领已提交，请等待社区审核。"))
    if created.person_id:
        return redirect("projects:my_claim", pk=created.pk)
    return redirect("projects_ws:claim", pk=created.pk)


def wishes(request):
    page, status = _page(request, WishFilter, selectors.visible_wishes)
    context = {
        "page": page,
        "statuses": Wish.Status.choices,
        **_filter_choices(request),
    }
    return render(request, "projects/wishes.html", context, status=status)


def wish(request, pk: int):
    obj = get_object_or_404(selectors.visible_wishes(request.user), pk=pk)
    user = request.user
    can_claim = (
        user.is_authenticated
        and obj.status == Wish.Status.PUBLISHED
        and (user.role == "unit_operator" or hasattr(user, "party_member"))
    )
    is_claimant = user.is_authenticated and (
        obj.claimed_by_id == user.pk or (obj.claimant_unit_id and obj.claimant_unit_id == user.unit_id)
    )
    context = {"wish": obj, "can_claim": can_claim, "is_claimant": is_claimant, "thanks_form": ThanksForm()}
    return render(request, "projects/wish.html", context)


@login_required
def wish_new(request):
    form = WishForm(request.POST or None)
    done = _("心愿已提交，社区审核后将公开发布。")
    if created := submit_form(request, form, lambda data: actions.submit_wish(by=request.user, **data), done):
        return redirect("projects:wish", pk=created.pk)
    return render(request, "projects/wish_new.html", {"form": form})


@login_required
def wish_action(request, pk: int, step: str):
    if request.method != "POST":
        return redirect("projects:wish", pk=pk)
    obj = get_object_or_404(selectors.visible_wishes(request.user), pk=pk)
    try:
        if step == "claim":
            actions.claim_wish(by=request.user, wish=obj)
            messages.success(request, _("认领成功，感谢您的爱心！"))
        elif step == "fulfil":
            actions.fulfil_wish(by=request.user, wish=obj)
            messages.success(request, _("已标记为心愿实现。"))
        elif step == "thank":
            form = ThanksForm(request.POST)
            if not form.is_valid():
                raise ValidationError([error for errors in form.errors.values() for error in errors])
            actions.thank_wish(by=request.user, wish=obj, thanks=form.cleaned_data["thanks"])
            messages.success(request, _("感谢已送达。"))
        else:
            raise Http404
    except (Conflict, ValidationError, PermissionDenied) as exc:
        _error_message(request, exc)
    return redirect("projects:wish", pk=pk)


# --- workspace ------------------------------------------------------------------------------------


def _operator(request):
    user = request.user
    if not (user.role == "unit_operator" and user.unit_id):
        raise PermissionDenied(_("只有成员单位联络员可以使用此页面。"))
    return user


@login_required
def ws_index(request):
    """The unit's lists: its resources, claims (overdue progress reports first, with their time limit) with their
    evaluations, and suggestions for it."""
    user = _operator(request)
    clock = ClaimClock()
    claims = clock.claims(Claim.objects.filter(unit_id=user.unit_id).select_related("project"))
    context = {
        "resources": Resource.objects.filter(unit_id=user.unit_id)
        .select_related("category")
        .order_by("-created_at")[:50],
        "claims": clock.mark(claims.order_by("-overdue", "-claimed_at")[:50]),
        "matches": Match.objects.filter(unit_id=user.unit_id, status=Match.Status.ACCEPTED)
        .select_related("need__grid_node")
        .order_by("-decided_at")[:20],
        "open_projects": selectors.visible_projects(user)
        .filter(status=Project.Status.PUBLISHED)
        .exclude(claims__unit_id=user.unit_id)
        .order_by("deadline", "-id")[:10],
    }
    return render(request, "projects/ws_index.html", context)


@login_required
def ws_resource_new(request):
    user = _operator(request)
    form = ResourceForm(request.POST or None)
    if submit_form(
        request, form, lambda data: actions.create_resource(by=user, unit=user.unit, **data), _("资源已发布。")
    ):
        return redirect("projects_ws:index")
    return render(request, "projects/ws_resource_form.html", {"form": form})


@login_required
def ws_resource_retire(request, pk: int):
    user = _operator(request)
    obj = get_object_or_404(Resource, pk=pk, unit_id=user.unit_id)
    if request.method == "POST":
        if obj.status == Resource.Status.RETIRED:
            actions.republish_resource(by=user, resource=obj)
            messages.success(request, _("资源已重新上架。"))
        else:
            actions.retire_resource(by=user, resource=obj)
            messages.success(request, _("资源已下架。"))
    return redirect("projects_ws:index")


@login_required
def ws_claim(request, pk: int):
    """One claim of the unit: its progress reports with photos, the report form, the evaluation."""
    user = _operator(request)
    obj = get_object_or_404(
        Claim.objects.select_related("project__grid_node", "unit").prefetch_related(
            Prefetch("reports", queryset=ProgressReport.objects.prefetch_related("photos"))
        ),
        pk=pk,
        unit_id=user.unit_id,
    )
    form = ProgressForm(request.POST or None, request.FILES or None)
    if submit_form(request, form, lambda data: actions.report_progress(by=user, claim=obj, **data), _("进展已提交。")):
        return redirect("projects_ws:claim", pk=pk)
    return render(request, "projects/ws_claim.html", {"claim": obj, "form": form})


@login_required
def ws_claim_complete(request, pk: int):
    user = _operator(request)
    obj = get_object_or_404(Claim, pk=pk, unit_id=user.unit_id)
    if request.method == "POST":
        try:
            actions.complete_claim(by=user, claim=obj)
            messages.success(request, _("已标记完成，等待社区评价。"))
        except ValidationError as exc:
            _error_message(request, exc)
    return redirect("projects_ws:claim", pk=pk)
