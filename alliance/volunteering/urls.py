"""The member's dual-report pages under /volunteering/ (namespace "volunteering")."""

from django.urls import path

from alliance.volunteering import views

app_name = "volunteering"

urlpatterns = [
    path("report/", views.my_report, name="my_report"),
    path("report/new/", views.report_new, name="report_new"),
    path("report/resubmit/", views.report_resubmit, name="report_resubmit"),
    path("feedback/<int:pk>/print/", views.feedback_print, name="feedback_print"),
]
