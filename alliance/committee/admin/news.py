"""Admin of news and notices (党建动态, 通知公告) with their attachments; published by alliance.committee.news."""

from django import forms
from django.contrib import admin
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from alliance.committee import news
from alliance.committee.models import Article, ArticleAttachment
from alliance.core.admin_base import ScopedAdmin, ScopedInline, Transition
from alliance.core.photos import clean_photo
from alliance.core.scoping import sees_all

DISTRICT_ONLY = _("请选择发布范围（街道或社区）：只有区级管理员可以发布全区的文章。")


class ArticleForm(forms.ModelForm):
    class Meta:
        model = Article
        fields = ["kind", "title", "summary", "body", "cover", "grid_node", "source", "publish_at", "pinned", "status"]

    def clean_cover(self):
        cover = self.cleaned_data.get("cover")
        if isinstance(cover, UploadedFile):
            return clean_photo(cover, max_bytes=news.COVER_MAX_BYTES)
        return cover


class AttachmentForm(forms.ModelForm):
    class Meta:
        model = ArticleAttachment
        fields = ["name", "file"]

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if isinstance(upload, UploadedFile):
            self.instance.size = news.check_attachment(upload)
        return upload


class AttachmentInline(ScopedInline):
    model = ArticleAttachment
    form = AttachmentForm
    fields = ["name", "file", "size"]
    readonly_fields = ["size"]


@admin.register(Article)
class ArticleAdmin(ScopedAdmin):
    form = ArticleForm
    list_display = ["title", "kind", "scope", "status", "pinned", "publish_at", "author"]
    list_filter = ["kind", "status", "pinned"]
    search_fields = ["title", "summary"]
    date_hierarchy = "publish_at"
    list_select_related = ["grid_node", "author"]
    readonly_fields = ["author", "created_at", "updated_at"]
    fields = [
        "kind",
        "title",
        "summary",
        "body",
        "cover",
        "grid_node",
        "source",
        "publish_at",
        "pinned",
        "status",
        "author",
        "created_at",
        "updated_at",
    ]
    inlines = [AttachmentInline]
    # Drafts are published (and withdrawn) by the buttons, which check the editor's scope and the body.
    workflow_fields = ["author"]
    transitions = (
        Transition("publish", _("发布"), news.publish, when=("draft",), done=_("已发布")),
        Transition("withdraw", _("撤回（改为草稿）"), news.withdraw, when=("published",), done=_("已撤回")),
    )

    @admin.display(description=_("发布范围"), ordering="grid_node__path")
    def scope(self, obj):
        return obj.grid_node.name if obj.grid_node_id else _("全区")

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if not sees_all(request.user) and "grid_node" in form.base_fields:
            # Only superusers and district admins write district-wide articles (no grid node: 全区).
            field = form.base_fields["grid_node"]
            field.required = True
            field.error_messages = {**field.error_messages, "required": DISTRICT_ONLY}
        return form

    def save_model(self, request, obj, form, change):
        if not change and obj.author_id is None:
            obj.author = request.user
        super().save_model(request, obj, form, change)
