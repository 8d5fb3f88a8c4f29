from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    """The year-end assessment (年终考核) of units, stations, micro-grids and joint-duty teams, and the quarterly
    star rating of micro-grids (季考核评星定级), built from what the platform recorded."""

    name = "alliance.assessment"
    label = "assessment"
    verbose_name = _("考核评星")
