"""Public pages of the joint committee (大工委), under /alliance/."""

from django.urls import path

from alliance import news_views, stats_views
from alliance import portal_views as views

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
    # points and public figures (alliance.stats_views)
    path("figures/", stats_views.figures, name="figures"),
    path("top10/", stats_views.top10, name="top10"),
    path("points/me/", stats_views.my_points, name="my_points"),
    path("stars/", stats_views.stars, name="stars"),
]
