"""axe-core finds no WCAG 2.1 A/AA violation on any portal or workspace page, signed out or in.

The pages are read from the URL patterns (the portal's and the workspace's namespaces), each object page
with an object of the demo district (``seed_demo``) that the person may see: anonymous and a resident on
the portal, a unit operator and a grid worker in the workspace. axe-core comes from the npm registry
(tests/package.json, ``npm ci --prefix tests`` in ``make install-dev``) and is put into the page by the test
only: the site never serves it. One browser context, one page, reused for every page and person.
"""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from members.models import User
from projects.models import Claim, Project
from tests.browser_support import PHONE, TIMEOUT_MS, sign_in
from tests.projects.factories import ClaimFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

AXE = Path(__file__).resolve().parents[1] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

PORTAL_NAMESPACES = {None, "alliance", "projects", "services", "grids", "volunteering", "members"}
PORTAL_NAMESPACES |= {"proposals", "following", "surveys"}  # 微建议, 关注社区 (issue 17)
WORKSPACE_NAMESPACES = {None, "alliance_ws", "projects_ws", "services_ws", "members_ws"}
# Not pages: files, feeds, the API, health, the language switch, sign-out, uploaded media.
NOT_PAGES = {
    "healthz",
    "web-manifest",
    "api-token",
    "api-logout",
    "api-schema",
    "api-docs",
    "set_language",
    "logout",
    "privacy-export-json",
    "privacy-export-excel",
    "alliance:calendar",
    "alliance:committee_calendar",
    "alliance:statistics_xlsx",
    "following:feed",
}


def _patterns(resolver=None, prefix="", namespace=None):
    """(namespace, name, pattern) of every named URL pattern, depth first."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, prefix + str(entry.pattern), entry.namespace or namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            yield namespace, entry.name, prefix + str(entry.pattern)


def _models():
    # Imported here: the app registry is ready only once pytest-django has set Django up.
    from alliance.assessment.models import Assessment, GridStarRating
    from alliance.committee.models import Article, Committee, Invitation, Matter, Meeting
    from alliance.following.models import Digest, Follow
    from alliance.surveys.models import Selection, Survey
    from alliance.volunteering.models import FeedbackSheet
    from grids.models import GridNode
    from members.models import MemberUnit, Pairing
    from projects.models import Claim, Need, Project, Resource, Wish
    from services.models import Activity, Booking, Issue, MenuItem, Order, RecurringService, Room, ServiceStation

    return (
        {
            "alliance_ws:answer": Invitation,
            "alliance_ws:meeting_print": Meeting,
            "alliance_ws:matter_print": Matter,
            "projects_ws:resource_toggle": Resource,
            "projects_ws:claim": Claim,
            "projects_ws:claim_complete": Claim,
            "projects_ws:need_edit": Need,
            "services_ws:menu_edit": MenuItem,
            "services_ws:activity_checkin": Activity,
            "services_ws:unit_activity_edit": Activity,
            "services_ws:unit_activity_cancel": Activity,
            "services_ws:recurring_edit": RecurringService,
            "grids:node": GridNode,
            "unit": MemberUnit,
            "members:pairing": Pairing,
            "members_ws:pairing_service": Pairing,
            "alliance:committee": Committee,
            "alliance:meeting": Meeting,
            "alliance:matter": Matter,
            "alliance:news_detail": Article,
            "alliance:assessment": Assessment,
            "alliance:grid_stars": GridStarRating,
            "projects:resource": Resource,
            "projects:need": Need,
            "projects:project": Project,
            "projects:claim": Project,
            "projects:my_claim": Claim,
            "projects:wish": Wish,
            "services:menu_item": MenuItem,
            "services:station": ServiceStation,
            "services:room": Room,
            "services:booking_cancel": Booking,
            "services:activity": Activity,
            "services:activity_signup": Activity,
            "volunteering:feedback_print": FeedbackSheet,
            "following:edit": Follow,
            "following:unfollow": Follow,
            "following:digest": Digest,
            "surveys:selection": Selection,
            "surveys:selection_vote": Selection,
            "surveys:selection_results": Selection,
            "services:board_issue": Issue,
            "services:board_me_too": Issue,
            **{f"surveys:{name}": Survey for name in ("detail", "thanks", "results", "live")},
        }
        | _proposal_models()
        | {
            f"{ns}:{name}": model
            for ns, model in (("services", Order), ("services_ws", Order), ("services", Issue), ("services_ws", Issue))
            for name in _names_of(ns, model._meta.model_name)
        }
    )


def _proposal_models():
    from alliance.proposals.models import Proposal

    return {f"proposals:{name}": Proposal for name in ("proposal", "support", "withdraw", "comment")}


def _names_of(namespace, word):
    return [name for ns, name, _ in _patterns() if ns == namespace and name.split("_")[0] == word]


def _own_first(model, user):
    """Candidate primary keys: the person's own objects (as resident, reporter, booker or unit) first."""
    qs = model.objects.order_by("-pk")
    mine = model.objects.none()
    if user is None:
        return list(qs.values_list("pk", flat=True)[:30])
    for field in ("resident", "reporter", "booked_by", "person"):
        if any(f.name == field for f in model._meta.fields):
            mine = mine | model.objects.filter(**{field: user})
    if user.unit_id:
        for field in ("unit", "provider_unit", "organiser_unit", "posted_by_unit"):
            if any(f.name == field for f in model._meta.fields):
                mine = mine | model.objects.filter(**{field: user.unit_id})
    first = list(mine.order_by("-pk").values_list("pk", flat=True)[:10])
    return first + [pk for pk in qs.values_list("pk", flat=True)[:30] if pk not in first]


def _pages_for(user, namespaces, models):
    """The paths of the HTML pages this person (None: anonymous) is shown, found with Django's test client."""
    client = Client()
    if user is not None:
        client.force_login(user)
    pages, unresolved = [], []
    for namespace, name, pattern in _patterns():
        if namespace not in namespaces or name in NOT_PAGES or pattern.startswith(("api/", "media/")):
            continue
        full = f"{namespace}:{name}" if namespace else name
        if full in NOT_PAGES or "<" in pattern.replace("<int:pk>", ""):  # e.g. a wish's <str:step>: an action
            continue
        if pattern.startswith("workspace/") != (namespaces is WORKSPACE_NAMESPACES):
            continue
        if "<int:pk>" in pattern:
            if full not in models:
                unresolved.append(full)
                continue
            candidates = [reverse(full, args=[pk]) for pk in _own_first(models[full], user)]
        else:
            candidates = [reverse(full)]
        for path in candidates:
            response = client.get(path)
            if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
                pages.append(path)
                break
            if response.status_code in (302, 405) or response.status_code == 403 and len(candidates) == 1:
                break  # not for this person, an action (POST only) or a step that leads to another page
    assert not unresolved, f"object pages without an object to show: {unresolved} (add them to _models)"
    return pages


AXE_RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' — ' + (n.failureSummary || '').split('\\n').slice(1, 2).join('')),
    count: v.nodes.length,
  }));
}"""


def test_no_wcag_21_aa_violation_on_any_portal_or_workspace_page(browser, live_server):
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `make install-dev` (npm ci --prefix tests)")
    call_command("seed_demo", stdout=io.StringIO())
    models = _models()
    people = {
        username: User.objects.get(username=username) for username in ("resident", "unit_operator", "grid_worker")
    }
    # The demo's unit has no claim of its own: one in progress, for the unit's page of a claim.
    ClaimFactory(
        project=Project.objects.order_by("pk").first(),
        unit=people["unit_operator"].unit,
        status=Claim.Status.IN_PROGRESS,
    )
    plan = [
        ("anonymous", None, _pages_for(None, PORTAL_NAMESPACES, models)),
        ("resident", people["resident"], _pages_for(people["resident"], PORTAL_NAMESPACES, models)),
        ("unit_operator", people["unit_operator"], _pages_for(people["unit_operator"], WORKSPACE_NAMESPACES, models)),
        ("grid_worker", people["grid_worker"], _pages_for(people["grid_worker"], WORKSPACE_NAMESPACES, models)),
    ]
    checked = {role: len(paths) for role, _, paths in plan}
    # Enough pages were found that the check means something: the portal's lists and details, the workspace's.
    assert checked["anonymous"] >= 25 and checked["resident"] >= 30, checked
    assert checked["unit_operator"] >= 10 and checked["grid_worker"] >= 6, checked
    assert any("/claims/" in path for path in plan[2][2]) and any("/checkin/" in path for path in plan[3][2]), plan

    context = browser.new_context(base_url=live_server.url, locale="zh-CN", bypass_csp=True, **PHONE)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.live_url = live_server.url
    violations = []
    try:
        for role, user, paths in plan:
            context.clear_cookies()
            if user is not None:
                sign_in(page, user)
            for path in paths:
                page.goto(path)
                page.add_script_tag(path=str(AXE))
                for v in page.evaluate(AXE_RUN, WCAG_21_AA):
                    violations.append(f"{role} {path}: {v['id']} ({v['impact']}, {v['count']}×) {v['help']}")
                    violations.extend(f"      {node}" for node in v["nodes"])
        # The check can fail: grey on white, put into the last page, is found.
        page.evaluate(
            "document.body.insertAdjacentHTML('beforeend', '<p style=\"color:#ccc;background:#fff\">浅灰</p>')"
        )
        assert "color-contrast" in [v["id"] for v in page.evaluate(AXE_RUN, WCAG_21_AA)]
    finally:
        context.close()
    assert not violations, f"axe-core on {checked} pages:\n" + "\n".join(violations)
