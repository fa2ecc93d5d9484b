"""Workout API under /api/v1/ (no trailing slash, like the rest of the API)."""

from django.urls import path

from fitness.api import views as v

urlpatterns = [
    path("workout-plan/generate", v.WorkoutPlanGenerateView.as_view(), name="workout-plan-generate"),
    path("workout-plans", v.WorkoutPlanListView.as_view(), name="workout-plans"),
    path("workout-plans/<str:plan_id>", v.WorkoutPlanDetailView.as_view(), name="workout-plan-detail"),
    path("workout-plans/<str:plan_id>/sessions/<str:session_id>/log", v.WorkoutSessionLogView.as_view(),
         name="workout-session-log"),
    path("exercises", v.ExerciseListView.as_view(), name="exercises"),
]
