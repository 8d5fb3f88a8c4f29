from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicesConfig(AppConfig):
    name = "services"
    verbose_name = _("居民服务")

    def ready(self):
        # Imported once the app registry is ready: these modules import models.
        from alliance.core import feeds
        from services import selectors_board

        # The public issue board (说事墙): issues made public and their results, for follows and feeds.
        feeds.register(
            feeds.FeedSource(topic=feeds.Topic.ISSUES, name="services.issue_board", items=selectors_board.feed_items)
        )
