"""Content endpoints under /api/v1/: the site search (same groups as /buscar/)."""

from django.urls import path

from content.api_views import SiteSearchView

urlpatterns = [path("search", SiteSearchView.as_view(), name="api-site-search")]
