"""Pages of the social network: search, under /comunidad/buscar/."""

from django.urls import path

from social.views import search as views

urlpatterns = [
    path("", views.search, name="search"),
]
