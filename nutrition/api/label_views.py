"""The NOM-051 label scanner for the mobile app (seed 000 §2.6 ``POST /ai/scan-label``).

Views parse input and call ``nutrition.services.labels`` (the functions the label page
calls). Errors: INVALID_IMAGE / IMAGE_TOO_LARGE (400), LABEL_NOT_FOUND (422),
VALIDATION_ERROR (400), DUPLICATE_FOOD (409), RATE_LIMIT_EXCEEDED (429).
"""

from __future__ import annotations

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import parsers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from config.api import ApiError, ApiView, body_dict, error_responses
from config.parsers import JSONParser
from nutrition.api import payloads
from nutrition.labels.parse import FIELDS
from nutrition.selectors import foods as food_selectors
from nutrition.services import labels as label_services

TAG = ["IA"]
SEED_KEYS = {v: k for k, v in label_services.API_KEYS.items()}


def _on_date(raw) -> date | None:
    if raw in (None, ""):
        return None
    try:
        return date.fromisoformat(str(raw))
    except ValueError:
        raise ApiError("VALIDATION_ERROR", _("Revisa los datos enviados."), details={"on_date": [_("Usa AAAA-MM-DD.")]})


def values_from_payload(body: dict) -> dict:
    """The seed 000 shape (``nutrition_per_100`` / ``nutrition_per_serving`` with ``calories``,
    ``sugar_g``...) or flat per-100 fields -> the service's flat values per 100 g/ml."""
    values = {k: v for k, v in body.items() if not isinstance(v, dict)}
    serving = body.get("serving_size_value", body.get("serving_size"))
    if isinstance(serving, str):
        match = re.match(r"\s*([\d.,]+)\s*(g|ml)?", serving, re.IGNORECASE)
        if match:
            serving = match.group(1).replace(",", ".")
            if (match.group(2) or "").lower() == "ml" and not body.get("physical_state"):
                values["physical_state"] = "liquid"
    values["serving_size"] = serving
    if "product_name" in body and "name" not in body:
        values["name"] = body["product_name"]
    for key, factor in (("nutrition_per_serving", "serving"), ("nutrition_per_100", 1)):
        column = body.get(key)
        if not isinstance(column, dict):
            continue
        for seed_key, raw in column.items():
            name = SEED_KEYS.get(seed_key, seed_key)
            if name not in FIELDS or raw in (None, ""):
                continue
            if factor == "serving":
                try:
                    raw = float(raw) * 100 / float(serving)
                except (TypeError, ValueError, ZeroDivisionError):
                    raise ApiError(
                        "VALIDATION_ERROR", _("Revisa los datos enviados."),
                        details={"serving_size": [_("Indica el tamaño de la porción para usar valores por porción.")]},
                    )
            values[name] = raw
    for list_key in ("printed_seals", "printed_legends"):
        if isinstance(body.get(list_key), list):
            values[list_key] = body[list_key]
    return values


class LabelApiView(ApiView):
    permission_classes = [IsAuthenticated]


class LabelScanView(LabelApiView):
    rate_limit_scope = "ai_scan_label"
    parser_classes = [parsers.MultiPartParser, parsers.FormParser]

    @extend_schema(
        tags=TAG,
        summary="Leer una etiqueta nutrimental (NOM-051)",
        description=(
            "multipart/form-data con `image` (JPG, PNG o WEBP, máximo 5 MB) y opcional `on_date` (AAAA-MM-DD, fase de "
            "la norma; por omisión hoy en la Ciudad de México). Lee la tabla con OCR local y, si hay proveedor de IA, con "
            "un modelo de visión como segundo lector; `fields` da la confianza y las alertas por campo y `needs_review` "
            "los campos a confirmar. Errores: INVALID_IMAGE, IMAGE_TOO_LARGE, LABEL_NOT_FOUND (422)."
        ),
        request={"multipart/form-data": {"type": "object", "properties": {
            "image": {"type": "string", "format": "binary"}, "on_date": {"type": "string", "format": "date"}}}},
        responses={200: OpenApiTypes.OBJECT, **error_responses(400, 401, 422, 429)},
    )
    def post(self, request):
        on_date = _on_date(request.data.get("on_date"))
        try:
            result = label_services.label_scan(actor=request.user, image=request.FILES.get("image"), on_date=on_date)
        except label_services.LabelNotFound as exc:
            raise ApiError("LABEL_NOT_FOUND", exc.message, status_code=422)
        return Response(result)


class LabelEvaluateView(LabelApiView):
    parser_classes = [JSONParser, parsers.FormParser]

    @extend_schema(
        tags=TAG,
        summary="Recalcular sellos NOM-051 con valores corregidos",
        description="Los mismos campos que `scan-label/save`; responde sellos, leyendas, discrepancias y puntuación.",
        request=OpenApiTypes.OBJECT,
        responses={200: OpenApiTypes.OBJECT, **error_responses(400, 401)},
    )
    def post(self, request):
        body = body_dict(request)
        on_date = _on_date(body.pop("on_date", None))
        return Response(label_services.label_evaluate(actor=request.user, values=values_from_payload(body), on_date=on_date))


class LabelSaveView(LabelApiView):
    parser_classes = [JSONParser, parsers.FormParser]

    @extend_schema(
        tags=TAG,
        summary="Guardar una etiqueta confirmada como alimento",
        description=(
            "`product_name`, `brand`, `serving_size` (número o \"30g\"), `physical_state` (solid/liquid) y "
            "`nutrition_per_100{calories, protein_g, ...}` (o `nutrition_per_serving` con `serving_size`). Crea un "
            "alimento personalizado, privado hasta que el personal lo verifique. Duplicado: 409 DUPLICATE_FOOD."
        ),
        request=OpenApiTypes.OBJECT,
        responses={201: OpenApiTypes.OBJECT, **error_responses(400, 401, 409)},
    )
    def post(self, request):
        values = values_from_payload(body_dict(request))
        try:
            food = label_services.label_save(actor=request.user, values=values)
        except ValidationError as exc:
            if getattr(exc, "code", None) == "DUPLICATE_FOOD":
                food_id = (exc.params or {}).get("food_id")
                raise ApiError("DUPLICATE_FOOD", exc.messages[0], status_code=409, details={"food_id": f"food_{food_id}"})
            raise
        food = food_selectors.food_get(user=request.user, food_id=food.pk)
        return Response(payloads.food_detail(food), status=status.HTTP_201_CREATED)
