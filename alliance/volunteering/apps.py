from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteeringConfig(AppConfig):
    """Party members' dual reporting (双报到) to the community where they live, their service record and the
    year-end feedback sheet (报到反馈单): above points, services and projects, whose records make the hours."""

    name = "alliance.volunteering"
    label = "volunteering"
    verbose_name = _("党员双报到")
