from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    """Residents answer: needs surveys (需求征集), satisfaction polls (满意度测评) that feed the assessment, and public
    selections (评选, such as 最美家庭) with one vote per person. Above projects (answers become needs)."""

    name = "alliance.surveys"
    label = "surveys"
    verbose_name = _("征集与评选")

    def ready(self):
        # Imported once the app registry is ready: these modules import the models.
        from alliance.core import feeds
        from alliance.surveys import selection_feeds, selection_tasks, selectors  # noqa: F401 - the beat job registers itself

        feeds.register(
            feeds.FeedSource(topic=feeds.Topic.RESULTS, name="surveys.results", items=selectors.published_feed)
        )
        feeds.register(selection_feeds.SOURCE)
