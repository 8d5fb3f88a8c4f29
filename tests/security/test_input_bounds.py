"""What a request writes is bounded and cleaned before it reaches the database (issue 12, §1 and §3).

- every input serializer and form takes its lengths and choices from the model: a string longer than its
  column is a 400 / form error in Chinese, never a DataError (a walk over every input class, plus over-long
  strings posted to every write operation of the API);
- a body that is not an object (a JSON array, string, number, null) is a 400, never a 500;
- a request that writes in two steps keeps both or neither;
- one-line fields lose control characters, a value of only invisible characters is refused;
- contact phones are checked like every phone; dates that must lie ahead are refused when past;
- a unique rule is a Chinese answer, never an IntegrityError.
"""

import datetime
import importlib
import inspect
import json
import re

import pytest
from django import forms
from django.core import mail
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.http import HttpResponse, JsonResponse
from django.test import RequestFactory
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from rest_framework import mixins, serializers
from rest_framework.test import APIClient

from alliance.committee.models import Matter, Meeting, Milestone
from alliance.core import inputs
from alliance.core.api_atomic import atomic_writes
from alliance.core.models import Notification
from alliance.core.notifications import notify
from alliance.core.querying import QueryForm
from alliance.core.senders import EmailSender
from alliance.urls import API_MODULES, router
from projects.models import Expenditure, Need, Pledge, Project, Resource, Wish
from services.forms import BookingForm, IssueForm, OrderForm, ReasonForm
from services.models import Booking, Issue, Order
from tests.alliance.factories import MatterFactory
from tests.projects.factories import ClaimFactory, ProjectFactory
from tests.security.world import build_world

LONG = "长" * 5000
INVISIBLE = "\u200b\u3000 \u2800\u200d\ufeff\u3164"
CHINESE = set("的请字填写不能早于今天最多内容")

# Valid values for the non-text fields of every write, so that the over-long strings are what is tried.
TEXT_NAMES = (
    "note",
    "title",
    "reason",
    "text",
    "comment",
    "minutes",
    "decisions",
    "resolution",
    "milestone",
    "goods",
    "donor_name",
    "item",
    "thanks",
    "purpose",
    "contact_phone",
    "address",
    "location",
    "description",
    "summary",
    "place",
    "availability",
    "name",
    "introduction",
    "contact_name",
)


@pytest.fixture
def world(db):
    return build_world()


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def _is_chinese(messages) -> bool:
    text = json.dumps(messages, ensure_ascii=False)
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def _base_values(w) -> dict:
    today = timezone.localdate()
    start = (timezone.now() + datetime.timedelta(days=3)).replace(minute=0, second=0, microsecond=0)
    return {
        "progress": 50,
        "rating": 5,
        "amount": "10.00",
        "spent_on": str(today),
        "publish": True,
        "answer": "attend",
        "months": 1,
        "starts_on": str(today),
        "starts_at": start.isoformat(),
        "ends_at": (start + datetime.timedelta(hours=1)).isoformat(),
        "milestone_due_on": str(today + datetime.timedelta(days=10)),
        "wanted_on": str(today),
        "wanted_by": str(today + datetime.timedelta(days=10)),
        "deadline": str(today + datetime.timedelta(days=10)),
        "capacity": 2,
        "quantity": 1,
        "attendees": 2,
        "committee": w.committee.pk,
        "matter": w.matter.pk,
        "category": w.category.pk,
        "grid_node": w.community.pk,
        "room": w.room.pk,
        "menu_item": w.menu_item.pk,
        "unit": w.unit.pk,
        "kind": "money",
        "channel": "web",
        "signup": 1,
    }


def write_operations(schema=None) -> list[tuple[str, str, dict]]:
    """Every POST / PUT / PATCH operation of the API, as the schema lists it."""
    schema = schema or SchemaGenerator().get_schema(request=None, public=True)
    found = []
    for path, operations in schema["paths"].items():
        if not path.startswith("/api/v1/"):
            continue
        for method, operation in operations.items():
            if method in ("post", "put", "patch"):
                found.append((path, method, operation))
    return found


def _fill(path: str, w) -> str | None:
    if "{" not in path:
        return path
    prefix = path.split("/")[3]
    record = w.records.get(prefix)
    if record is None:
        return None
    head, _, rest = path.partition("{")
    return head + str(record.pk) + rest.partition("}")[2]


# Signing in (the token endpoint) belongs to the accounts work of issue 12: a 5,000-character username
# reaches django-axes' AccessAttempt.username (255) there. Left out here, reported to the lead.
LOGIN_PATHS = ("/api/v1/auth/",)

WRITER_ROLES = ("resident", "unit_operator", "grid_worker", "community_admin", "street_admin")


# --- the class, over every write of the API ------------------------------------------------------------


def test_every_write_of_the_api_answers_a_body_that_is_not_an_object_with_a_4xx(world):
    operations = write_operations()
    assert len(operations) > 40
    errors = []
    for path, method, _operation in operations:
        url = _fill(path, world)
        if url is None:
            continue
        for role in ("resident", "unit_operator", "street_admin"):
            client = api(world.users[role])
            for body in ([], "x", 1, None):
                response = getattr(client, method)(url, data=json.dumps(body), content_type="application/json")
                if response.status_code >= 500:
                    errors.append(f"{method.upper()} {url} as {role} with {body!r}: {response.status_code}")
    assert not errors, "\n".join(errors)


def test_every_write_of_the_api_refuses_over_long_strings_without_a_server_error(world):
    base = _base_values(world)
    schema = SchemaGenerator().get_schema(request=None, public=True)
    errors = []
    for path, method, operation in write_operations(schema):
        url = _fill(path, world)
        if url is None or path.startswith(LOGIN_PATHS):
            continue
        body = dict(base)
        body.update(dict.fromkeys(TEXT_NAMES, LONG))
        content = operation.get("requestBody", {}).get("content", {})
        for media in content.values():
            ref = media.get("schema", {}).get("$ref", "")
            props = {}
            if ref:
                component = ref.rsplit("/", 1)[-1]
                props = schema["components"]["schemas"].get(component, {}).get("properties", {})
            body.update({name: LONG for name, prop in props.items() if prop.get("type") == "string"})
        for role in WRITER_ROLES:
            response = getattr(api(world.users[role]), method)(url, data=body, format="json")
            if response.status_code >= 500:
                errors.append(f"{method.upper()} {url} as {role}: {response.status_code}")
    assert not errors, "\n".join(errors)


# --- the class, over every input class --------------------------------------------------------------------


INPUT_USE = re.compile(r"(\w+Serializer)\s*\(\s*data\s*=|(?:_valid|valid_data)\(\s*(\w+Serializer)")


def _input_serializer_classes() -> set[type]:
    """The serializers that read a request body: what the API's write actions and creates validate with."""
    classes: set[type] = set()
    for module_name in API_MODULES:
        module = importlib.import_module(module_name)
        for match in INPUT_USE.finditer(inspect.getsource(module)):
            name = match.group(1) or match.group(2)
            if name in vars(module):
                classes.add(vars(module)[name])
    for _prefix, viewset, _basename in router.registry:
        for extra in viewset.get_extra_actions():
            if set(extra.mapping) & {"post", "put", "patch"} and extra.kwargs.get("serializer_class"):
                classes.add(extra.kwargs["serializer_class"])
        for action in ("create", "update", "partial_update"):
            # DRF's own create/update validate with get_serializer_class(); an overridden one is read above.
            mixin = mixins.CreateModelMixin if action == "create" else mixins.UpdateModelMixin
            if getattr(viewset, action, None) is getattr(mixin, action, object()):
                view = viewset(action=action, request=None, format_kwarg=None, kwargs={})
                classes.add(view.get_serializer_class())
    return {c for c in classes if issubclass(c, serializers.Serializer)}


def _model_column(serializer, field) -> models.Field | None:
    model = getattr(getattr(serializer, "Meta", None), "model", None)
    if model is None or not field.source or "." in field.source or field.source == "*":
        return None
    try:
        return model._meta.get_field(field.source)
    except FieldDoesNotExist:  # a property or a method: not a column
        return None


def _is_secret(name: str, field) -> bool:
    return "password" in name or getattr(field, "style", {}).get("input_type") == "password"


def test_every_text_input_of_every_serializer_is_cleaned_and_bounded_by_its_column():
    classes = _input_serializer_classes()
    assert len(classes) > 25
    problems = []
    for cls in sorted(classes, key=lambda c: c.__qualname__):
        serializer = cls()
        for name, field in serializer.fields.items():
            where = f"{cls.__module__}.{cls.__qualname__}.{name}"
            child = getattr(field, "child", field)
            if not field.read_only and isinstance(child, serializers.IntegerField) and child.max_value is None:
                problems.append(f"{where}: a number without max_value (use alliance.core.inputs.record_id / model_int)")
            if field.read_only or not isinstance(field, serializers.CharField) or _is_secret(name, field):
                continue
            if not isinstance(field, inputs.LineField):
                problems.append(f"{where}: a plain CharField (use alliance.core.inputs.model_char)")
            column = _model_column(serializer, field)
            limit = getattr(column, "max_length", None)
            if limit and (field.max_length is None or field.max_length > limit):
                problems.append(f"{where}: max_length {field.max_length} for a column of {limit}")
            if not getattr(field, "multiline", False) and field.max_length is None:
                problems.append(f"{where}: a one-line input without max_length")
    assert not problems, "\n".join(problems)


FORM_MODULES = ("alliance.committee.forms_committee", "projects.forms", "services.forms")
FORM_MODULES += ("alliance.proposals.forms",)


def _form_instances():
    for module_name in FORM_MODULES:
        module = importlib.import_module(module_name)
        for cls in vars(module).values():
            if inspect.isclass(cls) and issubclass(cls, forms.BaseForm) and cls.__module__ == module_name:
                if issubclass(cls, QueryForm):  # a query string's fields are querying.py's own, bounded there
                    continue
                yield cls()


def test_every_text_input_of_every_form_is_cleaned_and_bounded_by_its_column():
    problems = []
    seen = 0
    for form in _form_instances():
        model = getattr(getattr(form, "_meta", None), "model", None)
        for name, field in form.fields.items():
            if not isinstance(field, forms.CharField) or isinstance(field, forms.EmailField):
                continue
            seen += 1
            where = f"{type(form).__qualname__}.{name}"
            if not isinstance(field, inputs.LineFormField):
                problems.append(f"{where}: a plain CharField (use alliance.core.inputs.form_char)")
                continue
            if model is not None:
                limit = getattr(model._meta.get_field(name), "max_length", None)
                if limit and (field.max_length is None or field.max_length > limit):
                    problems.append(f"{where}: max_length {field.max_length} for a column of {limit}")
            if not field.multiline and field.max_length is None:
                problems.append(f"{where}: a one-line input without max_length")
    assert seen > 15
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("model", "name"),
    [
        (Matter, "title"),
        (Matter, "progress_note"),
        (Milestone, "title"),
        (Meeting, "title"),
        (Pledge, "goods"),
        (Pledge, "donor_name"),
        (Expenditure, "item"),
        (Wish, "thanks"),
        (Wish, "review_note"),
        (Order, "contact_phone"),
        (Issue, "title"),
        (Booking, "purpose"),
        (Need, "title"),
    ],
)
def test_the_helpers_take_the_length_from_the_model(model, name):
    column = model._meta.get_field(name)
    assert inputs.model_char(model, name).max_length == column.max_length
    assert inputs.form_char(model, name).max_length == column.max_length


# --- what a user notices: lengths -------------------------------------------------------------------------


def _resolved_matter(w) -> Matter:
    Matter.objects.filter(pk=w.matter.pk).update(status=Matter.Status.RESOLVED)
    w.matter.refresh_from_db()
    return w.matter


@pytest.mark.parametrize(
    ("role", "url", "body", "field"),
    [
        ("street_admin", "/api/v1/matters/{matter}/follow-up/", {"progress": 60, "note": "长" * 201}, "note"),
        ("street_admin", "/api/v1/matters/{matter}/follow-up/", {"progress": 60, "milestone": "长" * 201}, "milestone"),
        ("street_admin", "/api/v1/claims/{claim}/approve/", {"note": "长" * 201}, "note"),
        ("community_admin", "/api/v1/wishes/{wish}/review/", {"publish": True, "note": "长" * 201}, "note"),
        (
            "unit_operator",
            "/api/v1/projects/{fund}/pledge/",
            {"amount": "5", "kind": "goods", "goods": "长" * 201},
            "goods",
        ),
        ("street_admin", "/api/v1/projects/{fund}/pledge/", {"amount": "5", "donor_name": "长" * 101}, "donor_name"),
        (
            "street_admin",
            "/api/v1/projects/{fund}/expenditures/",
            {"item": "长" * 201, "amount": "5", "spent_on": "2026-01-01"},
            "item",
        ),
        ("resident", "/api/v1/orders/", {"menu_item": "{menu_item}", "contact_phone": "1" * 21}, "contact_phone"),
        ("resident", "/api/v1/issues/", {"title": "长" * 101, "text": "路灯坏了"}, "title"),
        (
            "community_admin",
            "/api/v1/needs/",
            {"title": "长" * 121, "category": "{category}", "grid_node": "{community}"},
            "title",
        ),
    ],
)
def test_a_string_longer_than_its_column_is_a_chinese_field_error_and_nothing_is_written(world, role, url, body, field):
    _resolved_matter(world)
    ids = {
        "matter": world.matter.pk,
        "claim": world.claim.pk,
        "wish": world.wish.pk,
        "fund": world.fund_project.pk,
        "menu_item": world.menu_item.pk,
        "category": world.category.pk,
        "community": world.community.pk,
    }
    body = {k: (ids[v[1:-1]] if isinstance(v, str) and v.startswith("{") else v) for k, v in body.items()}
    counts = [m.objects.count() for m in (Milestone, Pledge, Expenditure, Order, Issue, Need)]

    response = api(world.users[role]).post(url.format(**ids), body, format="json")

    assert response.status_code == 400, response.content
    assert field in response.json() and _is_chinese(response.json()[field])
    assert [m.objects.count() for m in (Milestone, Pledge, Expenditure, Order, Issue, Need)] == counts
    world.matter.refresh_from_db()
    assert world.matter.progress == 0


def test_a_form_refuses_a_string_longer_than_its_column_in_chinese():
    form = BookingForm({"purpose": "长" * 201, "attendees": 3})
    assert not form.is_valid()
    assert "最多 200 个字" in form.errors["purpose"][0]


# --- bodies that are not objects --------------------------------------------------------------------------


@pytest.mark.parametrize("body", [[], "x", 1, None])
@pytest.mark.parametrize(
    ("role", "url"),
    [
        ("street_admin", "/api/v1/matters/{matter}/follow-up/"),
        ("street_admin", "/api/v1/claims/{claim}/approve/"),
        ("unit_operator", "/api/v1/claims/{claim}/report/"),
        ("resident", "/api/v1/orders/"),
        ("resident", "/api/v1/issues/"),
        ("street_admin", "/api/v1/meetings/"),
    ],
)
def test_a_body_that_is_not_an_object_is_a_400(world, role, url, body):
    _resolved_matter(world)
    world.claim.status = world.claim.Status.APPROVED
    world.claim.save()
    target = url.format(matter=world.matter.pk, claim=world.claim.pk)

    response = api(world.users[role]).post(target, data=json.dumps(body), content_type="application/json")

    assert response.status_code == 400, response.content
    assert _is_chinese(response.json())


@pytest.mark.parametrize(
    ("role", "url", "body"),
    [
        ("street_admin", "/api/v1/meetings/{meeting}/agenda/", {"matter": 10**30}),
        ("street_admin", "/api/v1/meetings/{meeting}/hold/", {"attended_seats": [10**30]}),
        ("resident", "/api/v1/meetings/{meeting}/answer/", {"answer": "attend", "invitation": 10**30}),
        ("grid_worker", "/api/v1/activities/{activity}/check-in/", {"signup": 10**30}),
        ("resident", "/api/v1/bookings/", {"room": "{room}", "purpose": "开会", "attendees": 10**12}),
    ],
)
def test_a_number_beyond_its_column_is_a_400(world, role, url, body):
    body = {k: (world.room.pk if v == "{room}" else v) for k, v in body.items()}
    target = url.format(meeting=world.meeting.pk, activity=world.activity.pk)

    response = api(world.users[role]).post(target, body, format="json")

    assert response.status_code == 400, response.content
    assert _is_chinese(response.json())


# --- two steps, one transaction ---------------------------------------------------------------------------


def test_a_follow_up_whose_milestone_fails_keeps_no_progress(world):
    matter = _resolved_matter(world)
    past = timezone.localdate() - datetime.timedelta(days=1)

    response = api(world.users["street_admin"]).post(
        f"/api/v1/matters/{matter.pk}/follow-up/",
        {"progress": 70, "note": "已完成选址", "milestone": "完成招标", "milestone_due_on": str(past)},
        format="json",
    )

    assert response.status_code == 400
    assert "milestone_due_on" in response.json() and _is_chinese(response.json())
    matter.refresh_from_db()
    assert (matter.progress, matter.progress_note, matter.milestones.count()) == (0, "", 0)


def test_a_follow_up_with_a_valid_milestone_keeps_both(world):
    matter = _resolved_matter(world)
    ahead = timezone.localdate() + datetime.timedelta(days=20)

    response = api(world.users["street_admin"]).post(
        f"/api/v1/matters/{matter.pk}/follow-up/",
        {"progress": 70, "milestone": "完成招标", "milestone_due_on": str(ahead)},
        format="json",
    )

    assert response.status_code == 200
    assert response.json()["progress"] == 70 and response.json()["milestones"][0]["title"] == "完成招标"


def test_any_api_write_whose_second_step_fails_keeps_nothing_of_the_first(world, monkeypatch):
    """The router's atomic wrapper: here the API's follow-up is made of two separate actions again."""
    from alliance.committee import actions

    matter = _resolved_matter(world)

    def two_steps(*, by, matter, progress, note, milestone, milestone_due_on, **owner):
        actions.update_follow_up(by=by, matter=matter, progress=progress, note=note)
        actions.add_milestone(by=by, matter=matter, title=milestone, due_on=milestone_due_on)

    monkeypatch.setattr(actions, "follow_up", two_steps)
    response = api(world.users["street_admin"]).post(
        f"/api/v1/matters/{matter.pk}/follow-up/",
        {"progress": 80, "note": "第一步", "milestone": "", "milestone_due_on": None},
        format="json",
    )

    assert response.status_code == 400  # the milestone without a title
    matter.refresh_from_db()
    assert (matter.progress, matter.progress_note) == (0, "")


def test_the_atomic_wrapper_rolls_back_an_error_answer_and_keeps_a_success(world):
    def view(request, title, status):
        Matter.objects.filter(pk=world.matter.pk).update(title=title)
        return JsonResponse({}, status=status) if status >= 400 else HttpResponse(status=status)

    wrapped = atomic_writes(view)
    wrapped(RequestFactory().post("/"), title="失败时不保留", status=409)
    world.matter.refresh_from_db()
    assert world.matter.title != "失败时不保留"
    wrapped(RequestFactory().post("/"), title="成功时保留", status=200)
    world.matter.refresh_from_db()
    assert world.matter.title == "成功时保留"


# --- one line, no invisible values ------------------------------------------------------------------------


def test_control_characters_are_stripped_from_one_line_fields_and_line_breaks_kept_in_texts(world):
    response = api(world.users["resident"]).post(
        "/api/v1/issues/",
        {
            "title": "路灯\r\n坏了\t\u202e\u200b\x07",
            "text": "第一行\r\n第二行\x00\u202e\x1b",
            "location": "3号楼\n东侧",
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    issue = Issue.objects.get(pk=response.json()["id"])
    assert (issue.title, issue.text, issue.location) == ("路灯 坏了", "第一行\n第二行", "3号楼 东侧")


@pytest.mark.parametrize(
    ("role", "url", "body", "field"),
    [
        ("resident", "/api/v1/issues/", {"title": INVISIBLE, "text": "路灯坏了"}, "title"),
        ("resident", "/api/v1/wishes/", {"title": INVISIBLE}, "title"),
        ("street_admin", "/api/v1/matters/", {"committee": "{committee}", "title": INVISIBLE}, "title"),
        ("unit_operator", "/api/v1/resources/", {"title": "\u200b\u200c", "category": "{category}"}, "title"),
    ],
)
def test_a_title_of_only_invisible_characters_is_refused(world, role, url, body, field):
    ids = {"committee": world.committee.pk, "category": world.category.pk}
    body = {k: (ids[v[1:-1]] if isinstance(v, str) and v.startswith("{") else v) for k, v in body.items()}

    response = api(world.users[role]).post(url, body, format="json")

    assert response.status_code == 400
    assert response.json()[field] == ["请填写内容。"]


def test_forms_refuse_invisible_titles_and_clean_one_line_fields():
    form = IssueForm({"title": INVISIBLE, "text": "路灯坏了"})
    assert not form.is_valid() and form.errors["title"] == ["请填写内容。"]
    form = ReasonForm({"reason": "时间\r\n冲突\u2028"})
    assert form.is_valid() and form.cleaned_data["reason"] == "时间 冲突"


def test_an_order_title_with_a_line_break_still_reaches_the_resident_by_e_mail(world, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    world.order.menu_item = None
    world.order.text = "帮忙\r\n修水管\n谢谢"
    assert "\n" not in world.order.title and "\r" not in world.order.title

    note = notify(recipient=world.users["resident"], key="test:newline", title="您的点单\n「修水管」已接单")
    assert "\n" not in note.title
    EmailSender().send(address="a@example.com", title="标题\r\n第二行", body="正文")  # a stored title of old
    assert mail.outbox[-1].subject == "标题 第二行"


# --- phones, dates, unique rules --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "body"),
    [
        ("/api/v1/orders/", {"menu_item": "{menu_item}", "contact_phone": "12345"}),
        ("/api/v1/issues/", {"title": "路灯", "text": "坏了", "contact_phone": "abc-123"}),
    ],
)
def test_a_contact_phone_is_checked_like_every_phone(world, url, body):
    body = {k: (world.menu_item.pk if v == "{menu_item}" else v) for k, v in body.items()}
    before = (Order.objects.count(), Issue.objects.count())

    response = api(world.users["resident"]).post(url, body, format="json")

    assert response.status_code == 400
    assert "手机号码" in response.json()["contact_phone"][0]
    assert (Order.objects.count(), Issue.objects.count()) == before


def test_the_contact_phone_rule_holds_in_forms_actions_and_the_model(world):
    assert not OrderForm({"contact_phone": "12345"}).is_valid()
    assert OrderForm({"contact_phone": "0531-82345678"}).is_valid()
    for model in (Order, Issue):
        field = model._meta.get_field("contact_phone")
        assert any(getattr(v, "__name__", "") == "validate_phone" for v in field.validators)
    from services import actions

    with pytest.raises(ValidationError) as refused:
        actions.report_issue(by=world.users["resident"], title="路灯", text="坏了", contact_phone="999")
    assert "contact_phone" in refused.value.message_dict


@pytest.mark.parametrize(
    ("role", "url", "body", "field"),
    [
        (
            "community_admin",
            "/api/v1/needs/",
            {"title": "义诊", "category": "{category}", "grid_node": "{community}", "wanted_by": "{past}"},
            "wanted_by",
        ),
        (
            "community_admin",
            "/api/v1/projects/",
            {"title": "加装电梯", "category": "{category}", "grid_node": "{community}", "deadline": "{past}"},
            "deadline",
        ),
        (
            "unit_operator",
            "/api/v1/resources/",
            {"title": "会议室", "category": "{category}", "available_until": "{past}"},
            "available_until",
        ),
        (
            "street_admin",
            "/api/v1/meetings/",
            {"committee": "{committee}", "title": "联席会", "starts_at": "{past_time}"},
            "starts_at",
        ),
    ],
)
def test_a_date_that_must_lie_ahead_is_refused_when_past(world, role, url, body, field):
    values = {
        "category": world.category.pk,
        "community": world.community.pk,
        "committee": world.committee.pk,
        "past": str(timezone.localdate() - datetime.timedelta(days=1)),
        "past_time": (timezone.now() - datetime.timedelta(hours=2)).isoformat(),
    }
    body = {k: (values[v[1:-1]] if isinstance(v, str) and v.startswith("{") else v) for k, v in body.items()}
    counts = [m.objects.count() for m in (Need, Project, Resource, Meeting)]

    response = api(world.users[role]).post(url, body, format="json")

    assert response.status_code == 400, response.content
    assert field in response.json() and _is_chinese(response.json()[field])
    assert [m.objects.count() for m in (Need, Project, Resource, Meeting)] == counts


def test_a_date_ahead_is_accepted(world):
    ahead = str(timezone.localdate() + datetime.timedelta(days=7))
    response = api(world.users["community_admin"]).post(
        "/api/v1/needs/",
        {"title": "义诊", "category": world.category.pk, "grid_node": world.community.pk, "wanted_by": ahead},
        format="json",
    )
    assert response.status_code == 201, response.content


def test_claiming_twice_is_a_chinese_conflict_not_an_integrity_error(world):
    project = ProjectFactory(grid_node=world.community, category=world.category, capacity=3)
    ClaimFactory(project=project, unit=world.unit)

    response = api(world.users["unit_operator"]).post(f"/api/v1/projects/{project.pk}/claim/", {}, format="json")

    assert response.status_code == 409 and _is_chinese(response.json())


def test_a_unique_rule_the_input_did_not_check_is_a_conflict_not_a_500(world, monkeypatch):
    """Two requests at once can pass every check and meet at the database's unique constraint."""
    from alliance.committee import api as alliance_api

    def first_write_then_a_duplicate(*, by, matter):
        Matter.objects.create(committee=world.committee, title="第一步写入")
        Notification.objects.create(recipient=world.notification.recipient, key=world.notification.key, title="重复")

    matter = MatterFactory(committee=world.committee)
    monkeypatch.setattr(alliance_api.actions, "study_matter", first_write_then_a_duplicate)

    response = api(world.users["street_admin"]).post(f"/api/v1/matters/{matter.pk}/study/", format="json")

    assert response.status_code == 409
    assert response.json()["detail"] == "该记录已存在，请勿重复提交。"
    assert not Matter.objects.filter(title="第一步写入").exists()  # the request's first write went with it


# --- the kernel itself ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "line", "text"),
    [
        ("  标题  ", "标题", "标题"),
        ("a\r\nb", "a b", "a\nb"),
        ("a\tb", "a b", "a b"),
        ("a\x00b\x7f\x85c", "ab c", "ab\nc"),
        ("\u202eabc\u2066", "abc", "abc"),
        ("a\u200bb\ufeff", "ab", "ab"),
        ("a\u2028b\u2029c", "a b c", "a\nb\nc"),
        ("a\ud800b", "ab", "ab"),
    ],
)
def test_the_kernel_cleans_one_line_and_several_lines(raw, line, text):
    assert inputs.clean_line(raw) == line
    assert inputs.clean_text(raw) == text


@pytest.mark.parametrize("value", ["", " ", "\u3000", "\u200b", "\u2800\u3164", "\u200d", "\ufeff\u2060"])
def test_the_kernel_knows_an_invisible_value(value):
    assert inputs.is_blank(value)
    assert inputs.clean_input(value) == ""


def test_the_kernel_keeps_what_is_visible():
    assert not inputs.is_blank("好")
    assert inputs.clean_input("👍") == "👍"


@pytest.mark.parametrize(
    "slot",
    ["2026-13-45T10:00:00", "9999-12-31T23:30:00-12:00", "0001-01-01T00:00:00+14:00", "x\x00", "", "2030-01-01 10:00"],
)
def test_a_hostile_slot_on_the_room_page_is_a_message_not_a_500(client, world, slot):
    client.force_login(world.users["resident"])
    before = Booking.objects.count()

    response = client.post(f"/services/rooms/{world.room.pk}/", {"starts_at": slot, "purpose": "开会", "attendees": 2})

    assert response.status_code in (200, 302)
    if slot != "2030-01-01 10:00":  # a naive time ahead is read in local time and may be booked
        assert Booking.objects.count() == before


def test_workspace_buttons_refuse_an_over_long_reason_with_a_message_and_change_nothing(client, world):
    operator = world.users["unit_operator"]
    client.force_login(operator)

    response = client.post(f"/workspace/services/orders/{world.order.pk}/decline/", {"reason": "长" * 301}, follow=True)

    assert response.status_code == 200
    assert any("最多 300 个字" in str(m) for m in response.context["messages"])
    assert not world.order.events.filter(kind="declined").exists()


def test_workspace_issue_steps_refuse_over_long_texts_and_do_not_move(client, world):
    client.force_login(world.users["grid_worker"])
    status, level = world.issue.status, world.issue.level

    moved = client.post(f"/workspace/services/issues/{world.issue.pk}/move/", {"text": "长" * 2001}, follow=True)
    escalated = client.post(f"/workspace/services/issues/{world.issue.pk}/escalate/", {"reason": "长" * 301})
    raised = client.post(f"/workspace/services/issues/{world.issue.pk}/matter/", {"title": "长" * 201})

    assert moved.status_code == 200 and escalated.status_code == 302 and raised.status_code == 302
    world.issue.refresh_from_db()
    assert (world.issue.status, world.issue.level, world.issue.matter_id) == (status, level, None)
