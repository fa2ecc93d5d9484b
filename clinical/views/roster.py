"""Pages of the roster part under /consulta/: the patient list, a patient's summary, their
diary (read-only) and the targets the nutritionist sets.

Views parse input and call ``clinical.selectors.roster`` / ``clinical.services.targets``;
anything the nutritionist may not see is a 404. htmx requests get the partial that changed
(``results`` of the list, ``totals`` of the targets grid); links and forms work without JS.
"""

from __future__ import annotations

from datetime import date as date_type
from datetime import timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from clinical.selectors import roster as sel
from config.http import not_found_is_404
from nutrition.models import Meal
from nutrition.targets import TARGET_FIELDS

PAGE_SIZE = 20




def _is_htmx(request) -> bool:
    return bool(getattr(request, "htmx", False)) and not request.htmx.history_restore_request


def _int(value, default: int = 1) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return number if 1 <= number < 10**6 else default


# ---------------------------------------------------------------------------------------
# roster


def _status_options():
    return [
        ("open", _("En seguimiento")),
        ("active", _("Activos")),
        ("inactive", _("Inactivos")),
        ("graduated", _("Dados de alta")),
        ("dropped", _("Abandonaron")),
        ("all", _("Todos")),
    ]


def _sort_options():
    return [
        ("name", _("Nombre (A–Z)")),
        ("-last_activity", _("Actividad más reciente")),
        ("adherence", _("Adherencia (menor primero)")),
        ("-adherence", _("Adherencia (mayor primero)")),
        ("weight_change", _("Cambio de peso (más bajó primero)")),
        ("-progress", _("Progreso a la meta (mayor primero)")),
    ]


@login_required
@require_GET
@not_found_is_404
def roster(request):
    """The nutritionist's patients; filters and pages are GET links (htmx swaps ``results``)."""
    error = None
    params = {"status": request.GET.get("status"), "q": request.GET.get("q"), "sort": request.GET.get("sort")}
    page = _int(request.GET.get("page"))
    try:
        data = sel.roster_page(actor=request.user, page=page, limit=PAGE_SIZE, **params)
    except ValidationError as exc:
        error = " ".join(m for msgs in exc.message_dict.values() for m in msgs)
        data = sel.roster_page(actor=request.user, page=1, limit=PAGE_SIZE)

    def page_url(number):
        query = {k: v for k, v in (("status", data.status), ("q", data.q), ("sort", data.sort)) if v}
        query["page"] = number
        return f"{reverse('clinical:roster')}?{urlencode(query)}"

    context = {
        "data": data,
        "error": error,
        "status_options": _status_options(),
        "sort_options": _sort_options(),
        "prev_url": page_url(data.page - 1) if data.has_previous else None,
        "next_url": page_url(data.page + 1) if data.has_next else None,
    }
    template = "clinical/roster/list.html"
    if _is_htmx(request):
        template += "#results"
    response = render(request, template, context)
    response["Vary"] = "HX-Request"
    return response


# ---------------------------------------------------------------------------------------
# one patient


def _weight_chart(history: list[dict]) -> dict:
    return {
        "labels": [date_format(p["date"], "j M") for p in history],
        "values": [p["weight_kg"] for p in history],
        "label": _("Peso (kg)"),
    }


@login_required
@require_GET
@not_found_is_404
def patient_detail(request, patient_id: int):
    summary = sel.patient_summary(actor=request.user, patient_id=patient_id, request=request)
    context = {
        **summary,
        "active": "summary",
        "chart": _weight_chart(summary["history"]) if summary["history"] else None,
        "progress": {r["field"]: r for r in summary["day"].progress} if summary["day"] else {},
    }
    return render(request, "clinical/roster/detail.html", context)


def _parse_day(value) -> date_type | None:
    if not value:
        return timezone.localdate()
    try:
        day = date_type.fromisoformat(str(value).strip()[:10])
    except ValueError:
        return None
    return day


@login_required
@require_GET
@not_found_is_404
def patient_diary(request, patient_id: int):
    """The patient's diary for ``?date=`` (today by default; a bad or future date shows today
    with a notice)."""
    today = timezone.localdate()
    day = _parse_day(request.GET.get("date"))
    notice = None
    if day is None or day > today or day < date_type(2000, 1, 1):
        notice = _("Fecha no válida; se muestra el día de hoy.")
        day = today
    access, data = sel.patient_diary_day(actor=request.user, patient_id=patient_id, day=day, request=request)
    context = {
        "patient": access.patient,
        "access": access,
        "active": "diary",
        "data": data,
        "day": day,
        "is_today": day == today,
        "notice": notice,
        "prev_day": day - timedelta(days=1),
        "next_day": day + timedelta(days=1) if day < today else None,
    }
    template = "clinical/roster/diary.html"
    if _is_htmx(request):
        template += "#day"
    return render(request, template, context)


# ---------------------------------------------------------------------------------------
# targets


def _targets_data_from_post(post) -> dict:
    """The form's fields as the service's ``data``: the numeric targets and
    ``meal_equivalents`` from inputs named ``eq-<meal>-<group>``."""
    data = {field: post.get(field, "").strip() for field in TARGET_FIELDS if field in post}
    equivalents: dict = {}
    for key in post:
        if not key.startswith("eq-"):
            continue
        parts = key.split("-", 2)
        if len(parts) != 3:
            continue
        value = post.get(key, "").strip()
        equivalents.setdefault(parts[1], {})[parts[2]] = value
    data["meal_equivalents"] = equivalents
    return data


def _grid(meal_equivalents: dict, errors: dict) -> dict:
    """Rows (SMAE groups) × columns (meals) of the form, common groups first."""
    from nutrition import smae

    groups = list(smae.groups().values())
    rows = []
    for group in groups:
        cells = []
        has_value = False
        for meal, meal_label in Meal.choices:
            value = (meal_equivalents.get(meal) or {}).get(group.code, "")
            if value not in ("", None, 0, "0"):
                has_value = True
            cells.append(
                {
                    "meal": meal,
                    "meal_label": meal_label,
                    "name": f"eq-{meal}-{group.code}",
                    "value": value,
                    "error": errors.get(f"meal_equivalents.{meal}.{group.code}"),
                }
            )
        rows.append({"group": group, "cells": cells, "common": group.code in sel.COMMON_SMAE_GROUPS or has_value})
    return {
        "meals": [{"code": code, "label": label} for code, label in Meal.choices],
        "common": [r for r in rows if r["common"]],
        "more": [r for r in rows if not r["common"]],
    }


@login_required
@require_http_methods(["GET", "POST"])
@not_found_is_404
def patient_targets(request, patient_id: int):
    """GET the form; POST with ``preview`` (htmx on change, or the "Calcular" button) only
    recomputes the kcal of the exchanges; POST otherwise saves through the service."""
    from clinical.services.targets import patient_targets_set

    current = sel.patient_targets_get(actor=request.user, patient_id=patient_id)
    access, targets = current["access"], current["targets"]
    errors: dict = {}
    values = {field: getattr(targets, field) for field in TARGET_FIELDS}
    overridden = set(targets.overridden)
    form_values = {field: (values[field] if field in overridden else "") for field in TARGET_FIELDS}
    meal_equivalents = current["meal_equivalents"]
    status = 200
    if request.method == "POST":
        data = _targets_data_from_post(request.POST)
        form_values.update({f: data.get(f, "") for f in TARGET_FIELDS})
        meal_equivalents = data["meal_equivalents"]
        if "preview" in request.POST:
            energy = sel.equivalents_vs_target(meal_equivalents, data.get("energy_kcal"), fallback=targets.energy_kcal)
            if _is_htmx(request):
                return render(request, "clinical/roster/targets.html#totals", {"energy": energy})
        else:
            try:
                patient_targets_set(actor=request.user, patient_id=patient_id, data=data, request=request)
            except ValidationError as exc:
                errors = {k: " ".join(v) for k, v in exc.message_dict.items()}
                status = 400
            else:
                messages.success(request, _("Metas guardadas. Avisamos a tu paciente."))
                url = reverse("clinical:patient_targets", args=[access.patient.pk])
                if _is_htmx(request):
                    response = HttpResponse(status=204)
                    response["HX-Location"] = url
                    return response
                return redirect(url)
    context = {
        "patient": access.patient,
        "access": access,
        "active": "targets",
        "targets": targets,
        "fields": [
            {"name": f, "label": label, "unit": unit, "value": form_values.get(f, ""), "computed": values[f],
             "error": errors.get(f), "step": 1}
            for f, label, unit in (
                ("energy_kcal", _("Energía"), "kcal"),
                ("protein_g", _("Proteína"), "g"),
                ("fat_g", _("Grasa"), "g"),
                ("carbs_g", _("Carbohidratos"), "g"),
                ("fiber_g", _("Fibra"), "g"),
                ("sodium_mg", _("Sodio"), "mg"),
                ("water_ml", _("Agua"), "ml"),
            )
        ],
        "grid": _grid(meal_equivalents, errors),
        "energy": sel.equivalents_vs_target(meal_equivalents, form_values.get("energy_kcal"), fallback=targets.energy_kcal),
        "errors": errors,
        "general_error": errors.get("meal_equivalents") or errors.get("non_field_errors"),
    }
    return render(request, "clinical/roster/targets.html", context, status=status)


# ---------------------------------------------------------------------------------------
# care details (goal, targets, conditions, insurance, status)

CARE_TEXT_FIELDS = ("primary_goal", "target_weight_kg", "target_date", "conditions", "allergies", "restrictions",
                    "dietary_preference", "insurance_type", "insurance_number")


def _care_initial(rel) -> dict:
    return {
        "primary_goal": rel.primary_goal,
        "target_weight_kg": "" if rel.target_weight_kg is None else str(rel.target_weight_kg),
        "target_date": rel.target_date.isoformat() if rel.target_date else "",
        "conditions": ", ".join(rel.conditions or []),
        "allergies": ", ".join(rel.allergies or []),
        "restrictions": ", ".join(rel.restrictions or []),
        "dietary_preference": rel.dietary_preference,
        "has_insurance": rel.has_insurance,
        "insurance_type": rel.insurance_type,
        "insurance_number": rel.insurance_number,
        "status": rel.status,
    }


@login_required
@require_http_methods(["GET", "POST"])
@not_found_is_404
def patient_care(request, patient_id: int):
    """The nutritionist edits the care details (``care_details_update``) and moves care between
    active and inactive (``care_status_set``); ending it posts to ``clinical:care_end``."""
    from clinical.models import CarePreference, CareRelationship, CareStatus, PrimaryGoal
    from clinical.services import care as care_services

    access = sel.nutritionist_access(actor=request.user, patient_id=patient_id)
    rel = CareRelationship.objects.get(pk=access.relationship.pk)  # with the encrypted fields
    values, errors = _care_initial(rel), {}
    if request.method == "POST":
        data = {field: request.POST.get(field, "") for field in CARE_TEXT_FIELDS}
        data["has_insurance"] = bool(request.POST.get("has_insurance"))
        values = {**data, "status": request.POST.get("status", rel.status)}
        try:
            care_services.care_details_update(actor=request.user, patient_id=access.patient.pk, data=data,
                                              request=request)
            if values["status"] != rel.status:
                care_services.care_status_set(actor=request.user, relationship_id=rel.pk, status=values["status"])
        except ValidationError as exc:
            # A template cannot read "__all__": errors not tied to a field go under "form".
            errors = (
                {("form" if k == "__all__" else k): v[0] for k, v in exc.message_dict.items()}
                if hasattr(exc, "error_dict") else {"form": exc.messages[0]}
            )
        else:
            messages.success(request, _("Guardamos los datos de la atención."))
            return redirect("clinical:patient_detail", patient_id=access.patient.pk)
    return render(request, "clinical/roster/care.html", {
        "patient": access.patient, "access": access, "active": "summary", "relationship": rel,
        "values": values, "errors": errors,
        "goal_choices": PrimaryGoal.choices, "preference_choices": CarePreference.choices,
        "status_choices": [(s, label) for s, label in CareStatus.choices if s in ("active", "inactive")],
    }, status=422 if errors else 200)
