"""Search API (mobile): posts (Spanish full text on PostgreSQL), #tags and people.

``q`` is required, 2 to 100 characters (else 400 VALIDATION_ERROR); lists are paginated with
``page`` and ``limit``. Posts come only from what the signed-in person may see.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response

from config.api import error_responses
from social.api.base import SocialApiView, page_args
from social.payloads import post_payload, user_brief
from social.selectors import search as selectors

TAG = ["Comunidad: búsqueda"]
PARAMS = [OpenApiParameter("q", str, required=True, description="2 a 100 caracteres"),
          OpenApiParameter("page", int), OpenApiParameter("limit", int)]


class SearchPostsView(SocialApiView):
    @extend_schema(tags=TAG, summary="Buscar publicaciones", operation_id="search_posts", parameters=PARAMS,
                   responses={200: OpenApiTypes.OBJECT, **error_responses(400, 401, 429)})
    def get(self, request):
        q = selectors.search_query_clean(request.query_params.get("q"))
        page, limit = page_args(request)
        result = selectors.search_posts(viewer=request.user, q=q, page=page, limit=limit)
        return Response({"results": [post_payload(p) for p in result.results], **result.meta()})


class SearchTagsView(SocialApiView):
    @extend_schema(tags=TAG, summary="Buscar etiquetas por prefijo", operation_id="search_tags", parameters=PARAMS,
                   responses={200: OpenApiTypes.OBJECT, **error_responses(400, 401, 429)})
    def get(self, request):
        q = selectors.search_query_clean(request.query_params.get("q"))
        page, limit = page_args(request)
        result = selectors.search_tags(q, page=page, limit=limit)
        return Response({"results": [{"tag": r["tag"], "posts_count": r["count"]} for r in result.results],
                         **result.meta()})


class SearchPeopleView(SocialApiView):
    @extend_schema(tags=TAG, summary="Buscar personas", operation_id="search_people", parameters=PARAMS,
                   responses={200: OpenApiTypes.OBJECT, **error_responses(400, 401, 429)})
    def get(self, request):
        q = selectors.search_query_clean(request.query_params.get("q"))
        page, limit = page_args(request)
        result = selectors.search_people(viewer=request.user, q=q, page=page, limit=limit)
        return Response({"results": [user_brief(u) for u in result.results], **result.meta()})
