"""Meal-plan generator API (the same service as the generator pages).

- ``POST /ai/generate-meal-plan``: generate a draft plan (nutritionist for a patient in their
  care or for nobody; a person without a nutritionist for themselves). Rate scope
  ``ai_generate_plan``.
- ``GET /meal-plans/<id>/shopping-list``: the shopping list of any plan the user may read,
  grouped by aisle with estimated costs; ``.../shopping-list/pdf`` the plan with its list.
- ``POST /meal-plans/<id>/adopt``: a person makes the plan they generated their active plan.
"""

from __future__ import annotations

from django.http import HttpResponse
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from clinical.api.base import ClinicalApiView
from clinical.api.plans_views import plan_detail
from clinical.generator.shopping import plan_shopping
from clinical.selectors import plans as selectors
from clinical.services import plan_generator as services
from config.api import body_dict, error_responses

TAG = ["Planes de alimentación"]


def shopping_payload(shopping: dict) -> dict:
    return {
        "aisles": [{"code": a.code, "label": a.label, "cost_mxn": a.cost_mxn, "items": [line.as_dict() for line in a.lines]}
                   for a in shopping["aisles"]],
        "total_mxn": shopping["total_mxn"],
        "used_mxn": shopping["used_mxn"],
        "per_day_mxn": shopping["per_day_mxn"],
        "days": shopping["days"],
        "currency": "MXN",
        "prices_estimated_at": shopping["price_date"],
    }


def generated_payload(plan) -> dict:
    summary = services.generated_plan_summary(plan)
    body = plan_detail(plan)
    meta = summary["meta"]
    for day, detail in zip(summary["days"], body["days"], strict=True):
        detail["within_tolerance"] = day.within
        detail["totals"]["targets"] = [
            {**row, "within_tolerance": src["ok"]} for row, src in zip(detail["totals"]["targets"], day.totals["rows"], strict=True)
        ]
    body["generation"] = {
        "budget": meta.get("budget"), "daily_cap_mxn": meta.get("daily_cap_mxn"),
        "allergies": meta.get("allergies", []), "restrictions": meta.get("restrictions", []),
        "relaxed": summary["relaxed"], "tips": summary["tips"], "named_by": meta.get("named_by"),
        "seconds": meta.get("seconds"),
    }
    body["shopping_list"] = shopping_payload(summary["shopping"])
    return body


class GenerateMealPlanView(ClinicalApiView):
    write_scope = "ai_generate_plan"

    @extend_schema(tags=TAG, operation_id="ai_generate_meal_plan", summary="Generar un plan de alimentación",
                   description=(
                       "Cuerpo: patient_id (opcional), days (1-14, 7), energy_kcal, protein_g, fat_g, carbs_g "
                       "(opcionales; por omisión las metas del paciente), allergies (gluten, lacteos, huevo, cacahuate, "
                       "nueces, mariscos, pescado, soya), restrictions (vegetariano, vegano, sin_cerdo), budget "
                       "(bajo, medio, alto), preferences (texto)."),
                   request=dict, responses={201: dict, **error_responses(400, 401, 403, 404, 429)})
    def post(self, request):
        data = body_dict(request)
        result = services.meal_plan_generate(
            actor=request.user, patient_id=data.get("patient_id"), days=data.get("days", services.DEFAULT_DAYS),
            targets={k: data.get(k) for k in services.TARGET_RANGES}, allergies=data.get("allergies"),
            restrictions=data.get("restrictions"), budget=data.get("budget") or "medio",
            preferences=data.get("preferences", ""), request=request,
        )
        return Response(generated_payload(result.plan), status=status.HTTP_201_CREATED)


class MealPlanShoppingView(ClinicalApiView):
    @extend_schema(tags=TAG, summary="Lista de compras del plan con costos estimados",
                   responses={200: dict, **error_responses(401, 404)})
    def get(self, request, plan_id):
        plan = selectors.plan_get_readable(user=request.user, plan_id=plan_id)
        return Response({"plan_id": plan.pk, **shopping_payload(plan_shopping(plan))})


class MealPlanShoppingPdfView(ClinicalApiView):
    @extend_schema(tags=TAG, summary="El plan y su lista de compras en PDF",
                   responses={(200, "application/pdf"): bytes, **error_responses(401, 404)})
    def get(self, request, plan_id):
        from clinical.pdf import plan_pdf_bytes

        plan = selectors.plan_get_readable(user=request.user, plan_id=plan_id)
        response = HttpResponse(plan_pdf_bytes(plan, shopping=plan_shopping(plan)), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="plan-{plan.pk}-compras.pdf"'
        return response


class MealPlanAdoptView(ClinicalApiView):
    @extend_schema(tags=TAG, summary="Adoptar el plan que generé para mí", request=dict,
                   responses={200: dict, **error_responses(400, 401, 403, 404)})
    def post(self, request, plan_id):
        data = body_dict(request)
        plan = services.generated_plan_adopt(actor=request.user, plan_id=plan_id, start_date=data.get("start_date"))
        return Response(plan_detail(plan))
