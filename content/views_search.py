"""Site search page (/buscar/): results grouped by kind, the same groups as GET /api/v1/search."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse

from content.search import Q_MAX, search_query_clean, site_search


def search_page(request):
    raw = request.GET.get("q", "")
    result, error = None, ""
    if raw.strip():
        try:
            q = search_query_clean(raw)
        except ValidationError as exc:
            error = exc.message_dict["q"][0]
        else:
            result = site_search(user=request.user, q=q, request=request)
    context = {"q": raw.strip()[:Q_MAX], "result": result, "error": error, "q_max": Q_MAX}
    if getattr(request, "htmx", False) and request.headers.get("HX-Target") == "search-results":
        return TemplateResponse(request, "content/search.html#results", context)
    return TemplateResponse(request, "content/search.html", context)
