from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    """Residents' proposals (微建议 / 居民议事): supports, comments, the community's moderation, and a proposal with
    enough support raised as a matter of the council or the joint committee, followed to its result."""

    name = "alliance.proposals"
    label = "proposals"
    verbose_name = _("居民微建议")

    def ready(self) -> None:
        # The source imports the models: only once the apps are ready.
        from alliance.core import feeds
        from alliance.proposals.feeds import SOURCE

        feeds.register(SOURCE)
