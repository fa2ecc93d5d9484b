"""What every social API view shares: signed-in only, reads on the ``default`` rate limit and
writes on ``social_write``; the social "not found" errors with their own codes (all 404); the
per-person action limits (20 posts an hour...) as 429 RATE_LIMIT_EXCEEDED; page arguments
validated like every list; a page of posts in the seed's list shape."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from config.api import ApiError, ApiView, PagePagination, RateLimited
from social import rules
from social.services.common import SocialRateLimited

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")

NOT_FOUND = (
    (rules.PostNotFound, "POST_NOT_FOUND", gettext_lazy("Publicación no encontrada.")),
    (rules.CommentNotFound, "COMMENT_NOT_FOUND", gettext_lazy("Comentario no encontrado.")),
    (rules.GroupNotFound, "GROUP_NOT_FOUND", gettext_lazy("Grupo no encontrado.")),
    (rules.CircleNotFound, "CIRCLE_NOT_FOUND", gettext_lazy("Círculo no encontrado.")),
    (rules.UserNotFound, "USER_NOT_FOUND", gettext_lazy("Persona no encontrada.")),
)


class SocialApiView(ApiView):
    permission_classes = [IsAuthenticated]
    rate_limit_scope = "social_write"

    def initial(self, request, *args, **kwargs):
        self.rate_limit_scope = "default" if request.method in SAFE_METHODS else "social_write"
        super().initial(request, *args, **kwargs)

    def handle_exception(self, exc):
        for klass, code, message in NOT_FOUND:
            if isinstance(exc, klass):
                exc = ApiError(code, str(message), status_code=404)
                break
        else:
            if isinstance(exc, SocialRateLimited):
                exc = RateLimited(wait=exc.retry_after, limit=0)
            elif isinstance(exc, ObjectDoesNotExist) and not getattr(exc, "error_code", None):
                exc = ApiError("NOT_FOUND", _("No encontrado."), status_code=404)
        return super().handle_exception(exc)


def page_args(request) -> tuple[int, int]:
    """``page`` and ``limit`` validated like every list (400 VALIDATION_ERROR on nonsense)."""
    paginator = PagePagination()
    return paginator.get_page_number(request, None), paginator.get_page_size(request)


def posts_response(post_page, **extra) -> Response:
    """A ``PostPage`` as ``{results, page, limit, total_pages, total_results}``."""
    from social.payloads import post_payload

    return Response(
        {
            "results": [post_payload(p) for p in post_page.posts],
            "page": post_page.page,
            "limit": post_page.limit,
            "total_pages": post_page.total_pages,
            "total_results": post_page.total_results,
            **extra,
        }
    )
