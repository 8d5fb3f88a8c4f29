"""The portal's pages of alliance.proposals under /proposals/ (namespace "proposals")."""

from django.urls import path

from alliance.proposals import views

app_name = "proposals"

urlpatterns = [
    path("", views.proposals, name="proposals"),
    path("new/", views.new, name="new"),
    path("mine/", views.mine, name="mine"),
    path("<int:pk>/", views.proposal, name="proposal"),
    path("<int:pk>/support/", views.support, name="support"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/comment/", views.comment, name="comment"),
]
