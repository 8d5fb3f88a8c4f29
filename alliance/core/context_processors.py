from django.conf import settings
from django.utils.translation import gettext as _


def portal(request):
    return {"site_name": _("红色联盟"), "production": settings.PRODUCTION}
