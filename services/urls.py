"""Residents' pages under /services/."""

from django.urls import path

from alliance.core import notification_views
from services import board_views, map_views, views

app_name = "services"
urlpatterns = [
    path("", views.index, name="index"),
    path("menu/", views.menu, name="menu"),
    path("menu/<int:pk>/", views.menu_item, name="menu_item"),
    path("order/", views.free_order, name="free_order"),
    path("orders/", views.my_orders, name="my_orders"),
    path("orders/<int:pk>/", views.order_detail, name="order"),
    path("orders/<int:pk>/cancel/", views.order_cancel, name="order_cancel"),
    path("orders/<int:pk>/rate/", views.order_rate, name="order_rate"),
    path("issues/", views.my_issues, name="my_issues"),
    path("issues/new/", views.issue_new, name="issue_new"),
    path("issues/<int:pk>/", views.issue_detail, name="issue"),
    path("issues/<int:pk>/rate/", views.issue_rate, name="issue_rate"),
    path("map/", map_views.map_page, name="map"),
    path("stations/", views.stations, name="stations"),
    path("stations/<int:pk>/", views.station_detail, name="station"),
    path("rooms/<int:pk>/", views.room_detail, name="room"),
    path("bookings/", views.my_bookings, name="my_bookings"),
    path("bookings/<int:pk>/cancel/", views.booking_cancel, name="booking_cancel"),
    path("activities/", views.activities, name="activities"),
    path("activities/<int:pk>/", views.activity_detail, name="activity"),
    path("activities/<int:pk>/signup/", views.activity_signup, name="activity_signup"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/settings/", notification_views.preferences, name="notification_preferences"),
    # The public issue board (说事墙).
    path("board/", board_views.board, name="board"),
    path("board/map/", board_views.board_map, name="board_map"),
    path("board/<int:pk>/", board_views.board_issue, name="board_issue"),
    path("board/<int:pk>/me-too/", board_views.board_me_too, name="board_me_too"),
    path("issues/<int:pk>/publish/", board_views.issue_publish, name="issue_publish"),
]
