"""The base of every admin: grid scoping, role permissions, change history and Chinese Excel."""

import html
from typing import TYPE_CHECKING

from django import forms
from django.apps import apps
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from alliance.core.admin_action_form import ActionForm
from alliance.core.admin_lists import CappedCountPaginator, ScopedChangeList, scope_rows
from alliance.core.errors import Conflict
from alliance.core.export_admin import ExportAdminMixin
from alliance.core.scoping import UNSCOPED, by_street_column, in_scope, scope_path, scope_queryset


def is_admin_user(user) -> bool:
    return user.is_active and (user.is_superuser or (user.is_staff and user.role in user.ADMIN_ROLES))


def _has_simple_history(model) -> bool:
    return hasattr(model._meta, "simple_history_manager_attribute")


# ---------------------------------------------------------------------------
# Workflow fields are read-only; transitions are buttons and admin actions that call the app's actions.
# ---------------------------------------------------------------------------

# Field names that belong to a workflow wherever they appear: the state, the stage, the resident's or the
# community's evaluation, and counters the actions keep.
WORKFLOW_NAMES = frozenset(
    {"status", "stage", "rating", "rating_comment", "evaluation", "star_rating", "stars", "active_claims", "reopened"}
)
# Fields named *_at that say when something is planned, not when a transition happened.
SCHEDULE_NAMES = frozenset({"starts_at", "ends_at", "publish_at"})


def workflow_fields(model, extra=()) -> frozenset[str]:
    """The fields of ``model`` that only its actions write: the names above, every who/when stamp (``*_at``,
    ``*_by``), plus what the model (``workflow_fields``) or its admin declares. The admin shows them read-only on
    change and add forms alike, so a new model cannot forget them."""
    names = set(extra) | set(getattr(model, "workflow_fields", ()))
    for f in [*model._meta.concrete_fields, *model._meta.many_to_many]:
        if f.primary_key:
            continue
        if f.name in WORKFLOW_NAMES or (f.name.endswith(("_at", "_by")) and f.name not in SCHEDULE_NAMES):
            names.add(f.name)
    return frozenset(names)


def _with_workflow_readonly(admin_obj, declared) -> list[str]:
    declared = list(declared)
    extra = workflow_fields(admin_obj.model, getattr(admin_obj, "workflow_fields", ())) - set(declared)
    return declared + sorted(extra)


def adopt(obj, created) -> None:
    """Make the admin's unsaved ``obj`` the record an action created (for save_model of an add form: the
    admin then saves the inlines and m2m against it and logs the addition)."""
    obj.__dict__.update(created.__dict__)


def error_text(exc) -> str:
    """The Chinese reason of a refusal raised by an action, for an admin message."""
    if hasattr(exc, "message_dict"):
        return ";".join(m for msgs in exc.message_dict.values() for m in msgs)
    if hasattr(exc, "messages"):
        return ";".join(exc.messages)
    return getattr(exc, "message", "") or str(exc) or str(_("您无权执行此操作。"))


class AdminsSeeEditorsChange:
    """The permissions of an admin page: every admin sees it; ``_can_edit`` says who adds, changes and deletes."""

    def _can_edit(self, request) -> bool:
        raise NotImplementedError

    def has_module_permission(self, request):
        return is_admin_user(request.user)

    def has_view_permission(self, request, obj=None):
        return is_admin_user(request.user)

    def has_add_permission(self, request, *args):
        return self._can_edit(request)

    def has_change_permission(self, request, obj=None):
        return self._can_edit(request)

    def has_delete_permission(self, request, obj=None):
        return self._can_edit(request)


def reason_form(label, name: str = "reason", required: bool = True, max_length: int = 500):
    """A form asking for the reason (or note) a transition takes, under the action's keyword ``name``."""

    field = forms.CharField(
        label=label, required=required, max_length=max_length, widget=forms.Textarea(attrs={"rows": 3})
    )
    return type("ReasonForm", (forms.Form,), {name: field})


class Transition:
    """One transition offered in the admin: a button on the change page and an action on the change list.

    ``action`` is the app's action, called as ``action(by=request.user, <arg>=obj, **inputs)`` (``arg``: the
    model's name unless given, ``order=`` for an Order), where the
    inputs are the cleaned data of ``form`` (its field names are the action's keywords) or what ``inputs``
    makes of them. ``when`` lists the states (of ``state_field``) in which the button is shown; the action
    decides in the end."""

    def __init__(
        self,
        name: str,
        label,
        action,
        *,
        arg: str | None = None,
        when=(),
        form=None,
        inputs=None,
        state_field: str = "status",
        bulk: bool = True,
        bulk_label=None,
        done=None,
    ):
        self.name, self.label, self.action, self.arg = name, label, action, arg
        self.when, self.form, self.inputs, self.state_field = tuple(when), form, inputs, state_field
        self.bulk, self.bulk_label = bulk, bulk_label or label
        self.done = done or label

    def offered(self, obj) -> bool:
        return not self.when or getattr(obj, self.state_field) in self.when

    def run(self, request, obj, data: dict):
        kwargs = self.inputs(obj, data) if self.inputs else dict(data)
        return self.action(by=request.user, **{self.arg or obj._meta.model_name: obj}, **kwargs)


# The mixin is mixed into ModelAdmins: to mypy it is one (message_user, ...); at run time it adds nothing to the MRO.
if TYPE_CHECKING:
    ModelAdminBase = admin.ModelAdmin
else:
    ModelAdminBase = object


def _back_url(request) -> str:
    """Where a confirmed transition returns: ``next`` (a page of this site, such as the to-do page), else ""."""
    value = request.POST.get("next") if request.method == "POST" else request.GET.get("next")
    if not value or len(value) > 500 or not value.startswith("/"):
        return ""
    safe = url_has_allowed_host_and_scheme(value, allowed_hosts={request.get_host()}, require_https=request.is_secure())
    return value if safe else ""


class TransitionsMixin(ModelAdminBase):
    """Turns ``transitions`` into confirmation pages behind POST buttons and into change-list actions.

    Every refusal of an action (ValidationError, PermissionDenied, Conflict) becomes an error message."""

    transitions: tuple = ()

    def _transition(self, name):
        for t in self.transitions:
            if t.name == name:
                return t
        raise Http404(_("没有这个操作。"))

    def get_urls(self):
        info = self.model._meta.app_label, self.model._meta.model_name
        view = self.admin_site.admin_view(self.transition_view)
        own = [path("<path:object_id>/transition/<slug:name>/", view, name="{}_{}_transition".format(*info))]
        return own + super().get_urls()

    def _apply(self, request, t, obj, data) -> bool:

        try:
            t.run(request, obj, data)
        except (ValidationError, PermissionDenied, Conflict) as exc:
            self.message_user(request, f"{obj}：{error_text(exc)}", messages.ERROR)
            return False
        return True

    def transition_view(self, request, object_id, name):
        t = self._transition(name)
        obj = self.get_object(request, unquote(object_id))
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        change_url = reverse(f"admin:{self.model._meta.app_label}_{self.model._meta.model_name}_change", args=[obj.pk])
        back = _back_url(request) or change_url
        confirmed = request.method == "POST" and request.POST.get("confirm") == "yes"
        form = t.form(request.POST if confirmed else None) if t.form else None
        if confirmed and (form is None or form.is_valid()):
            if self._apply(request, t, obj, form.cleaned_data if form else {}):
                self.message_user(request, _("“%(obj)s”：%(done)s。") % {"obj": obj, "done": t.done}, messages.SUCCESS)
            return redirect(back)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": t.label,
            "object": obj,
            "transition": t,
            "form": form,
            "change_url": change_url,
            "back_url": back,
            "next": back if back != change_url else "",
        }
        return TemplateResponse(request, "admin/transition_confirm.html", context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and self.transitions and self.has_change_permission(request, obj):
            info = self.model._meta.app_label, self.model._meta.model_name
            context["transitions"] = [
                (t.label, reverse("admin:{}_{}_transition".format(*info), args=[obj.pk, t.name]))
                for t in self.transitions
                if t.offered(obj)
            ]
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _bulk(self, t):
        def run(modeladmin, request, queryset):
            form = None
            if t.form:
                form = t.form(request.POST if "apply" in request.POST else None)
                if not form.is_bound or not form.is_valid():
                    context = {
                        **self.admin_site.each_context(request),
                        "opts": self.model._meta,
                        "title": t.label,
                        "objects": queryset,
                        "transition": t,
                        "form": form,
                        "action": f"{t.name}",
                        "selected": request.POST.getlist(helpers.ACTION_CHECKBOX_NAME),
                        "select_across": request.POST.get("select_across", "0"),
                    }
                    return TemplateResponse(request, "admin/transition_bulk_confirm.html", context)
            ok = sum(self._apply(request, t, obj, form.cleaned_data if form else {}) for obj in queryset)
            if ok:
                self.message_user(request, _("%(done)s %(n)d 条。") % {"done": t.done, "n": ok}, messages.SUCCESS)
            return None

        run.__name__ = t.name
        return run

    def get_actions(self, request):
        actions = super().get_actions(request)
        if self.transitions and self.has_change_permission(request):
            for t in self.transitions:
                if t.bulk:
                    actions[t.name] = (self._bulk(t), t.name, t.bulk_label)
        return actions


class ScopedAdmin(AdminsSeeEditorsChange, ExportAdminMixin, TransitionsMixin, SimpleHistoryAdmin):
    """An admin whose lists, objects, foreign-key choices, search and exports stay in the user's subtree.

    ``export = <alliance.core.exports.Export>`` adds "导出Excel" to its list (``alliance.core.export_admin``).

    Street and community admins may view, add, change and delete scoped models inside their
    subtree. Unscoped (district-wide) models are read-only for them unless ``street_admin_edits``
    lets street admins change them.
    """

    street_admin_edits = False
    list_per_page = 50
    # Lists of big tables show "more" instead of counting every row again, and count a page's list only up
    # to a cap (a city holds a million orders).
    show_full_result_count = False
    paginator = CappedCountPaginator
    # Model-specific workflow fields beyond those workflow_fields() finds by name.
    workflow_fields = ()
    # The stock page with its rows drawn once per column, not once per cell (alliance.core.admin_rows).
    change_list_template = "admin/scoped_change_list.html"
    # The action menu's widgets written out rather than drawn by templates (alliance.core.admin_action_form).
    action_form = ActionForm

    def get_readonly_fields(self, request, obj=None):
        return _with_workflow_readonly(self, super().get_readonly_fields(request, obj))

    def get_changelist(self, request, **kwargs):
        return ScopedChangeList

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        paginator = super().get_paginator(request, queryset, per_page, orphans, allow_empty_first_page)
        # An area's list (its rows found among its nodes by scope_rows) pages in two steps.
        paginator.in_area = hasattr(request, "_subtree_ids") and not by_street_column(self.model, request.user)
        return paginator

    def action_checkbox(self, obj):
        """The row's checkbox as the stock admin draws it, without rendering a form widget's template per row (a
        third of a 50-row list's time), built as a string (500 format_html calls a page)."""
        label = gettext("Select this object for an action - {}").format(html.escape(str(obj)))
        return mark_safe(  # noqa: S308 - the object's text and pk escaped
            f'<input type="checkbox" name="{helpers.ACTION_CHECKBOX_NAME}" value="{html.escape(str(obj.pk))}" '
            f'class="action-select" aria-label="{label}">'
        )

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """An action called on save (an add through the app's action, an inline row through its action) may
        refuse: the form comes back with the refusal in it and what was typed, nothing saved, never a 500."""

        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except (ValidationError, PermissionDenied, Conflict) as exc:
            if request.method != "POST" or getattr(request, "_action_refusal", None) is not None:
                raise
            request._action_refusal = exc
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        refusal = getattr(request, "_action_refusal", None)
        if refusal is None:
            return form

        class RefusedForm(form):
            def clean(self):
                data = super().clean()
                if hasattr(refusal, "message_dict"):
                    for field, messages in refusal.message_dict.items():
                        self.add_error(field if field in self.fields else None, messages)
                else:
                    self.add_error(None, error_text(refusal))
                return data

        RefusedForm.__name__ = form.__name__
        return RefusedForm

    def get_queryset(self, request):
        return scope_rows(super().get_queryset(request), request)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            # A record outside the subtree answers exactly as a missing one.
            raise Http404(_("记录不存在，或不在您的管辖范围内。"))
        return obj

    def _check_history_scope(self, request, object_id) -> None:
        """History of a record outside the subtree answers 404, also once the record is deleted.

        simple-history falls back to the history table when the scoped queryset misses the record,
        which would show (and offer to revert) other communities' records.
        """
        model = self.model
        try:
            pk = model._meta.pk.to_python(unquote(object_id))
        except ValidationError as e:
            raise Http404(_("记录不存在，或不在您的管辖范围内。")) from e
        if self.get_queryset(request).filter(pk=pk).exists():
            return
        history = getattr(model, model._meta.simple_history_manager_attribute)
        latest = history.filter(**{model._meta.pk.attname: pk}).order_by("-history_date").first()
        try:
            visible = latest is not None and in_scope(latest.instance, request.user)
        except ObjectDoesNotExist:  # the record's grid node is gone too
            visible = False
        if not visible:
            raise Http404(_("记录不存在，或不在您的管辖范围内。"))

    @property
    def object_history_template(self):
        # Models without HistoricalRecords fall back to Django's log of admin changes.
        if _has_simple_history(self.model):
            return SimpleHistoryAdmin.object_history_template
        return None

    def history_view(self, request, object_id, extra_context=None):
        if not _has_simple_history(self.model):
            return admin.ModelAdmin.history_view(self, request, object_id, extra_context)
        self._check_history_scope(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if not _has_simple_history(self.model):
            raise Http404(_("记录不存在，或不在您的管辖范围内。"))
        self._check_history_scope(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)

    def _scoped_related(self, db_field, request, kwargs):
        related = db_field.related_model
        queryset = kwargs.get("queryset")
        if queryset is None:
            queryset = related._default_manager.all()
            limit = db_field.get_limit_choices_to()
            if limit:
                queryset = queryset.complex_filter(limit)
        kwargs["queryset"] = scope_queryset(queryset, request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if scope_path(db_field.related_model) is not UNSCOPED:
            self._scoped_related(db_field, request, kwargs)
        elif db_field.related_model is ContentType and not request.user.is_superuser:
            # A record's kind (a points entry's source) among the product's own models, not the libraries'
            # tables in English ("Celery Results | task result").
            own = ContentType.objects.get_for_models(*(m for m in apps.get_models() if hasattr(m, "scope_field")))
            kwargs["queryset"] = ContentType.objects.filter(pk__in=[ct.pk for ct in own.values()])
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if scope_path(db_field.related_model) is not UNSCOPED:
            self._scoped_related(db_field, request, kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def _can_edit(self, request) -> bool:
        user = request.user
        if user.is_superuser:
            return True
        if not is_admin_user(user):
            return False
        if scope_path(self.model) is UNSCOPED:
            return self.street_admin_edits and user.role in (user.Role.STREET_ADMIN, user.Role.DISTRICT_ADMIN)
        return True


class ScopedInline(admin.TabularInline):
    """An inline whose foreign-key choices stay in the user's subtree."""

    extra = 0
    workflow_fields = ()

    def get_readonly_fields(self, request, obj=None):
        return _with_workflow_readonly(self, super().get_readonly_fields(request, obj))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if scope_path(db_field.related_model) is not UNSCOPED:
            ScopedAdmin._scoped_related(self, db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _can_edit(self, request):
        return ScopedAdmin._can_edit(self, request)

    def has_view_permission(self, request, obj=None):
        return is_admin_user(request.user)

    def has_add_permission(self, request, obj=None):
        return self._can_edit(request)

    def has_change_permission(self, request, obj=None):
        return self._can_edit(request)


class NeitherAddedNorChanged:
    """Rows written by code only (a timeline, deliveries, awards): shown on the page, never added or changed there."""

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReadOnlyInline(NeitherAddedNorChanged, ScopedInline):
    """Rows shown under their parent and never added, changed or deleted there (the timeline, the sign-ups)."""

    can_delete = False

    def has_delete_permission(self, request, obj=None):
        return self._can_edit(request)


class SingletonAdmin(ScopedAdmin):
    """The admin of a single-row settings model (alliance.core.singleton): street admins change the one row;
    nobody adds or deletes one."""

    street_admin_edits = True

    def has_add_permission(self, request, *args):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        if self.has_view_permission(request):
            self.model.load()  # the list shows the one row, with its defaults the first time
        return super().changelist_view(request, extra_context)
