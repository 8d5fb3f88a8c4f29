"""Following an area: follow a community or micro-grid, change what and how one hears of it, unfollow."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alliance.core.feeds import Topic
from alliance.core.models import NotificationPreference
from alliance.following.models import DigestChannel, Follow, Frequency
from grids.models import GridNode

# A street is not followed: too broad for a digest, and its notices reach every community below it anyway.
FOLLOWABLE_LEVELS = (GridNode.Level.COMMUNITY, GridNode.Level.MICRO)
SIGN_IN = gettext_lazy("请先登录。")
NOT_YOURS = gettext_lazy("只能修改本人的关注。")


def can_follow(node: GridNode) -> bool:
    return node.level in FOLLOWABLE_LEVELS


def clean_topics(topics) -> list[str]:
    """The chosen topics, known ones only, in the topics' own order; none chosen is a field error."""
    chosen = {str(t) for t in topics or ()}
    unknown = chosen - set(Topic.values)
    if unknown:
        raise ValidationError({"topics": _("关注内容不在可选范围内。")})
    if not chosen:
        raise ValidationError({"topics": _("请至少选择一项关注内容。")})
    return [t for t in Topic.values if t in chosen]


def _check_choices(*, by, frequency: str, channel: str) -> None:
    if frequency not in Frequency.values:
        raise ValidationError({"frequency": _("请选择每日或每周推送。")})
    if channel not in DigestChannel.values:
        raise ValidationError({"channel": _("请选择电子邮件或微信接收。")})
    if channel == DigestChannel.EMAIL and not by.email:
        raise ValidationError({"channel": _("账号未填写电子邮箱，请先在“消息设置”中填写邮箱，或选择微信接收。")})
    if channel == DigestChannel.WECHAT:
        openid = NotificationPreference.objects.filter(user_id=by.pk).values_list("wechat_openid", flat=True).first()
        if not openid:
            raise ValidationError({"channel": _("账号未绑定微信，请先在微信中打开本站点绑定，或选择电子邮件接收。")})


def _check_node(node: GridNode) -> None:
    if not can_follow(node):
        raise ValidationError({"node": _("只能关注社区或微网格；街道的通知公告会推送给其下每个社区的关注者。")})


def follow(*, by, node: GridNode, topics, frequency: str, channel: str) -> Follow:
    """The signed-in person follows a community or micro-grid (once: a second follow is a field error)."""
    if not by.is_authenticated:
        raise PermissionDenied(SIGN_IN)
    _check_node(node)
    chosen = clean_topics(topics)
    _check_choices(by=by, frequency=frequency, channel=channel)
    try:
        with transaction.atomic():
            return Follow.objects.create(user=by, node=node, topics=chosen, frequency=frequency, channel=channel)
    except IntegrityError as exc:  # the unique (user, node): a double click, or two tabs
        raise ValidationError({"node": _("您已关注“%(name)s”，可在“我的关注”中修改。") % {"name": node.name}}) from exc


@transaction.atomic
def update_follow(*, by, follow: Follow, topics, frequency: str, channel: str) -> Follow:
    """The follower changes the topics, the frequency or the channel of their own follow."""
    if not by.is_authenticated:
        raise PermissionDenied(SIGN_IN)
    follow = Follow.objects.select_for_update().get(pk=follow.pk)
    if follow.user_id != by.pk:
        raise PermissionDenied(NOT_YOURS)
    chosen = clean_topics(topics)
    _check_choices(by=by, frequency=frequency, channel=channel)
    follow.topics, follow.frequency, follow.channel = chosen, frequency, channel
    follow.save(update_fields=["topics", "frequency", "channel", "updated_at"])
    return follow


@transaction.atomic
def unfollow(*, by, follow: Follow) -> None:
    """The follower stops following (the history keeps the row)."""
    if not by.is_authenticated:
        raise PermissionDenied(SIGN_IN)
    follow = Follow.objects.select_for_update().get(pk=follow.pk)
    if follow.user_id != by.pk:
        raise PermissionDenied(NOT_YOURS)
    follow._change_reason = _("取消关注")  # type: ignore[attr-defined]  # simple_history's reason on the history row
    follow.delete()
