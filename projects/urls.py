"""Public pages of the three lists, under /lists/."""

from django.urls import path

from projects import person_views, views

app_name = "projects"
urlpatterns = [
    path("", views.index, name="index"),
    path("resources/", views.resources, name="resources"),
    path("resources/<int:pk>/", views.resource, name="resource"),
    path("needs/", views.needs, name="needs"),
    path("needs/<int:pk>/", views.need, name="need"),
    path("projects/", views.projects, name="projects"),
    path("projects/<int:pk>/", views.project, name="project"),
    path("projects/<int:pk>/claim/", views.claim, name="claim"),
    path("my-claims/", person_views.my_claims, name="my_claims"),
    path("my-claims/<int:pk>/", person_views.my_claim, name="my_claim"),
    path("wishes/", views.wishes, name="wishes"),
    path("wishes/new/", views.wish_new, name="wish_new"),
    path("wishes/<int:pk>/", views.wish, name="wish"),
    path("wishes/<int:pk>/<str:step>/", views.wish_action, name="wish_action"),
]
