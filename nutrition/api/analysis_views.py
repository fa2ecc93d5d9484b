"""Meal photo analysis for the mobile app (seed 003 ``/analyze``).

``POST /analyze/image`` answers 202 at once; the work happens in a Celery task
(``nutrition.tasks.food_analysis_run``). ``GET /analyze/{id}`` shows progress, the result, or
the failure (422 with ANALYSIS_FAILED, NO_FOODS_DETECTED, ANALYSIS_TIMEOUT, AI_UNAVAILABLE,
INVALID_IMAGE_FORMAT). Corrections and logging call the same services as the page.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from config.api import ApiError, ApiView, PagePagination, body_dict, error_body, error_responses
from nutrition.api import payloads
from nutrition.models import MEAL_TO_SEED, FoodAnalysis
from nutrition.selectors import analysis as selectors
from nutrition.services import analysis as services

TAG = ["Análisis de fotos"]
ESTIMATED_SECONDS = 15


def _iso(value):
    return value.isoformat() if value else None


def analysis_payload(analysis: FoodAnalysis) -> dict:
    """The seed 003 shape of one analysis in any state."""
    base = {"id": str(analysis.pk), "analysis_id": str(analysis.pk), "status": analysis.status,
            "created_at": _iso(analysis.created_at)}
    if analysis.is_processing:
        return {**base, "progress": analysis.progress, "current_step": analysis.current_step,
                "estimated_completion": _iso(analysis.created_at + timedelta(seconds=ESTIMATED_SECONDS))}
    if analysis.is_failed:
        return {**base, "error": {"code": analysis.error_code, "message": analysis.error_message},
                "failed_at": _iso(analysis.failed_at)}
    return {
        **base,
        "confidence_score": analysis.confidence_score,
        "processing_time_ms": analysis.processing_time_ms,
        "reused": analysis.reused_from_id is not None,
        "total_nutrition": services.nutrition_out(analysis.totals),
        "detected_foods": [
            {
                "index": index,
                "food_id": item.get("public_id"),
                "name": item["food_name"] or item["name"],
                "detected_name": item["name"],
                "portion_grams": item["portion_grams"],
                "confidence": item["confidence"],
                "source": item["source"],
                "needs_review": bool(item.get("needs_review")) or item["source"] == "none",
                "reference": item.get("reference"),
                "nutrition": services.nutrition_out(item.get("nutrition")),
                "alternatives": [
                    {"food_id": alt.get("public_id"), "name": alt["name"], "calories": alt["energy_kcal"]}
                    for alt in item.get("alternatives", [])
                ],
            }
            for index, item in enumerate(analysis.items)
        ],
        "meal_type": MEAL_TO_SEED.get(analysis.meal),
        "meal": analysis.meal or None,
        "notes": analysis.notes,
        "image": {
            "url": selectors.analysis_image_url(analysis),
            "hash": analysis.image_hash,
            "dimensions": {"width": analysis.image_width, "height": analysis.image_height},
            "size_bytes": analysis.image_size_bytes,
        },
        "logged": {
            "date": _iso(analysis.logged_date), "meal": analysis.logged_meal or None,
            "entry_ids": analysis.logged_entry_ids,
        } if analysis.logged_at else None,
        "completed_at": _iso(analysis.completed_at),
    }


class AnalysisApiView(ApiView):
    permission_classes = [IsAuthenticated]


class AnalyzeImageInput(serializers.Serializer):
    image = serializers.ImageField(help_text="JPG, PNG o WEBP, máximo 5 MB")
    meal_type = serializers.CharField(required=False, help_text="breakfast, lunch, dinner, snack o desayuno…cena")
    notes = serializers.CharField(required=False, max_length=500)


def _unavailable(exc: services.AnalysisUnavailable) -> ApiError:
    from django.urls import reverse

    return ApiError("AI_UNAVAILABLE", exc.message, status_code=503,
                    details={"food_search": reverse("foods-search"), "diary": reverse("nutrition:diary")})


class AnalyzeImageView(AnalysisApiView):
    rate_limit_scope = "ai_analyze_image"

    @extend_schema(
        tags=TAG,
        summary="Analizar la foto de una comida",
        description=(
            "Responde 202 de inmediato con `analysis_id`; consulta `GET /analyze/{id}` o escucha "
            "`analysis:progress` / `analysis:completed` en el websocket. Sin proveedor de IA: 503 AI_UNAVAILABLE."
        ),
        request={"multipart/form-data": AnalyzeImageInput},
        responses={202: OpenApiTypes.OBJECT, **error_responses(400, 401, 429, 503)},
    )
    def post(self, request):
        data = body_dict(request)
        try:
            analysis = services.analysis_start(
                actor=request.user, image=request.FILES.get("image"), meal_type=data.get("meal_type"),
                notes=data.get("notes") or "",
            )
        except services.AnalysisUnavailable as exc:
            raise _unavailable(exc)
        analysis.refresh_from_db()
        body = analysis_payload(analysis)
        if analysis.is_processing:
            body["message"] = _("Análisis en progreso. Use GET /analyze/{analysis_id} para verificar estado.")
        return Response(body, status=status.HTTP_202_ACCEPTED)


class AnalysisListView(AnalysisApiView):
    @extend_schema(tags=TAG, summary="Mis análisis de fotos", operation_id="analyze_list", responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        paginator = PagePagination()
        page = paginator.paginate_queryset(selectors.analysis_list(user=request.user), request, view=self)
        return paginator.get_paginated_response([
            {"id": str(a.pk), "status": a.status, "created_at": _iso(a.created_at), "meal": a.meal or None,
             "total_calories": services.nutrition_out(a.totals)["calories"] if a.is_completed else None,
             "foods": [i.get("food_name") or i.get("name", "") for i in a.items]}
            for a in page
        ])


class AnalysisDetailView(AnalysisApiView):
    @extend_schema(
        tags=TAG, summary="Estado o resultado de un análisis",
        description="200 procesando o completado; 422 si falló (el código dice por qué); 404 ANALYSIS_NOT_FOUND.",
        responses={200: OpenApiTypes.OBJECT, **error_responses(401, 404, 422)},
    )
    def get(self, request, analysis_id):
        analysis = selectors.analysis_get(user=request.user, analysis_id=analysis_id)
        body = analysis_payload(analysis)
        if analysis.is_failed:
            envelope = error_body(analysis.error_code, analysis.error_message)
            return Response({**body, **envelope}, status=422)
        return Response(body)


class ItemInput(serializers.Serializer):
    portion_grams = serializers.FloatField(required=False)
    food_id = serializers.CharField(required=False, help_text="una de `alternatives` u otro alimento de /foods/search")


class AnalysisItemView(AnalysisApiView):
    @extend_schema(tags=TAG, summary="Corregir un alimento detectado", request=ItemInput,
                   responses={200: OpenApiTypes.OBJECT, **error_responses(400, 401, 404)})
    def patch(self, request, analysis_id, index):
        data = body_dict(request)
        analysis = services.analysis_item_update(
            actor=request.user, analysis_id=analysis_id, index=index,
            portion_grams=data.get("portion_grams"), food_id=data.get("food_id"),
        )
        return Response(analysis_payload(analysis))


class AnalysisLogInput(serializers.Serializer):
    date = serializers.DateField(required=False)
    meal = serializers.CharField(required=False)


class AnalysisLogView(AnalysisApiView):
    rate_limit_scope = "diary_write"

    @extend_schema(tags=TAG, summary="Registrar el análisis en mi diario",
                   description="201 la primera vez; 200 con los mismos registros si ya estaba registrado.",
                   request=AnalysisLogInput, responses={201: OpenApiTypes.OBJECT, **error_responses(400, 401, 404)})
    def post(self, request, analysis_id):
        data = body_dict(request)
        entries, created = services.analysis_log(
            actor=request.user, analysis_id=analysis_id, date=data.get("date"), meal=data.get("meal"))
        return Response(
            {"analysis_id": str(analysis_id), "created": created,
             "entries": [payloads.entry_payload(e) for e in entries]},
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )
