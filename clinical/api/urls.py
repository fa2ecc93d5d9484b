"""Clinical API under /api/v1/. Each part keeps its own url module."""

from django.urls import include, path

urlpatterns = [
    path("", include("clinical.api.practice_urls")),
    path("", include("clinical.api.roster_urls")),
    path("", include("clinical.api.record_urls")),
    path("", include("clinical.api.plans_urls")),
    path("", include("clinical.api.messages_urls")),
]
