"""Nutrition pages under /nutricion/: diary, foods, recipes and progress."""

from django.urls import include, path

app_name = "nutrition"

urlpatterns = [
    path("", include("nutrition.views.diary_urls")),
    path("recetas/", include("nutrition.views.recipe_urls")),
    path("progreso/", include("nutrition.views.progress_urls")),
    path("foto/", include("nutrition.views.analysis_urls")),
    path("etiquetas/", include("nutrition.views.label_urls")),
]
