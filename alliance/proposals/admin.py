"""Admin of residents' proposals: the community moderates through buttons that call the actions (publish,
decline with a reason, merge a duplicate, hide a comment); states, counts and stamps are read-only; the
moderation history is shown under each proposal. Each community's rule is kept by its or its street's admins."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from alliance.core.admin_base import ReadOnlyInline, ScopedAdmin, Transition, error_text, reason_form
from alliance.core.todo import todo_filter
from alliance.proposals import actions, todo
from alliance.proposals.models import Comment, Proposal, ProposalEvent, ProposalPhoto, ProposalRule, Support


class MergeForm(forms.Form):
    into = forms.IntegerField(label=_("合并到的微建议编号"), min_value=1, max_value=2**63 - 1)
    reason = forms.CharField(label=_("说明"), required=False, max_length=300, widget=forms.Textarea(attrs={"rows": 2}))


def _merge_inputs(obj, data) -> dict:
    return {"into": Proposal.objects.filter(pk=data["into"]).first(), "reason": data.get("reason", "")}


class ProposalEventInline(ReadOnlyInline):
    model = ProposalEvent
    fields = ["kind", "by", "note", "at"]
    readonly_fields = fields
    verbose_name_plural = _("审核记录")


class ProposalPhotoInline(ReadOnlyInline):
    model = ProposalPhoto
    fields = ["image", "uploaded_at"]
    readonly_fields = fields


class CommentInline(ReadOnlyInline):
    model = Comment
    fields = ["text", "created_at", "hidden", "hide_reason"]
    readonly_fields = fields
    show_change_link = True


@admin.register(Proposal)
class ProposalAdmin(ScopedAdmin):
    list_display = ("title", "community", "status", "support_count", "submitted_at")
    list_filter = (todo_filter(todo.LINES), "status")
    search_fields = ("title", "text")
    list_select_related = ("community",)
    raw_id_fields = ("author", "community", "micro_grid")
    # A resident's words and place are theirs: staff moderate, they do not rewrite (nor move it out of scope).
    workflow_fields = (
        *("title", "text", "community", "micro_grid", "location", "lat", "lng"),
        *("author", "support_count", "decline_reason", "merged_into", "matter", "supports_close_at"),
    )
    inlines = [ProposalPhotoInline, CommentInline, ProposalEventInline]
    transitions = (
        Transition(
            "publish", _("审核通过并公开征集支持"), actions.publish_proposal, when=("submitted",), done=_("已发布")
        ),
        Transition(
            "decline",
            _("不予采纳"),
            actions.decline_proposal,
            when=("submitted", "published"),
            form=reason_form(_("不采纳的理由（提出人可以看到）"), max_length=300),
            done=_("已不予采纳"),
        ),
        Transition(
            "merge",
            _("合并到另一条建议"),
            actions.merge_proposal,
            when=("submitted", "published"),
            form=MergeForm,
            inputs=_merge_inputs,
            bulk=False,
            done=_("已合并"),
        ),
    )

    def has_add_permission(self, request, *args):
        return False  # proposals are residents' own, made on the portal


@admin.register(Comment)
class CommentAdmin(ScopedAdmin):
    list_display = ("__str__", "proposal", "created_at", "hidden")
    list_filter = ("hidden",)
    search_fields = ("text",)
    list_select_related = ("proposal",)
    raw_id_fields = ("proposal", "author")
    workflow_fields = ("proposal", "author", "text", "hidden", "hide_reason")
    transitions = (
        Transition(
            "hide",
            _("隐藏评论"),
            actions.hide_comment,
            when=(False,),
            state_field="hidden",
            form=reason_form(_("隐藏的理由")),
            done=_("已隐藏"),
        ),
    )

    def has_add_permission(self, request, *args):
        return False


@admin.register(Support)
class SupportAdmin(ScopedAdmin):
    list_display = ("proposal", "created_at")
    list_select_related = ("proposal",)
    raw_id_fields = ("proposal", "person")
    workflow_fields = ("proposal", "person")

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ProposalRule)
class ProposalRuleAdmin(ScopedAdmin):
    list_display = ("community", "threshold", "target", "support_days")
    list_select_related = ("community",)
    raw_id_fields = ("community",)

    def save_model(self, request, obj, form, change):
        try:
            actions.save_rule(by=request.user, rule=obj)
        except (ValidationError, PermissionDenied) as exc:  # the form's clean below checks the same first
            self.message_user(request, error_text(exc), messages.ERROR)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        user = request.user

        class RuleForm(form):
            def clean(self):
                data = super().clean()
                community = data.get("community")
                if community is not None:
                    probe = ProposalRule(community=community)
                    if community.level != 2:
                        self.add_error("community", _("请选择一个社区。"))
                    elif not actions.can_keep_rule(user, probe):
                        self.add_error("community", _("只能设置本社区或本街道各社区的微建议规则。"))
                return data

        return RuleForm
