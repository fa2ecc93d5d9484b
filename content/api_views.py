"""GET /api/v1/search?q= - the site search grouped by kind (blog 5, resources 5, recipes 3,
nutritionists 5), the same function the /buscar/ page calls."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from config.api import ApiView, error_responses
from content.search import search_query_clean, site_search

_item = inline_serializer("SiteSearchItem", {
    "id": serializers.IntegerField(),
    "title": serializers.CharField(),
    "url": serializers.CharField(),
    "summary": serializers.CharField(),
})
_group = inline_serializer("SiteSearchGroup", {
    "key": serializers.CharField(),
    "label": serializers.CharField(),
    "count": serializers.IntegerField(),
    "results": serializers.ListField(child=_item),
})


class SiteSearchView(ApiView):
    permission_classes = [AllowAny]
    rate_limit_scope = "default"

    @extend_schema(
        operation_id="site_search",
        summary="Búsqueda en el sitio (blog, recursos, recetas, nutriólogos)",
        parameters=[OpenApiParameter("q", str, required=True, description="De 2 a 100 caracteres.")],
        responses={200: inline_serializer("SiteSearchResponse", {
            "q": serializers.CharField(),
            "corrected": serializers.CharField(),
            "total": serializers.IntegerField(),
            "groups": inline_serializer("SiteSearchGroups", {
                "blog": _group, "resources": _group, "recipes": _group, "nutritionists": _group,
            }),
        }), **error_responses(400, 429)},
        tags=["content"],
    )
    def get(self, request):
        q = search_query_clean(request.query_params.get("q", ""))
        result = site_search(user=request.user, q=q, request=request._request)
        return Response(result.as_dict())
