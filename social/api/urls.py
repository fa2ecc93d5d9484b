"""The social network's JSON API under /api/v1/ (seed 000 §4.3 shapes)."""

from django.urls import include, path

urlpatterns = [
    path("", include("social.api.posts_urls")),
    path("", include("social.api.people_urls")),
    path("", include("social.api.groups_urls")),
    path("", include("social.api.circles_urls")),
    path("", include("social.api.moderation_urls")),
    path("", include("social.api.search_urls")),
]
