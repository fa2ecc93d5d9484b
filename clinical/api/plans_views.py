"""Meal plan API (the same services and selectors as the pages).

Nutritionist: ``/meal-plans`` list/create, detail (days, slots, items, totals)/edit/delete,
items add/edit/remove (answers include the day totals), clone, copy-day, assign, pdf.
Patient: ``/me/meal-plan/today``, log/undo one item, log a whole meal slot.
Another nutritionist's plan, a draft or a template read by a patient: 404 PLAN_NOT_FOUND.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from clinical import rules
from clinical.api.base import ClinicalApiView
from clinical.selectors import plans as selectors
from clinical.services import plans as services
from config.api import ApiError, PagePagination, body_dict, error_responses

TAG = ["Planes de alimentación"]
TARGETS = ("energy_kcal", "protein_g", "fat_g", "carbs_g")


class PlanApiView(ClinicalApiView):
    pass



def _author_plan(request, plan_id):
    if not rules.is_verified_nutritionist(request.user):
        raise selectors.PlanNotFound()
    return selectors.plan_get(user=request.user, plan_id=plan_id)


def item_payload(item) -> dict:
    return {
        "id": item.pk, "meal": item.meal, "kind": item.kind, "food_id": item.food_id, "recipe_id": item.recipe_id,
        "smae_group": item.smae_group or None, "portion_id": item.portion_id, "unit": item.unit or None,
        "quantity": float(item.quantity), "grams": float(item.grams) if item.grams is not None else None,
        "name": getattr(item, "display_name", None) or selectors.item_name(item),
        "amount": getattr(item, "display_amount", None) or selectors.item_amount(item),
        "note": item.note, "energy_kcal": item.energy_kcal, "protein_g": item.protein_g, "fat_g": item.fat_g,
        "carbs_g": item.carbs_g, "fiber_g": item.fiber_g, "equivalents": item.equivalents,
    }


def totals_payload(totals: dict) -> dict:
    return {
        **({"day": totals["day"]} if "day" in totals else {}),
        "values": totals["values"],
        "targets": [{k: row[k] for k in ("field", "value", "target", "percent")} for row in totals["rows"]],
        "slots": totals["slots"],
        "equivalents": totals["equivalents_raw"],
        "equivalents_text": totals["equivalents_text"],
    }


def plan_summary(plan) -> dict:
    return {
        "id": plan.pk, "title": plan.title, "status": plan.status, "is_template": plan.is_template,
        "patient_id": plan.patient_id,
        "patient_name": (plan.patient.get_full_name() if plan.patient_id else None),
        "start_date": plan.start_date, "end_date": plan.end_date,
        "targets": {k: getattr(plan, k) for k in TARGETS},
        "days_count": getattr(plan, "days_count", None), "items_count": getattr(plan, "items_count", None),
        "cloned_from": plan.cloned_from_id, "updated_at": plan.updated_at,
    }


def plan_detail(plan) -> dict:
    days = []
    for day in selectors.plan_days(plan):
        days.append({
            "number": day.number, "label": day.day.label,
            "slots": [{"meal": s.meal, "label": s.label, "items": [item_payload(i) for i in s.items],
                       "totals": s.values} for s in day.slots],
            "totals": totals_payload(day.totals),
        })
    out = plan_summary(plan)
    out.update({"description": plan.description, "days_count": len(days), "days": days})
    return out


class MealPlanListView(PlanApiView):
    @extend_schema(tags=TAG, operation_id="meal_plans_list", summary="Mis planes y plantillas", responses={200: dict, **error_responses(401)})
    def get(self, request):
        if not rules.is_verified_nutritionist(request.user):
            raise ApiError("PERMISSION_DENIED", _("Solo nutriólogos verificados tienen planes."), status_code=403)
        q = request.query_params
        templates = {"true": True, "false": False}.get(str(q.get("is_template", "")).lower())
        patient_id = rules.id_parse(q["patient_id"]) if q.get("patient_id") else None
        qs = selectors.plan_list(user=request.user, templates=templates, status=q.get("status") or None,
                                 patient_id=patient_id)
        paginator = PagePagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        body = paginator.get_paginated_response([plan_summary(p) for p in page]).data
        return Response({"meal_plans": body.pop("results"), **body})

    @extend_schema(tags=TAG, summary="Crear un plan", request=dict, responses={201: dict, **error_responses(400, 401, 403, 404)})
    def post(self, request):
        data = body_dict(request)
        plan = services.plan_create(
            actor=request.user, title=data.get("title"), days=data.get("days", 7), patient_id=data.get("patient_id"),
            description=data.get("description", ""), targets={k: data[k] for k in TARGETS if k in data},
            is_template=bool(data.get("is_template")),
        )
        return Response(plan_detail(plan), status=status.HTTP_201_CREATED)


class MealPlanDetailView(PlanApiView):
    @extend_schema(tags=TAG, summary="Detalle del plan con días, comidas, elementos y totales",
                   responses={200: dict, **error_responses(401, 404)})
    def get(self, request, plan_id):
        plan = selectors.plan_get_readable(user=request.user, plan_id=plan_id)
        return Response(plan_detail(plan))

    @extend_schema(tags=TAG, summary="Editar un plan", request=dict, responses={200: dict, **error_responses(400, 401, 404)})
    def patch(self, request, plan_id):
        plan = _author_plan(request, plan_id)
        plan = services.plan_update(actor=request.user, plan_id=plan.pk, data=body_dict(request))
        return Response(plan_detail(plan))

    @extend_schema(tags=TAG, summary="Eliminar un borrador", responses={204: None, **error_responses(400, 401, 404)})
    def delete(self, request, plan_id):
        plan = _author_plan(request, plan_id)
        services.plan_delete(actor=request.user, plan_id=plan.pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


def _item_response(plan, item, day_number: int, code=status.HTTP_200_OK):
    body = {"item": item_payload(item) if item is not None else None,
            "day_totals": totals_payload(selectors.plan_day_totals(plan, day_number))}
    return Response(body, status=code)


class MealPlanItemsView(PlanApiView):
    @extend_schema(tags=TAG, summary="Agregar un alimento, receta o equivalentes SMAE", request=dict,
                   responses={201: dict, **error_responses(400, 401, 404)})
    def post(self, request, plan_id):
        plan = _author_plan(request, plan_id)
        data = body_dict(request)
        day = data.get("day_number", data.get("day"))
        item = services.plan_item_add(
            actor=request.user, plan_id=plan.pk, day_number=day, meal=data.get("meal"), kind=data.get("kind"),
            food_id=data.get("food_id"), recipe_id=data.get("recipe_id"), smae_group=data.get("smae_group"),
            quantity=data.get("quantity"), unit=data.get("unit"), portion_id=data.get("portion_id"),
            note=data.get("note", ""),
        )
        return _item_response(plan, item, item.day.number, status.HTTP_201_CREATED)


class MealPlanItemView(PlanApiView):
    @extend_schema(tags=TAG, summary="Editar un elemento", request=dict, responses={200: dict, **error_responses(400, 401, 404)})
    def patch(self, request, plan_id, item_id):
        plan = _author_plan(request, plan_id)
        data = body_dict(request)
        item = services.plan_item_update(
            actor=request.user, plan_id=plan.pk, item_id=item_id, quantity=data.get("quantity"), unit=data.get("unit"),
            portion_id=data.get("portion_id"), note=data.get("note"), meal=data.get("meal"),
        )
        return _item_response(plan, item, item.day.number)

    @extend_schema(tags=TAG, summary="Quitar un elemento", responses={200: dict, **error_responses(401, 404)})
    def delete(self, request, plan_id, item_id):
        plan = _author_plan(request, plan_id)
        item = services.plan_item_remove(actor=request.user, plan_id=plan.pk, item_id=item_id)
        return _item_response(plan, None, item.day.number)


class MealPlanCloneView(PlanApiView):
    @extend_schema(tags=TAG, summary="Clonar (también como plantilla o para un paciente)", request=dict,
                   responses={201: dict, **error_responses(400, 401, 404)})
    def post(self, request, plan_id):
        plan = _author_plan(request, plan_id)
        data = body_dict(request)
        copy = services.plan_clone(actor=request.user, plan_id=plan.pk, patient_id=data.get("patient_id"),
                                   as_template=bool(data.get("as_template")), title=data.get("title"))
        return Response(plan_detail(copy), status=status.HTTP_201_CREATED)


class MealPlanCopyDayView(PlanApiView):
    @extend_schema(tags=TAG, summary="Copiar un día sobre otro (reemplaza)", request=dict,
                   responses={200: dict, **error_responses(400, 401, 404)})
    def post(self, request, plan_id):
        plan = _author_plan(request, plan_id)
        data = body_dict(request)
        day = services.plan_day_copy(actor=request.user, plan_id=plan.pk, from_day=data.get("from_day"),
                                     to_day=data.get("to_day"))
        return Response({"day_totals": totals_payload(selectors.plan_day_totals(plan, day.number))})


class MealPlanAssignView(PlanApiView):
    @extend_schema(tags=TAG, summary="Asignar a un paciente (archiva su plan activo anterior)", request=dict,
                   responses={200: dict, **error_responses(400, 401, 404)})
    def post(self, request, plan_id):
        plan = _author_plan(request, plan_id)
        data = body_dict(request)
        plan = services.plan_assign(actor=request.user, plan_id=plan.pk, patient_id=data.get("patient_id"),
                                    start_date=data.get("start_date"), end_date=data.get("end_date"),
                                    request=request)
        return Response(plan_detail(plan))


class MealPlanPdfView(PlanApiView):
    @extend_schema(tags=TAG, summary="El plan en PDF", responses={(200, "application/pdf"): bytes, **error_responses(401, 404)})
    def get(self, request, plan_id):
        from clinical.models import AccessAction
        from clinical.pdf import plan_pdf_bytes

        plan = selectors.plan_get_readable(user=request.user, plan_id=plan_id)
        if plan.patient_id and plan.patient_id != request.user.pk:
            rules.access_log(patient=plan.patient, actor=request.user, action=AccessAction.DOWNLOAD, resource="plan",
                             object_id=plan.pk, request=request)
        response = HttpResponse(plan_pdf_bytes(plan), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="plan-{plan.pk}.pdf"'
        return response


# ---------------------------------------------------------------------------------------
# the patient


def today_payload(user) -> dict:
    today = selectors.plan_today(user=user, day=timezone.localdate())
    if today is None:
        return {"plan": None, "date": timezone.localdate(), "slots": []}
    plan = today["plan"]
    return {
        "plan": {"id": plan.pk, "title": plan.title, "description": plan.description,
                 "start_date": plan.start_date, "end_date": plan.end_date,
                 "targets": {k: getattr(plan, k) for k in TARGETS}},
        "date": today["date"], "day_number": today["day_number"], "planned": today["planned"],
        "logged": today["logged"],
        "slots": [{"meal": s.meal, "label": s.label, "all_logged": s.all_logged, "totals": s.values,
                   "items": [{**item_payload(r["item"]), "logged": r["logged"],
                              "diary_entry_id": r["log"].diary_entry_id if r["log"] else None} for r in s.items]}
                  for s in today["slots"]],
        "totals": totals_payload(today["totals"]),
    }


class MyPlanTodayView(PlanApiView):
    @extend_schema(tags=TAG, summary="Mi plan de hoy", responses={200: dict, **error_responses(401)})
    def get(self, request):
        return Response(today_payload(request.user))


def _log_payload(log) -> dict:
    return {"id": log.pk, "item_id": log.item_id, "date": log.date, "diary_entry_id": log.diary_entry_id}


class MyPlanItemLogView(PlanApiView):
    @extend_schema(tags=TAG, summary="Registrar en mi diario un elemento del plan (201; 200 si ya estaba)",
                   request=dict, responses={201: dict, 200: dict, **error_responses(400, 401, 404)})
    def post(self, request, item_id):
        data = body_dict(request) if request.data else {}
        log, created = services.plan_item_log(actor=request.user, item_id=item_id, date=data.get("date"))
        return Response({"log": _log_payload(log), "created": created},
                        status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    @extend_schema(tags=TAG, summary="Deshacer el registro", responses={204: None, **error_responses(401, 404)})
    def delete(self, request, item_id):
        services.plan_item_unlog(actor=request.user, item_id=item_id, date=request.query_params.get("date"))
        return Response(status=status.HTTP_204_NO_CONTENT)


class MyPlanMealLogView(PlanApiView):
    @extend_schema(tags=TAG, summary="Comí lo planeado: registrar toda una comida", request=dict,
                   responses={200: dict, **error_responses(400, 401, 404)})
    def post(self, request, meal):
        data = body_dict(request) if request.data else {}
        logs = services.plan_meal_log(actor=request.user, meal=meal, date=data.get("date"))
        created = any(c for _log, c in logs)
        return Response({"logs": [_log_payload(log) for log, _c in logs], "created": created},
                        status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)
