"""Webhook registration for the mobile app and integrators: ``/api/v1/webhooks``."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from config.api import ApiView, body_dict, error_responses
from integrations import webhooks
from integrations.models import WebhookDelivery, WebhookEndpoint

TAG = ["Webhooks"]


def endpoint_payload(endpoint: WebhookEndpoint, *, with_secret: bool = False) -> dict:
    data = {
        "id": endpoint.pk,
        "url": endpoint.url,
        "events": endpoint.events,
        "description": endpoint.description,
        "is_active": endpoint.is_active,
        "created_at": endpoint.created_at.isoformat(),
        "failure_count": endpoint.failure_count,
        "last_success_at": endpoint.last_success_at.isoformat() if endpoint.last_success_at else None,
        "last_failure_at": endpoint.last_failure_at.isoformat() if endpoint.last_failure_at else None,
    }
    if with_secret:
        data["secret"] = endpoint.secret
    return data


def delivery_payload(delivery: WebhookDelivery) -> dict:
    return {
        "id": delivery.pk,
        "event": delivery.event,
        "event_id": delivery.event_id,
        "status": delivery.status,
        "attempt_count": delivery.attempt_count,
        "attempts": delivery.attempts,
        "response_status": delivery.response_status,
        "next_attempt_at": delivery.next_attempt_at.isoformat() if delivery.next_attempt_at else None,
        "delivered_at": delivery.delivered_at.isoformat() if delivery.delivered_at else None,
        "created_at": delivery.created_at.isoformat(),
    }


class WebhookListView(ApiView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=TAG, summary="Mis webhooks", operation_id="webhooks_list", responses={200: OpenApiTypes.OBJECT, **error_responses(401)})
    def get(self, request):
        return Response({"results": [endpoint_payload(e) for e in webhooks.webhook_endpoint_list(user=request.user)]})

    @extend_schema(
        tags=TAG,
        summary="Registrar un webhook",
        description="`url` (https), `events` (por omisión `analysis.completed`), `description`. La respuesta "
        "incluye `secret` para verificar la firma `X-NutriMX-Signature: t=…,v1=HMAC-SHA256(secret, \"t.cuerpo\")`.",
        request=OpenApiTypes.OBJECT,
        responses={201: OpenApiTypes.OBJECT, **error_responses(400, 401, 429)},
    )
    def post(self, request):
        data = body_dict(request)
        endpoint = webhooks.webhook_endpoint_create(
            actor=request.user, url=data.get("url"), events=data.get("events"), description=data.get("description", "")
        )
        return Response(endpoint_payload(endpoint, with_secret=True), status=status.HTTP_201_CREATED)


class WebhookDetailView(ApiView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=TAG, summary="Un webhook con su secreto",
                   responses={200: OpenApiTypes.OBJECT, **error_responses(401, 404)})
    def get(self, request, endpoint_id):
        endpoint = webhooks.webhook_endpoint_get(user=request.user, endpoint_id=endpoint_id)
        return Response(endpoint_payload(endpoint, with_secret=True))

    @extend_schema(tags=TAG, summary="Borrar un webhook", responses={204: None, **error_responses(401, 404)})
    def delete(self, request, endpoint_id):
        webhooks.webhook_endpoint_delete(actor=request.user, endpoint_id=endpoint_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class WebhookRotateView(ApiView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=TAG, summary="Cambiar el secreto", request=None,
                   responses={200: OpenApiTypes.OBJECT, **error_responses(401, 404)})
    def post(self, request, endpoint_id):
        endpoint = webhooks.webhook_endpoint_rotate_secret(actor=request.user, endpoint_id=endpoint_id)
        return Response(endpoint_payload(endpoint, with_secret=True))


class WebhookDeliveriesView(ApiView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=TAG, summary="Bitácora de entregas (las 50 más recientes)",
                   responses={200: OpenApiTypes.OBJECT, **error_responses(401, 404)})
    def get(self, request, endpoint_id):
        deliveries = webhooks.webhook_delivery_list(user=request.user, endpoint_id=endpoint_id)
        return Response({"results": [delivery_payload(d) for d in deliveries]})
