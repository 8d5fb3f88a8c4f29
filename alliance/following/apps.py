from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowingConfig(AppConfig):
    """Following an area: a person follows a community or micro-grid and the topics they want, hears of them in a
    daily or weekly digest (e-mail or WeChat), and each community has an Atom feed per topic. Reads every app's
    items through the kernel's feed registry (alliance.core.feeds), above all of them."""

    name = "alliance.following"
    label = "following"
    verbose_name = _("关注社区")
