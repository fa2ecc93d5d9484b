"""Progress page under /nutricion/progreso/."""

from django.urls import path

from nutrition.views import progress

urlpatterns = [
    path("", progress.progress, name="progress"),
]
