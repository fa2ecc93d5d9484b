"""Nutrition API under /api/v1/ (seed 003 paths: no trailing slash)."""

from django.urls import include, path

urlpatterns = [
    path("", include("nutrition.api.food_urls")),
    path("", include("nutrition.api.recipe_urls")),
    path("", include("nutrition.api.analytics_urls")),
    path("", include("nutrition.api.analysis_urls")),
    path("", include("nutrition.api.label_urls")),
]
