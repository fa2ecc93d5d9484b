"""Meal plan API under /api/v1/ (no trailing slash)."""

from django.urls import path

from clinical.api import generator_views as g
from clinical.api import plans_views as v

urlpatterns = [
    path("meal-plans", v.MealPlanListView.as_view(), name="meal-plans"),
    path("ai/generate-meal-plan", g.GenerateMealPlanView.as_view(), name="ai-generate-meal-plan"),
    path("meal-plans/<str:plan_id>", v.MealPlanDetailView.as_view(), name="meal-plan-detail"),
    path("meal-plans/<str:plan_id>/shopping-list", g.MealPlanShoppingView.as_view(), name="meal-plan-shopping"),
    path("meal-plans/<str:plan_id>/shopping-list/pdf", g.MealPlanShoppingPdfView.as_view(), name="meal-plan-shopping-pdf"),
    path("meal-plans/<str:plan_id>/adopt", g.MealPlanAdoptView.as_view(), name="meal-plan-adopt"),
    path("meal-plans/<str:plan_id>/items", v.MealPlanItemsView.as_view(), name="meal-plan-items"),
    path("meal-plans/<str:plan_id>/items/<str:item_id>", v.MealPlanItemView.as_view(), name="meal-plan-item"),
    path("meal-plans/<str:plan_id>/clone", v.MealPlanCloneView.as_view(), name="meal-plan-clone"),
    path("meal-plans/<str:plan_id>/copy-day", v.MealPlanCopyDayView.as_view(), name="meal-plan-copy-day"),
    path("meal-plans/<str:plan_id>/assign", v.MealPlanAssignView.as_view(), name="meal-plan-assign"),
    path("meal-plans/<str:plan_id>/pdf", v.MealPlanPdfView.as_view(), name="meal-plan-pdf"),
    path("me/meal-plan/today", v.MyPlanTodayView.as_view(), name="my-meal-plan-today"),
    path("me/meal-plan/items/<str:item_id>/log", v.MyPlanItemLogView.as_view(), name="my-meal-plan-item-log"),
    path("me/meal-plan/meals/<str:meal>/log", v.MyPlanMealLogView.as_view(), name="my-meal-plan-meal-log"),
]
