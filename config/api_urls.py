"""Everything under /api/v1/. Each app contributes its own ``api/urls.py``."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from config.views import api_not_found

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include("accounts.api.urls")),
    path("", include("nutrition.api.urls")),
    path("", include("clinical.api.urls")),
    path("", include("social.api.urls")),
    path("", include("content.api_urls")),
    path("", include("integrations.api.urls")),
    path("", include("fitness.api.urls")),
    path("", include("assistant.api.urls")),
    # Keep LAST: any other /api/v1/ path answers the JSON error envelope (404 NOT_FOUND).
    re_path(r"^.*$", api_not_found, name="api-not-found"),
]
