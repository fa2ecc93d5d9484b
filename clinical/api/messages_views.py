"""Conversation API for the mobile app: list with unread counts, history by cursor, send
(JSON or multipart with one image; idempotent on ``client_id``), mark read, and the
nutritionist's "open the conversation with this patient".

Views parse input and call ``clinical.selectors.messages`` / ``clinical.services.messages``,
the same functions the pages and the websocket handlers call. A conversation the caller is
not a member of answers 404 CONVERSATION_NOT_FOUND; sending after care ended answers 400
CONVERSATION_READ_ONLY.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response

from clinical.api.base import ClinicalApiView
from clinical.rules import id_parse
from clinical.selectors import messages as selectors
from clinical.services import messages as services
from config.api import ApiError, PagePagination, body_dict, error_responses

TAG = ["Mensajes"]

MESSAGE = inline_serializer(
    "ConversationMessage",
    {
        "id": serializers.IntegerField(),
        "sender_id": serializers.IntegerField(),
        "sender_name": serializers.CharField(),
        "body": serializers.CharField(),
        "image_url": serializers.CharField(),
        "created_at": serializers.DateTimeField(),
        "client_id": serializers.CharField(),
    },
)


class MessagesApiView(ClinicalApiView):
    pass


class ConversationListView(MessagesApiView):
    @extend_schema(
        tags=TAG, summary="Mis conversaciones", operation_id="conversations_list",
        description="Conversaciones con la otra persona, vista previa del último mensaje y mensajes sin leer.",
        parameters=[OpenApiParameter("page", int), OpenApiParameter("limit", int, description="1–100, por omisión 20")],
        responses={200: inline_serializer("ConversationList", {
            "results": serializers.ListField(child=serializers.DictField()),
            "unread_total": serializers.IntegerField(),
            "page": serializers.IntegerField(), "limit": serializers.IntegerField(),
            "total_pages": serializers.IntegerField(), "total_results": serializers.IntegerField(),
        }), **error_responses(400, 401, 429)},
    )
    def get(self, request):
        rows = selectors.conversation_list(user=request.user)
        paginator = PagePagination()
        page = paginator.paginate_queryset(rows, request, view=self)
        body = paginator.get_paginated_response([selectors.conversation_payload(c) for c in page]).data
        body["unread_total"] = sum(c.unread for c in rows)
        return Response(body)


def _limit(raw) -> int:
    if raw in (None, ""):
        return selectors.PAGE_SIZE
    try:
        limit = int(raw)
    except (TypeError, ValueError):
        limit = 0
    if not 1 <= limit <= selectors.MAX_PAGE_SIZE:
        raise ApiError("VALIDATION_ERROR", _("limit debe ser un entero entre 1 y 100."),
                       details={"limit": [_("Entero entre 1 y 100.")]})
    return limit


def _before(raw) -> int | None:
    if raw in (None, ""):
        return None
    before = id_parse(raw)
    if before is None:
        raise ApiError("VALIDATION_ERROR", _("before debe ser el id de un mensaje."),
                       details={"before": [_("Id de mensaje (entero positivo).")]})
    return before


class ConversationMessagesView(MessagesApiView):
    write_scope = "messages_send"

    @extend_schema(
        tags=TAG, summary="Mensajes de una conversación", operation_id="conversation_messages",
        description="Del más reciente al más antiguo. Para la página anterior pasa `before` = `next_before`.",
        parameters=[OpenApiParameter("before", int, description="id de mensaje (cursor)"),
                    OpenApiParameter("limit", int, description="1–100, por omisión 30")],
        responses={200: inline_serializer("ConversationMessages", {
            "results": serializers.ListField(child=MESSAGE), "has_more": serializers.BooleanField(),
            "next_before": serializers.IntegerField(allow_null=True), "can_send": serializers.BooleanField(),
            "other_read_at": serializers.DateTimeField(allow_null=True),
        }), **error_responses(400, 401, 404, 429)},
    )
    def get(self, request, conversation_id):
        conversation = selectors.conversation_get(user=request.user, conversation_id=conversation_id)
        limit = _limit(request.query_params.get("limit"))
        before = _before(request.query_params.get("before"))
        page, has_more = selectors.message_page(conversation=conversation, before=before, limit=limit)
        return Response({
            "results": [selectors.message_payload(m) for m in page],
            "has_more": has_more,
            "next_before": page[-1].pk if has_more and page else None,
            "can_send": conversation.care_open,
            "other_read_at": conversation.other_read_at.isoformat() if conversation.other_read_at else None,
        })

    @extend_schema(
        tags=TAG, summary="Enviar un mensaje", operation_id="conversation_message_send",
        description=(
            "JSON `{body, client_id}` o multipart con `image` (JPG, PNG o WEBP; se recodifica sin EXIF). "
            "Texto de hasta 4000 caracteres y/o una imagen. Repetir `client_id` devuelve el mensaje ya guardado (200)."
        ),
        request=inline_serializer("MessageSend", {
            "body": serializers.CharField(required=False), "client_id": serializers.CharField(required=False),
            "image": serializers.ImageField(required=False),
        }),
        responses={201: MESSAGE, 200: MESSAGE, **error_responses(400, 401, 404, 413, 429)},
    )
    def post(self, request, conversation_id):
        data = body_dict(request)
        message = services.message_send(
            actor=request.user,
            conversation_id=conversation_id,
            body=data.get("body", ""),
            image=request.FILES.get("image"),
            client_id=data.get("client_id", ""),
        )
        return Response(selectors.message_payload(message),
                        status=status.HTTP_200_OK if message.replayed else status.HTTP_201_CREATED)


class ConversationReadView(MessagesApiView):
    @extend_schema(
        tags=TAG, summary="Marcar conversación como leída", operation_id="conversation_read", request=None,
        responses={200: inline_serializer("ConversationRead", {
            "conversation_id": serializers.IntegerField(), "read_at": serializers.DateTimeField(),
        }), **error_responses(401, 404, 429)},
    )
    def post(self, request, conversation_id):
        read_at = services.conversation_mark_read(actor=request.user, conversation_id=conversation_id)
        return Response({"conversation_id": id_parse(conversation_id), "read_at": read_at.isoformat()})


class PatientConversationView(MessagesApiView):
    @extend_schema(
        tags=TAG, summary="Conversación con un paciente (nutriólogo)", operation_id="patient_conversation",
        description="La crea si la atención está abierta; después de terminar la atención devuelve la existente.",
        request=None,
        responses={200: inline_serializer("PatientConversation", {
            "id": serializers.IntegerField(), "can_send": serializers.BooleanField(),
        }), **error_responses(401, 404, 429)},
    )
    def post(self, request, patient_id):
        conversation = services.conversation_open(actor=request.user, patient_id=patient_id)
        return Response({"id": conversation.pk, "can_send": conversation.care_open})
