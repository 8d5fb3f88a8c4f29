from django.conf import settings


def portal(request):
    return {"site_name": "红色联盟", "production": settings.PRODUCTION}
