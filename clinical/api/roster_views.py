"""Roster API (seed 000 shapes): the nutritionist's patients (list and add), one patient's
summary (and PATCH of the care details/status), their diary day, and the targets the
nutritionist sets. Views parse input and call the same selectors and services as the pages;
whatever the actor may not see answers 404 PATIENT_NOT_FOUND / NOT_FOUND.
"""

from __future__ import annotations

from datetime import date as date_type

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response

from clinical import rules
from clinical.api.base import ClinicalApiView
from clinical.selectors import roster as sel
from config.api import PagePagination, error_responses

TAGS = ["Consulta: pacientes"]


def _iso(value):
    return value.isoformat() if value is not None else None


def row_payload(row: sel.RosterRow) -> dict:
    """One patient of the list (seed 000 ``GET /nutritionist/patients``)."""
    rel = row.relationship
    shared = {scope: bool(row.shared.get(scope)) for scope in ("diary", "measurements", "clinical_record", "documents")}
    base = {
        "id": row.patient.pk,
        "relationship_id": rel.pk,
        "full_name": row.name if row.patient.get_full_name() else "",
        "status": rel.status,
        "assigned_at": _iso(rel.assigned_at),
        "ended_at": _iso(rel.ended_at),
        "last_appointment": None,
        "next_appointment": None,
    }
    if not row.is_open:  # ended care: name and dates only
        return base | {
            "email": None, "photo_url": None, "primary_goal": None, "adherence_rate": None, "adherence": None,
            "current_weight_kg": None, "start_weight_kg": None, "weight_change_kg": None, "target_weight_kg": None,
            "progress_percentage": None, "last_activity_at": None, "alerts": [],
            "shared": {k: False for k in shared},
        }
    return base | {
        "email": row.patient.email,
        "photo_url": row.photo_url,
        "primary_goal": row.goal_code or None,
        "adherence_rate": row.adherence_rate,
        "adherence": (
            {"7d": row.adherence_7, "30d": row.adherence_30} if row.adherence_7 is not None else None
        ),
        "current_weight_kg": row.current_weight_kg,
        "start_weight_kg": row.start_weight_kg,
        "weight_change_kg": row.weight_change_kg,
        "target_weight_kg": row.target_weight_kg,
        "progress_percentage": row.progress_pct,
        "last_activity_at": _iso(row.last_activity_at),
        "alerts": row.alerts,
        "shared": shared,
    }


TAGS = ["Consulta: pacientes"]


class RosterApiView(ClinicalApiView):
    pass


class PatientsView(RosterApiView):
    """GET the roster (``status``, ``q``, ``sort``, ``page``, ``limit``); POST adds a patient
    (``clinical.services.care.patient_add``)."""

    write_scope = "care_invite"  # POST invites someone: its own, stricter limit

    @extend_schema(
        tags=TAGS, operation_id="nutritionist_patients_list", summary="Pacientes de la nutrióloga (roster)",
        parameters=[OpenApiParameter(name, str, required=False) for name in ("status", "q", "sort", "page", "limit")],
        responses={200: dict, **error_responses(400, 401, 404)},
    )
    def get(self, request):
        paginator = PagePagination()
        limit = paginator.get_page_size(request)
        page = paginator.get_page_number(request, None)
        data = sel.roster_page(
            actor=request.user, status=request.query_params.get("status"), q=request.query_params.get("q"),
            sort=request.query_params.get("sort"), page=page, limit=limit,
        )
        return Response(
            {
                "results": [row_payload(r) for r in data.rows],
                "page": data.page,
                "limit": data.limit,
                "total_pages": data.total_pages,
                "total_results": data.total_results,
                "filters": {"status": data.status, "q": data.q, "sort": data.sort},
            }
        )

    @extend_schema(tags=TAGS, summary="Agregar un paciente por correo", request=dict,
                   responses={201: dict, **error_responses(400, 401, 404, 429)})
    def post(self, request):
        from clinical.services.care import patient_add

        if not rules.is_verified_nutritionist(request.user):
            raise rules.ClinicalObjectNotFound()
        data = request.data if isinstance(request.data, dict) else {}
        added = patient_add(actor=request.user, data=dict(data), request=request)
        rel = added.relationship
        patient = rel.patient
        return Response(
            {
                "data": {
                    "patient": {
                        "id": rel.pk,
                        "user_id": patient.pk,
                        "email": patient.email,
                        "full_name": patient.get_full_name(),
                        "nutritionist_id": rel.nutritionist_id,
                        "status": rel.status,
                        "user_created": bool(added.user_created),
                        "welcome_email_sent": bool(added.email_sent),
                        "temporary_password_sent": False,
                    }
                },
                "message": _("Paciente agregado. Le enviamos un correo para que acepte la invitación.")
                if added.user_created
                else _("Paciente agregado."),
            },
            status=201,
        )


def detail_payload(summary: dict) -> dict:
    row = summary["row"]
    basic = summary["basic"]
    shared = summary["shared"]
    day = summary["day"]
    plan = summary["plan"]
    return {
        "patient": {
            "id": summary["patient"].pk,
            "relationship_id": summary["relationship"].pk,
            "status": summary["relationship"].status,
            "assigned_at": _iso(summary["relationship"].assigned_at),
            "basic_info": {
                "full_name": summary["patient"].get_full_name(),
                "email": summary["patient"].email,
                "photo_url": row.photo_url,
                "age": basic["age"],
                "gender": basic["sex_code"] or None,
                "height_cm": basic["height_cm"],
                "primary_goal": basic["goal_code"] or None,
                "target_weight_kg": basic["target_weight_kg"],
                "target_date": _iso(basic["target_date"]),
                "medical_conditions": basic["conditions"],
                "allergies": basic["allergies"],
            },
            "current_metrics": {
                "weight_kg": row.current_weight_kg,
                "start_weight_kg": row.start_weight_kg,
                "weight_change_kg": row.weight_change_kg,
                "bmi": summary["bmi"]["value"] if summary["bmi"] else None,
                "bmi_category": summary["bmi"]["category"] if summary["bmi"] else None,
                "progress_percentage": row.progress_pct,
                "adherence_rate": row.adherence_rate,
                "adherence": {"7d": row.adherence_7, "30d": row.adherence_30} if row.adherence_7 else None,
                "last_activity_at": _iso(row.last_activity_at),
                "alerts": row.alerts,
                "today": (
                    {r["field"]: {"value": r["value"], "goal": r["goal"], "percent": r["percent"]} for r in day.progress}
                    if day is not None else None
                ),
            },
            "progress_history": [{"date": p["date"].isoformat(), "weight_kg": p["weight_kg"]} for p in summary["history"]],
            "active_meal_plan": (
                {"id": plan.pk, "title": plan.title, "start_date": _iso(plan.start_date), "end_date": _iso(plan.end_date),
                 "adherence": summary["plan_adherence"]}
                if plan else None
            ),
            "appointments": [],
            "clinical_notes": [
                {"id": n.pk, "created_at": _iso(n.created_at), "author": n.author.get_full_name()} for n in summary["notes"]
            ],
            "clinical_notes_count": summary["notes_count"],
            "shared": {k: bool(shared.get(k)) for k in ("diary", "measurements", "clinical_record", "documents")},
        }
    }


class PatientDetailView(RosterApiView):
    """GET one patient's summary; PATCH the care details (and ``status``)."""

    @extend_schema(tags=TAGS, summary="Resumen de un paciente", responses={200: dict, **error_responses(401, 404)})
    def get(self, request, patient_id):
        return Response(detail_payload(sel.patient_summary(actor=request.user, patient_id=patient_id, request=request)))

    @extend_schema(tags=TAGS, summary="Editar datos y estado de la atención", request=dict,
                   responses={200: dict, **error_responses(400, 401, 404)})
    def patch(self, request, patient_id):
        access = sel.nutritionist_access(actor=request.user, patient_id=patient_id)
        from clinical.services import care

        if not isinstance(request.data, dict):
            raise ValidationError({"non_field_errors": _("Envía un objeto JSON.")})
        data = dict(request.data)
        status = data.pop("status", None)
        if data:
            care.care_details_update(actor=request.user, patient_id=access.patient.pk, data=data)
        if status is not None:
            care.care_status_set(actor=request.user, relationship_id=access.relationship.pk, status=status)
        if status is not None and status not in ("active", "inactive"):
            return Response({"patient": {"id": access.patient.pk, "status": status}})
        return Response(detail_payload(sel.patient_summary(actor=request.user, patient_id=patient_id, request=request)))


def _date_param(value) -> date_type:
    if value in (None, ""):
        return timezone.localdate()
    try:
        day = date_type.fromisoformat(str(value).strip())
    except ValueError:
        raise ValidationError({"date": _("Fecha no válida; usa el formato AAAA-MM-DD.")})
    if day > timezone.localdate():
        raise ValidationError({"date": _("La fecha no puede ser futura.")})
    if day < date_type(2000, 1, 1):
        raise ValidationError({"date": _("La fecha es demasiado antigua.")})
    return day


def planned_payload(targets) -> dict:
    from nutrition import smae

    planned = targets.meal_equivalents or {}
    return {
        meal: {"equivalents": smae.as_list(groups), "text": smae.as_text(groups)} for meal, groups in planned.items()
    }


class PatientDiaryView(RosterApiView):
    """GET the patient's diary for ``?date=`` (diary consent required)."""

    @extend_schema(tags=TAGS, summary="Diario del paciente (solo lectura)",
                   parameters=[OpenApiParameter("date", str, required=False)], responses={200: dict, **error_responses(400, 401, 404)})
    def get(self, request, patient_id):
        from nutrition.api.payloads import day_payload

        day = _date_param(request.query_params.get("date"))
        access, data = sel.patient_diary_day(actor=request.user, patient_id=patient_id, day=day, request=request)
        payload = day_payload(data)
        for block, meal in zip(data.meals, payload["meals"], strict=True):
            meal["planned"] = block.planned
        return Response({"patient_id": access.patient.pk, "diary": payload})


def targets_payload_full(targets, meal_equivalents: dict) -> dict:
    from nutrition.api.payloads import targets_payload

    return {
        "targets": targets_payload(targets),
        "meal_equivalents": meal_equivalents or {},
        "meal_equivalents_kcal": sel.equivalents_energy(meal_equivalents or {}),
        "planned": planned_payload(targets),
    }


class PatientTargetsView(RosterApiView):
    """GET the targets; PUT sets them (``clinical.services.targets.patient_targets_set``)."""

    @extend_schema(tags=TAGS, summary="Metas del paciente", responses={200: dict, **error_responses(401, 404)})
    def get(self, request, patient_id):
        current = sel.patient_targets_get(actor=request.user, patient_id=patient_id)
        return Response(targets_payload_full(current["targets"], current["meal_equivalents"]))

    @extend_schema(tags=TAGS, summary="Fijar metas y equivalentes por comida", request=dict,
                   responses={200: dict, **error_responses(400, 401, 404)})
    def put(self, request, patient_id):
        from clinical.services.targets import patient_targets_set

        patient_targets_set(actor=request.user, patient_id=patient_id, data=request.data, request=request)
        current = sel.patient_targets_get(actor=request.user, patient_id=patient_id)
        return Response(
            {**targets_payload_full(current["targets"], current["meal_equivalents"]), "message": _("Metas guardadas.")}
        )
