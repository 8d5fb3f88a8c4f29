"""News and notices (党建动态, 通知公告): checks of uploads, publishing, and the reads of the portal."""

import io
import zipfile

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alliance.committee.models import Article
from alliance.core import fanout
from alliance.core.admin_base import is_admin_user
from alliance.core.scoping import in_scope, sees_all
from alliance.core.transitions import Step, lock
from grids.models import District
from members.audiences import RESIDENTS

HOME_ARTICLES = 6
# An article's two moves, declared once (alliance.core.transitions.Step).
PUBLISH = Step(Article.Status.PUBLISHED, (Article.Status.DRAFT,), gettext_lazy("只有草稿可以发布。"))
WITHDRAW = Step(Article.Status.DRAFT, tuple(Article.Status.values), gettext_lazy("该文章不能撤回。"))
COVER_MAX_BYTES = 5 * 1024 * 1024
ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024
# Extension → how the content must begin (checked, not trusted from the name).
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"
ATTACHMENT_TYPES = {
    "pdf": (b"%PDF-",),
    "doc": (_OLE,),
    "xls": (_OLE,),
    "ppt": (_OLE,),
    "docx": (_ZIP,),
    "xlsx": (_ZIP,),
    "pptx": (_ZIP,),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "txt": (b"",),
}


def check_attachment(upload) -> int:
    """The size of an acceptable attachment, or ValidationError (type read from the content, size bounded)."""
    name = getattr(upload, "name", "") or ""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in ATTACHMENT_TYPES:
        raise ValidationError(_("附件只能是 PDF、Word、Excel、PPT、JPG、PNG 或 TXT 文件。"))
    size = upload.size
    if size > ATTACHMENT_MAX_BYTES:
        raise ValidationError(_("附件不能超过 %(mb)s MB。") % {"mb": ATTACHMENT_MAX_BYTES // 1024 // 1024})
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if not any(head.startswith(magic) for magic in ATTACHMENT_TYPES[ext]):
        raise ValidationError(_("附件内容与文件类型不符。"))
    if ext == "txt":
        try:
            upload.read().decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ValidationError(_("文本附件须为 UTF-8 编码。")) from exc
        finally:
            upload.seek(0)
    if head.startswith(_ZIP):
        try:
            with zipfile.ZipFile(io.BytesIO(upload.read())) as z:
                if "[Content_Types].xml" not in z.namelist():
                    raise ValidationError(_("附件内容与文件类型不符。"))
        except zipfile.BadZipFile as exc:
            raise ValidationError(_("附件已损坏。")) from exc
        finally:
            upload.seek(0)
    return size


def _check_staff(by, article: Article) -> None:
    if article.grid_node_id is None and not sees_all(by):
        raise PermissionDenied(_("只有区级管理员可以发布或撤回全区的文章。"))
    if not is_admin_user(by) or not in_scope(article, by):
        raise PermissionDenied(_("只有本街道、社区的管理员可以发布或撤回。"))


@transaction.atomic
def publish(*, by, article: Article, now=None) -> Article:
    """Publish a draft (visible from its publish time on)."""
    article = lock(article)
    _check_staff(by, article)
    if article.status == Article.Status.PUBLISHED:
        return article
    if not article.body.strip():
        raise ValidationError(_("正文为空，不能发布。"))
    now = now or timezone.now()
    article = PUBLISH.run(article, by=by, now=now, fields={"publish_at": article.publish_at or now, "updated_at": now})
    if article.kind == Article.Kind.NOTICE:
        announce(article, by=by)
    return article


def announce(article: Article, *, by) -> None:
    """Every resident and party member of the notice's area (the whole district for a district-wide notice) finds it in their inbox (and through the channels
    they chose), from its publish time on: one fan-out job per notice, so publishing again tells nobody twice."""
    with translation.override(settings.LANGUAGE_CODE):  # stored in the source language, like every notification
        title = _("通知公告：%(title)s") % {"title": article.title}
    fanout.broadcast(
        key=f"article:{article.pk}:notice",
        audience=RESIDENTS,
        area="" if article.grid_node_id is None else str(article.grid_node_id),
        area_name=str(District.load()) if article.grid_node_id is None else article.grid_node.name,
        title=title,
        body=article.summary,
        url=reverse("alliance:news_detail", args=[article.pk]),
        by=by,
        start_at=article.publish_at,
    )


@transaction.atomic
def withdraw(*, by, article: Article) -> Article:
    """Take a published article back to draft."""
    article = lock(article)
    _check_staff(by, article)
    return WITHDRAW.run(article, by=by, fields={"updated_at": timezone.now()})


def published(now=None) -> QuerySet:
    """What the public sees: published items whose publish time has come, pinned first, then newest."""
    return (
        Article.objects.filter(status=Article.Status.PUBLISHED, publish_at__lte=now or timezone.now())
        .select_related("grid_node")
        .order_by("-pinned", "-publish_at", "-id")
    )


def home_articles(limit: int = HOME_ARTICLES) -> list[Article]:
    """The home page's section: one query."""
    return list(published().defer("body")[:limit])
