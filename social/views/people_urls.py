"""Pages about people under /comunidad/personas/."""

from django.urls import path

from social.views import people as views

urlpatterns = [
    path("personas/<str:username>/", views.profile, name="profile"),
    path("personas/<str:username>/seguidores/", views.people_list, {"direction": "followers"}, name="followers"),
    path("personas/<str:username>/siguiendo/", views.people_list, {"direction": "following"}, name="following"),
    path("personas/<str:username>/<slug:action>/", views.relationship, name="relationship"),
]
