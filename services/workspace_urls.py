"""Workspace pages of the services app, under /workspace/services/ (unit operators and grid workers)."""

from django.urls import path

from services import print_views
from services import workspace_two_way as two_way
from services import workspace_views as views

app_name = "services_ws"
urlpatterns = [
    path("orders/", views.orders, name="orders"),
    path("orders/<int:pk>/accept/", views.order_accept, name="order_accept"),
    path("orders/<int:pk>/decline/", views.order_decline, name="order_decline"),
    path("orders/<int:pk>/serve/", views.order_serve, name="order_serve"),
    path("orders/<int:pk>/confirm-delivery/", views.order_confirm_delivery, name="order_confirm_delivery"),
    path("menu/", views.menu, name="menu"),
    path("menu/new/", views.menu_edit, name="menu_new"),
    path("menu/<int:pk>/", views.menu_edit, name="menu_edit"),
    path("issues/", views.issues, name="issues"),
    path("issues/new/", views.issue_record, name="issue_record"),
    path("issues/<int:pk>/", views.issue_detail, name="issue"),
    path("issues/<int:pk>/print/", print_views.issue_print, name="issue_print"),
    path("issues/<int:pk>/move/", views.issue_move, name="issue_move"),
    path("issues/<int:pk>/escalate/", views.issue_escalate, name="issue_escalate"),
    path("issues/<int:pk>/matter/", views.issue_matter, name="issue_matter"),
    path("issues/<int:pk>/take-down/", views.issue_take_down, name="issue_take_down"),
    path("activities/<int:pk>/checkin/", views.activity_checkin, name="activity_checkin"),
    # A unit's own activities at its venues, and its recurring station services (常态化下沉服务).
    path("unit-activities/", two_way.unit_activities, name="unit_activities"),
    path("unit-activities/new/", two_way.unit_activity_edit, name="unit_activity_new"),
    path("unit-activities/<int:pk>/", two_way.unit_activity_edit, name="unit_activity_edit"),
    path("unit-activities/<int:pk>/cancel/", two_way.unit_activity_cancel, name="unit_activity_cancel"),
    path("recurring/", two_way.recurring, name="recurring"),
    path("recurring/new/", two_way.recurring_edit, name="recurring_new"),
    path("recurring/<int:pk>/", two_way.recurring_edit, name="recurring_edit"),
]
