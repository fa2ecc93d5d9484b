"""Chatbot API for the mobile app (seed 000 §2.6, ``POST /api/v1/ai/chat``) and the
conversation history.

Views parse input and call ``assistant.services`` / ``assistant.selectors``, the same functions
the pages and the Celery task call. Someone else's conversation answers 404
CONVERSATION_NOT_FOUND; a message that is empty or over 2000 characters answers 400
VALIDATION_ERROR with ``details.message``.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from assistant import selectors, services
from assistant.models import Status
from config.api import ApiError, ApiView, PagePagination, body_dict, error_responses

TAG = ["Asistente"]



class ChatSourceSerializer(serializers.Serializer):
    """One cited source (a class, not an inline serializer: the schema has one component)."""

    title = serializers.CharField()
    url = serializers.CharField()
    kind = serializers.ChoiceField(choices=["blog", "resource", "recipe", "directory", "helpline"])


MESSAGE = inline_serializer("ChatMessage", {
    "id": serializers.IntegerField(), "role": serializers.ChoiceField(choices=["user", "assistant"]),
    "content": serializers.CharField(), "sources": ChatSourceSerializer(many=True),
    "related_questions": serializers.ListField(child=serializers.CharField()),
    "mode": serializers.ChoiceField(choices=["ai", "offline", "safety"], allow_null=True),
    "status": serializers.ChoiceField(choices=["pending", "complete"]),
    "created_at": serializers.DateTimeField(),
})
CONVERSATION = inline_serializer("ChatConversation", {
    "id": serializers.IntegerField(), "title": serializers.CharField(),
    "created_at": serializers.DateTimeField(), "updated_at": serializers.DateTimeField(),
    "message_count": serializers.IntegerField(), "last_message": serializers.CharField(),
})


class AssistantApiView(ApiView):
    permission_classes = [IsAuthenticated]
    rate_limit_scope = "default"


def _truthy(value) -> bool:
    return str(value).strip().lower() in ("1", "true", "yes", "si", "sí", "on")


def chat_payload(reply) -> dict:
    """The §2.6 response: ``response, conversation_id, sources, related_questions`` (+ ids, mode, status)."""
    return {
        "response": reply.content,
        "conversation_id": reply.conversation_id,
        "message_id": reply.pk,
        "sources": list(reply.sources or []),
        "related_questions": list(reply.related_questions or []),
        "mode": reply.mode or None,
        "status": reply.status,
    }


class ChatView(AssistantApiView):
    rate_limit_scope = "ai_chat"

    @extend_schema(
        tags=TAG, summary="Preguntar al asistente de nutrición", operation_id="ai_chat",
        description=(
            "Responde con base en el blog, los recursos y las recetas publicadas, y cita sus fuentes. "
            "`conversation_id` vacío abre una conversación nueva. Preguntas que piden un diagnóstico, dietas "
            "extremas, suplementos o medicamentos, o con señales de un trastorno de la conducta alimentaria, "
            "reciben una respuesta de cuidado (`mode: \"safety\"`). Sin proveedor de IA (o si falla) la respuesta "
            "es de solo pasajes (`mode: \"offline\"`).\n\n"
            "Con `stream: true` la respuesta llega por el websocket `/ws/` como eventos `chat:delta` "
            "`{conversation_id, message_id, delta}` y al final `chat:done` `{conversation_id, message_id, message}`; "
            "la petición responde 202 con `status: \"pending\"` (o 200 si ya terminó)."
        ),
        request=inline_serializer("ChatAsk", {
            "message": serializers.CharField(max_length=2000),
            "conversation_id": serializers.IntegerField(required=False, allow_null=True),
            "stream": serializers.BooleanField(required=False, default=False),
        }),
        responses={200: inline_serializer("ChatReply", {
            "response": serializers.CharField(), "conversation_id": serializers.IntegerField(),
            "message_id": serializers.IntegerField(), "sources": ChatSourceSerializer(many=True),
            "related_questions": serializers.ListField(child=serializers.CharField()),
            "mode": serializers.CharField(allow_null=True), "status": serializers.CharField(),
        }), **error_responses(400, 401, 404, 429)},
    )
    def post(self, request):
        data = body_dict(request)
        message = data.get("message")
        if message is not None and not isinstance(message, str):
            raise ApiError("VALIDATION_ERROR", _("Revisa los datos enviados."),
                           details={"message": [_("Escribe tu pregunta como texto.")]})
        reply = services.chat_ask(
            actor=request.user, message=message, conversation_id=data.get("conversation_id"),
            stream=_truthy(data.get("stream", False)),
        )
        pending = reply.status == Status.PENDING
        return Response(chat_payload(reply), status=status.HTTP_202_ACCEPTED if pending else status.HTTP_200_OK)


class ConversationListView(AssistantApiView):
    @extend_schema(
        tags=TAG, summary="Mis conversaciones con el asistente", operation_id="ai_conversations",
        parameters=[OpenApiParameter("page", int), OpenApiParameter("limit", int, description="1–100, por omisión 20")],
        responses={200: inline_serializer("ChatConversationList", {
            "results": serializers.ListField(child=CONVERSATION), "page": serializers.IntegerField(),
            "limit": serializers.IntegerField(), "total_pages": serializers.IntegerField(),
            "total_results": serializers.IntegerField(),
        }), **error_responses(400, 401, 429)},
    )
    def get(self, request):
        paginator = PagePagination()
        page = paginator.paginate_queryset(selectors.conversation_list(user=request.user), request, view=self)
        return paginator.get_paginated_response([selectors.conversation_payload(c) for c in page])

    @extend_schema(
        tags=TAG, summary="Eliminar todas mis conversaciones con el asistente", operation_id="ai_conversations_delete_all",
        responses={200: inline_serializer("ChatDeletedAll", {"deleted": serializers.IntegerField()}),
                   **error_responses(401, 429)},
    )
    def delete(self, request):
        return Response({"deleted": services.conversation_delete_all(actor=request.user)})


class ConversationDetailView(AssistantApiView):
    @extend_schema(
        tags=TAG, summary="Una conversación con el asistente", operation_id="ai_conversation",
        responses={200: inline_serializer("ChatConversationDetail", {
            "id": serializers.IntegerField(), "title": serializers.CharField(),
            "created_at": serializers.DateTimeField(), "updated_at": serializers.DateTimeField(),
            "messages": serializers.ListField(child=MESSAGE),
        }), **error_responses(401, 404, 429)},
    )
    def get(self, request, conversation_id):
        conversation = selectors.conversation_get(user=request.user, conversation_id=conversation_id)
        return Response({
            "id": conversation.pk, "title": conversation.title,
            "created_at": conversation.created_at.isoformat(), "updated_at": conversation.updated_at.isoformat(),
            "messages": [selectors.message_payload(m) for m in selectors.message_list(conversation=conversation)],
        })

    @extend_schema(tags=TAG, summary="Eliminar una conversación", operation_id="ai_conversation_delete",
                   responses={204: None, **error_responses(401, 404, 429)})
    def delete(self, request, conversation_id):
        services.conversation_delete(actor=request.user, conversation_id=conversation_id)
        return Response(status=status.HTTP_204_NO_CONTENT)
