"""Public pages of the joint committee (大工委), under /alliance/ (with the figures of alliance.site.stats_urls)."""

from django.urls import path

from alliance.committee import news_views
from alliance.committee import portal_views as views

app_name = "alliance"
urlpatterns = [
    path("", views.index, name="index"),
    path("committees/<int:pk>/", views.committee_detail, name="committee"),
    path("committees/<int:pk>/calendar.ics", views.committee_calendar_feed, name="committee_calendar"),
    path("meetings/", views.meetings, name="meetings"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("calendar.ics", views.calendar_feed, name="calendar"),
    path("matters/", views.matters, name="matters"),
    path("matters/<int:pk>/", views.matter_detail, name="matter"),
    path("statistics/", views.statistics, name="statistics"),
    path("statistics.xlsx", views.statistics_xlsx, name="statistics_xlsx"),
    path("news/", news_views.news_list, name="news"),
    path("news/<int:pk>/", news_views.news_detail, name="news_detail"),
]
