"""Recipe API under /api/v1/ (seed 000 §4.5; no trailing slash)."""

from django.urls import path

from nutrition.api import recipe_views as v

urlpatterns = [
    path("recipes", v.RecipeListView.as_view(), name="recipes"),
    path("recipes/moderation", v.RecipeModerationQueueView.as_view(), name="recipes-moderation"),
    path("recipes/<str:recipe_id>", v.RecipeDetailView.as_view(), name="recipe-detail"),
    path("recipes/<str:recipe_id>/rate", v.RecipeRateView.as_view(), name="recipe-rate"),
    path("recipes/<str:recipe_id>/save", v.RecipeSaveView.as_view(), name="recipe-save"),
    path("recipes/<str:recipe_id>/tried", v.RecipeTriedView.as_view(), name="recipe-tried"),
    path("recipes/<str:recipe_id>/log", v.RecipeLogView.as_view(), name="recipe-log"),
    path("recipes/<str:recipe_id>/verify", v.RecipeVerifyView.as_view(), name="recipe-verify"),
    path("recipes/<str:recipe_id>/moderate", v.RecipeModerateView.as_view(), name="recipe-moderate"),
]
