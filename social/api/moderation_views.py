"""Moderation API (mobile): report a post or a comment, and the moderators' queue and actions.

Views parse input and call ``social.services.moderation`` and ``social.selectors.moderation``
(the pages call the same functions). Whoever is not a moderator, or not of that object, gets
404 NOT_FOUND; too many reports answer 429 RATE_LIMIT_EXCEEDED.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response

from config.api import PagePagination, body_dict, error_responses
from social.api.base import SocialApiView
from social.payloads import user_brief
from social.selectors import moderation as selectors
from social.services import moderation as services

TAG = ["Comunidad: moderación"]


def report_payload(report) -> dict:
    return {
        "id": report.pk,
        "post_id": report.post_id,
        "comment_id": report.comment_id,
        "reason": report.reason,
        "status": report.status,
        "created_at": report.created_at.isoformat(),
    }


def queue_item_payload(item: selectors.QueueItem) -> dict:
    post = item.target_post
    data = {
        "kind": item.kind,
        "id": item.object_id,
        "status": item.status,
        "held_as_spam": item.held,
        "auto_hidden": item.auto_hidden,
        "reporters_count": item.reporters_count,
        "reasons": [{"reason": code, "label": label, "count": n} for code, label, n in item.reasons],
        "details": item.details,
        "first_reported_at": item.first_at.isoformat() if item.first_at else None,
        "group": {"id": post.group.pk, "name": post.group.name, "slug": post.group.slug} if post and post.group_id else None,
    }
    if item.kind == "post":
        p = item.post
        data["post"] = {
            "id": p.pk, "title": p.title, "body": p.body, "type": p.type, "visibility": p.visibility,
            "moderation_status": p.moderation_status, "moderation_reason": p.moderation_reason,
            "flag_count": p.flag_count, "author": user_brief(p.author), "created_at": p.created_at.isoformat(),
        }
    else:
        c = item.comment
        data["comment"] = {
            "id": c.pk, "body": c.body, "post_id": c.post_id, "moderation_status": c.moderation_status,
            "flag_count": c.flag_count, "author": user_brief(c.author), "created_at": c.created_at.isoformat(),
        }
    return data


class ReportCreateView(SocialApiView):
    @extend_schema(
        tags=TAG, summary="Reportar una publicación o un comentario", operation_id="moderation_report_create",
        description="Envía `post_id` o `comment_id`, `reason` y `details` (opcional). Un segundo reporte del mismo "
                    "objeto devuelve el primero (200). Tres reportes distintos ocultan la publicación hasta revisarla.",
        request=OpenApiTypes.OBJECT,
        responses={201: OpenApiTypes.OBJECT, 200: OpenApiTypes.OBJECT, **error_responses(400, 401, 404, 429)},
    )
    def post(self, request):
        data = body_dict(request)
        report = services.report_create(
            actor=request.user, post_id=data.get("post_id"), comment_id=data.get("comment_id"),
            reason=data.get("reason", ""), details=data.get("details", ""),
        )
        status = 200 if getattr(report, "replayed", False) else 201
        return Response({"report": report_payload(report)}, status=status)


class QueueView(SocialApiView):
    @extend_schema(
        tags=TAG, summary="Cola de moderación (personal y moderadores de grupo)", operation_id="moderation_queue",
        parameters=[OpenApiParameter("page", int), OpenApiParameter("limit", int)],
        responses={200: OpenApiTypes.OBJECT, **error_responses(401, 404)},
    )
    def get(self, request):
        queue = selectors.moderation_queue(actor=request.user)
        paginator = PagePagination()
        page = paginator.paginate_queryset(queue, request, view=self)
        body = paginator.get_paginated_response([queue_item_payload(i) for i in page]).data
        return Response(body)


def _result_payload(result: services.ModerationResult) -> dict:
    target = result.target
    data = {"action": result.action, "reports_resolved": result.reports_resolved}
    if result.kind == "post":
        data["post"] = {"id": target.pk, "moderation_status": target.moderation_status,
                        "moderated_at": target.moderated_at.isoformat() if target.moderated_at else None}
    else:
        data["comment"] = {"id": target.pk, "post_id": target.post_id, "moderation_status": target.moderation_status}
    return data


ACTION_PARAM = OpenApiParameter("action", str, location=OpenApiParameter.PATH, enum=list(services.Action.ALL))


class PostActionView(SocialApiView):
    @extend_schema(
        tags=TAG, summary="Ocultar, restaurar, eliminar o descartar los reportes de una publicación",
        operation_id="moderation_post_action", parameters=[ACTION_PARAM], request=OpenApiTypes.OBJECT,
        responses={200: OpenApiTypes.OBJECT, **error_responses(400, 401, 404)},
    )
    def post(self, request, post_id, action):
        data = body_dict(request)
        result = services.post_moderate(actor=request.user, post_id=post_id, action=action,
                                        notes=data.get("notes", ""))
        return Response(_result_payload(result))


class CommentActionView(SocialApiView):
    @extend_schema(
        tags=TAG, summary="Ocultar, restaurar, eliminar o descartar los reportes de un comentario",
        operation_id="moderation_comment_action", parameters=[ACTION_PARAM], request=OpenApiTypes.OBJECT,
        responses={200: OpenApiTypes.OBJECT, **error_responses(400, 401, 404)},
    )
    def post(self, request, comment_id, action):
        data = body_dict(request)
        result = services.comment_moderate(actor=request.user, comment_id=comment_id, action=action,
                                           notes=data.get("notes", ""))
        return Response(_result_payload(result))
