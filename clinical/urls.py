"""Pages of the practice under /consulta/. Each part keeps its own url module."""

from django.urls import include, path

app_name = "clinical"

urlpatterns = [
    path("", include("clinical.views.practice_urls")),
    path("", include("clinical.views.roster_urls")),
    path("", include("clinical.views.record_urls")),
    path("", include("clinical.views.plans_urls")),
    path("", include("clinical.views.messages_urls")),
]
