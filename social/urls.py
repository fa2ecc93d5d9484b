"""Pages of the health social network under /comunidad/. Each part has its own url module."""

from django.urls import include, path

app_name = "social"

urlpatterns = [
    path("", include("social.views.posts_urls")),
    path("", include("social.views.people_urls")),
    path("grupos/", include("social.views.groups_urls")),
    path("circulos/", include("social.views.circles_urls")),
    path("moderacion/", include("social.views.moderation_urls")),
    path("buscar/", include("social.views.search_urls")),
]
