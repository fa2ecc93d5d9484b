"""Meal plan pages (htmx): the nutritionist's plans and templates, the builder (days × five
meal slots with live totals against the plan's targets), a patient's plans, the PDF; and the
patient's "Mi plan" with one-tap logging of planned items.

Views parse input and call ``clinical.services.plans`` / ``clinical.selectors.plans`` (the API
calls the same functions). Full page normally; just the changed ``{% partialdef %}`` region
when htmx asks. Every form also works without JavaScript (post, then redirect back).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from clinical import rules
from clinical.models import AccessAction, PlanStatus
from clinical.selectors import care as care_selectors
from clinical.selectors import plans as selectors
from clinical.selectors.adherence import adherence_bulk
from clinical.services import plans as services
from nutrition.models import Meal
from nutrition.reference import SMAE_GROUPS

TEMPLATE_LIST = "clinical/plans/list.html"
TEMPLATE_BUILDER = "clinical/plans/builder.html"
TEMPLATE_PATIENT = "clinical/plans/patient_plans.html"
TEMPLATE_TODAY = "clinical/plans/today.html"
TEMPLATE_HOME = "clinical/plans/home_today.html"
SEARCH_LIMIT = 8


def _htmx(request) -> bool:
    return bool(getattr(request, "htmx", False))


def _errors(exc: ValidationError) -> dict[str, list[str]]:
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"general": exc.messages}
    if "__all__" in errors:
        errors["general"] = errors.pop("__all__")
    return errors


def _nutritionist(request) -> None:
    if not rules.is_verified_nutritionist(request.user):
        raise Http404


def _plan_or_404(request, plan_id):
    _nutritionist(request)
    try:
        return selectors.plan_get(user=request.user, plan_id=plan_id)
    except selectors.PlanNotFound:
        raise Http404


def _smae_choices() -> list[tuple[str, str]]:
    from nutrition.models import is_spanish

    return [(row[0], row[1] if is_spanish() else row[2]) for row in SMAE_GROUPS if row[0] != "libres"]


def _back(request, fallback: str):
    url = request.POST.get("next") or ""
    return redirect(url if url.startswith("/") and not url.startswith("//") else fallback)


# ---------------------------------------------------------------------------------------
# my plans


@login_required
@require_http_methods(["GET", "POST"])
def plans_page(request):
    """"Planes": my drafts, assigned and archived plans, my templates; create a plan."""
    _nutritionist(request)
    form, errors = {}, {}
    if request.method == "POST":
        form = request.POST.dict()
        try:
            plan = services.plan_create(
                actor=request.user, title=form.get("title", ""), days=form.get("days", "7"),
                patient_id=form.get("patient_id") or None, description=form.get("description", ""),
                targets={k: form.get(k, "") for k in ("energy_kcal", "protein_g", "fat_g", "carbs_g")},
                is_template=form.get("is_template") == "1",
            )
        except ValidationError as exc:
            errors = _errors(exc)
        except rules.PatientNotFound:
            errors = {"patient_id": [_("Elige a uno de tus pacientes.")]}
        else:
            messages.success(request, _("Plan creado. Agrega los alimentos de cada comida."))
            return redirect("clinical:plan_builder", plan_id=plan.pk)
    plans = list(selectors.plan_list(user=request.user))
    context = {
        "plans": [p for p in plans if not p.is_template],
        "templates": [p for p in plans if p.is_template],
        "patients": care_selectors.patients_in_care(nutritionist=request.user),
        "form": form,
        "errors": errors,
    }
    return render(request, TEMPLATE_LIST, context, status=422 if errors else 200)


# ---------------------------------------------------------------------------------------
# builder


def _search(request, query: str) -> list[dict]:
    """Options of the food picker: each food in grams and in each household portion, then
    matching recipes in servings."""
    from nutrition.selectors.foods import food_search
    from nutrition.selectors.recipes import recipe_list

    query = (query or "").strip()[:100]
    if not query:
        return []
    options = []
    for food in food_search(user=request.user, q=query, limit=SEARCH_LIMIT).results:
        portions = [{"value": f"p:{food.pk}:{p.pk}", "label": p.label} for p in food.portions.all()[:4]]
        options.append({"name": food.name, "value": f"f:{food.pk}", "unit_label": _("gramos"), "portions": portions})
    for recipe in recipe_list(user=request.user, search=query)[:4]:
        if recipe.food_id:
            options.append({"name": recipe.display_title, "value": f"r:{recipe.pk}",
                            "unit_label": _("porciones de receta"), "portions": [], "recipe": True})
    return options


def _pick_parse(value: str) -> dict:
    """The picker's choice as service arguments (garbage leaves the food empty: "Elige...")."""
    parts = str(value or "").split(":")
    if parts[0] == "f" and len(parts) == 2:
        return {"kind": "food", "food_id": parts[1], "unit": "g"}
    if parts[0] == "p" and len(parts) == 3:
        return {"kind": "food", "food_id": parts[1], "unit": "portion", "portion_id": parts[2]}
    if parts[0] == "r" and len(parts) == 2:
        return {"kind": "recipe", "recipe_id": parts[1]}
    return {"kind": "food", "food_id": None}


def _day_param(value, count: int) -> int:
    number = rules.id_parse(value) or 1
    return min(max(number, 1), max(count, 1))


def _builder_context(request, plan, day_number: int, **extra) -> dict:
    days = selectors.plan_days(plan)
    current = next((d for d in days if d.number == day_number), days[0] if days else None)
    context = {
        "plan": plan,
        "days": days,
        "current": current,
        "totals": current.totals if current else None,
        "smae_choices": _smae_choices(),
        "patients": care_selectors.patients_in_care(nutritionist=request.user) if plan.status == PlanStatus.DRAFT else [],
        "editable": plan.status != PlanStatus.ARCHIVED,
        "today": timezone.localdate().isoformat(),
        "search_meal": request.GET.get("meal", ""),
        "search_q": request.GET.get("q", ""),
        "search_results": _search(request, request.GET.get("q", "")) if request.GET.get("meal") else [],
        "errors": {},
        "error_meal": "",
    }
    context.update(extra)
    return context


@login_required
@require_GET
def plan_builder(request, plan_id):
    plan = _plan_or_404(request, plan_id)
    number = _day_param(request.GET.get("day"), plan.days.count())
    context = _builder_context(request, plan, number)
    if _htmx(request) and request.headers.get("HX-Target") == "plan-day":
        return render(request, f"{TEMPLATE_BUILDER}#day", context)
    return render(request, TEMPLATE_BUILDER, context)


@login_required
@require_GET
def plan_food_search(request, plan_id):
    """Picker options for one slot (htmx); without JS the builder page shows them."""
    plan = _plan_or_404(request, plan_id)
    meal = request.GET.get("meal", "")
    context = {"plan": plan, "options": _search(request, request.GET.get("q", "")), "meal": meal,
               "query": request.GET.get("q", "")}
    return render(request, f"{TEMPLATE_BUILDER}#search-results", context)


def _slot_response(request, plan, day_number: int, meal: str, *, errors=None, form=None, status: int = 200):
    """The re-rendered slot plus the day totals out of band (htmx), or back to the builder."""
    if not _htmx(request):
        if errors:
            for messages_ in errors.values():
                for message in messages_:
                    messages.error(request, message)
        return redirect(f"{reverse('clinical:plan_builder', args=[plan.pk])}?day={day_number}#slot-{meal}")
    slot = selectors.plan_slot(plan, day_number, meal)
    context = {
        "plan": plan, "slot": slot, "day_number": day_number, "totals": selectors.plan_day_totals(plan, day_number),
        "smae_choices": _smae_choices(), "editable": True, "errors": errors or {}, "error_meal": meal if errors else "",
        "form": form or {},
    }
    return render(request, f"{TEMPLATE_BUILDER}#slot-update", context, status=status)


@login_required
@require_POST
def plan_item_add(request, plan_id):
    plan = _plan_or_404(request, plan_id)
    post = request.POST
    meal = post.get("meal", "")
    if meal not in Meal.values:
        raise Http404
    day_number = _day_param(post.get("day"), plan.days.count())
    if post.get("kind") == "smae":
        args = {"kind": "smae", "smae_group": post.get("smae_group", "")}
    else:
        args = _pick_parse(post.get("pick", ""))
    try:
        services.plan_item_add(actor=request.user, plan_id=plan.pk, day_number=post.get("day"), meal=meal,
                               quantity=post.get("quantity", ""), note=post.get("note", ""), **args)
    except ValidationError as exc:
        return _slot_response(request, plan, day_number, meal, errors=_errors(exc), form=post.dict(), status=422)
    return _slot_response(request, plan, day_number, meal)


@login_required
@require_POST
def plan_item_edit(request, plan_id, item_id):
    plan = _plan_or_404(request, plan_id)
    try:
        item = selectors.item_get(user=request.user, plan=plan, item_id=item_id)
    except selectors.PlanItemNotFound:
        raise Http404
    try:
        services.plan_item_update(actor=request.user, plan_id=plan.pk, item_id=item.pk,
                                  quantity=request.POST.get("quantity"), note=request.POST.get("note"))
    except ValidationError as exc:
        return _slot_response(request, plan, item.day.number, item.meal, errors=_errors(exc), status=422)
    return _slot_response(request, plan, item.day.number, item.meal)


@login_required
@require_POST
def plan_item_remove(request, plan_id, item_id):
    plan = _plan_or_404(request, plan_id)
    try:
        item = services.plan_item_remove(actor=request.user, plan_id=plan.pk, item_id=item_id)
    except selectors.PlanItemNotFound:
        raise Http404
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("clinical:plan_builder", plan_id=plan.pk)
    return _slot_response(request, plan, item.day.number, item.meal)


def _plan_action(request, plan, func, success: str, /, **kwargs):
    """Run a plan-level service (``kwargs`` may include the service's own ``request``); messages;
    back to the builder (HX-Location for htmx)."""
    day = request.POST.get("day") or request.POST.get("to_day") or "1"
    target = f"{reverse('clinical:plan_builder', args=[plan.pk])}?day={rules.id_parse(day) or 1}"
    try:
        result = func(actor=request.user, plan_id=plan.pk, **kwargs)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        result = None
    except rules.PatientNotFound:
        messages.error(request, _("Elige a uno de tus pacientes."))
        result = None
    else:
        messages.success(request, success)
    if result is not None and hasattr(result, "days") and result.pk != plan.pk:
        target = reverse("clinical:plan_builder", args=[result.pk])
    if _htmx(request):
        response = HttpResponse(status=204)
        response["HX-Location"] = target
        return response
    return redirect(target)


@login_required
@require_POST
def plan_edit(request, plan_id):
    plan = _plan_or_404(request, plan_id)
    data = {k: request.POST[k] for k in ("title", "description", "days", "energy_kcal", "protein_g", "fat_g",
                                          "carbs_g") if k in request.POST}
    return _plan_action(request, plan, services.plan_update, _("Plan guardado."), data=data)


@login_required
@require_POST
def plan_day_copy(request, plan_id):
    plan = _plan_or_404(request, plan_id)
    return _plan_action(request, plan, services.plan_day_copy, _("Día copiado."),
                        from_day=request.POST.get("from_day"), to_day=request.POST.get("to_day"))


@login_required
@require_POST
def plan_day_clear(request, plan_id):
    plan = _plan_or_404(request, plan_id)
    return _plan_action(request, plan, services.plan_day_clear, _("Día vaciado."), day_number=request.POST.get("day"))


@login_required
@require_POST
def plan_clone(request, plan_id):
    plan = _plan_or_404(request, plan_id)
    as_template = request.POST.get("as_template") == "1"
    message = _("Guardado como plantilla.") if as_template else _("Plan copiado; estás editando la copia.")
    return _plan_action(request, plan, services.plan_clone, message, as_template=as_template,
                        patient_id=request.POST.get("patient_id") or None)


@login_required
@require_POST
def plan_assign(request, plan_id):
    plan = _plan_or_404(request, plan_id)
    return _plan_action(request, plan, services.plan_assign, _("Plan asignado; avisamos a tu paciente."),
                        patient_id=request.POST.get("patient_id") or None,
                        start_date=request.POST.get("start_date"), end_date=request.POST.get("end_date") or None,
                        request=request)


@login_required
@require_POST
def plan_archive(request, plan_id):
    plan = _plan_or_404(request, plan_id)
    return _plan_action(request, plan, services.plan_archive, _("Plan archivado."))


@login_required
@require_POST
def plan_delete(request, plan_id):
    plan = _plan_or_404(request, plan_id)
    try:
        services.plan_delete(actor=request.user, plan_id=plan.pk)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("clinical:plan_builder", plan_id=plan.pk)
    messages.success(request, _("Borrador eliminado."))
    if _htmx(request):
        response = HttpResponse(status=204)
        response["HX-Location"] = reverse("clinical:plans")
        return response
    return redirect("clinical:plans")


# ---------------------------------------------------------------------------------------
# a patient's plans (nutritionist)


@login_required
@require_GET
def patient_plans(request, patient_id):
    _nutritionist(request)
    try:
        access = rules.patient_access(actor=request.user, patient_id=patient_id)
    except rules.PatientNotFound:
        raise Http404
    if access.is_self:
        raise Http404
    patient = access.patient
    plans = list(selectors.plan_list(user=request.user, templates=False, patient_id=patient.pk))
    rules.access_log(patient=patient, actor=request.user, action=AccessAction.VIEW, resource="plan", request=request)
    context = {
        "patient": patient, "access": access, "active": "plans", "plans": plans,
        "templates": list(selectors.plan_list(user=request.user, templates=True)),
        "adherence": adherence_bulk(patient_ids=[patient.pk], today=timezone.localdate())[patient.pk],
    }
    return render(request, TEMPLATE_PATIENT, context)


# ---------------------------------------------------------------------------------------
# PDF


@login_required
@require_GET
def plan_pdf(request, plan_id):
    from clinical.pdf import plan_pdf_bytes

    try:
        plan = selectors.plan_get_readable(user=request.user, plan_id=plan_id)
    except selectors.PlanNotFound:
        raise Http404
    if plan.patient_id and plan.patient_id != request.user.pk:
        rules.access_log(patient=plan.patient, actor=request.user, action=AccessAction.DOWNLOAD, resource="plan",
                         object_id=plan.pk, request=request)
    response = HttpResponse(plan_pdf_bytes(plan), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="plan-{plan.pk}.pdf"'
    return response


# ---------------------------------------------------------------------------------------
# the patient's plan


def today_context(request, day=None) -> dict | None:
    """Context of "Tu plan de hoy" (home section and Mi plan), or None without a plan today."""
    day = day or timezone.localdate()
    today = selectors.plan_today(user=request.user, day=day)
    if today is None:
        return None
    return {"today_plan": today, "next": request.get_full_path()}


@login_required
@require_GET
def today_plan(request):
    """"Mi plan": the whole active plan with dates, instructions, adherence and the PDF."""
    day = timezone.localdate()
    plan = selectors.plan_active(user=request.user, day=day)
    if plan is None:
        plan = selectors.plans_assigned(user=request.user).filter(status=PlanStatus.ACTIVE).first()
    days = selectors.plan_days(plan) if plan else []
    if plan and plan.start_date and days:
        from datetime import timedelta

        from clinical.selectors.adherence import plan_day_number

        for offset in range(14 if len(days) > 1 else 1):
            date = max(day, plan.start_date) + timedelta(days=offset)
            if plan.end_date and date > plan.end_date:
                break
            number = plan_day_number(plan.start_date, date, len(days))
            target = days[number - 1] if number else None
            if target is not None and target.date is None:
                target.date = date
    context = {
        "plan": plan, "days": days, "today": today_context(request, day),
        "adherence": adherence_bulk(patient_ids=[request.user.pk], today=day)[request.user.pk],
        "archived": list(selectors.plans_assigned(user=request.user).filter(status=PlanStatus.ARCHIVED)[:10]),
    }
    return render(request, TEMPLATE_TODAY, context)


def _today_response(request):
    if _htmx(request):
        return render(request, f"{TEMPLATE_HOME}#today", today_context(request) or {"today_plan": None})
    return _back(request, reverse("clinical:today_plan"))


@login_required
@require_POST
def my_plan_item_log(request, item_id):
    try:
        log, created = services.plan_item_log(actor=request.user, item_id=item_id)
    except ObjectDoesNotExist:
        raise Http404
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if created:
            messages.success(request, _("Registrado en tu diario."))
    return _today_response(request)


@login_required
@require_POST
def my_plan_item_unlog(request, item_id):
    try:
        services.plan_item_unlog(actor=request.user, item_id=item_id)
    except ObjectDoesNotExist:
        raise Http404
    messages.success(request, _("Quitamos el registro de tu diario."))
    return _today_response(request)


@login_required
@require_POST
def my_plan_meal_log(request, meal):
    try:
        services.plan_meal_log(actor=request.user, meal=meal)
    except ObjectDoesNotExist:
        raise Http404
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("¡Bien! Registramos lo planeado."))
    return _today_response(request)
