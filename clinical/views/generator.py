"""Meal-plan generator pages (htmx): the form (days, targets prefilled from the patient,
allergies, restrictions, budget, preferences) and the result (days × meals, day totals
against the targets in green when within tolerance, the shopping list with estimated costs,
links to the plan editor, the PDF and, for a person's own plan, "Usar este plan").

Views parse input and call ``clinical.services.plan_generator`` (the API calls the same).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseLocation

from clinical import rules
from clinical.generator import catalog, prices
from clinical.selectors import care as care_selectors
from clinical.selectors import plans as plan_selectors
from clinical.services import plan_generator as services

TEMPLATE_FORM = "clinical/generator.html"
TEMPLATE_RESULT = "clinical/generator_result.html"
TARGET_FIELDS = ("energy_kcal", "protein_g", "fat_g", "carbs_g")


def _htmx(request) -> bool:
    return bool(getattr(request, "htmx", False))


def _form_context(request, *, form: dict, errors: dict) -> dict:
    """The form's choices and prefilled values; refusal text for a person with a nutritionist."""
    nutritionist = rules.is_verified_nutritionist(request.user)
    patients = care_selectors.patients_in_care(nutritionist=request.user) if nutritionist else []
    blocked = ""
    patient = None
    if nutritionist:
        pid = form.get("patient_id") or ""
        patient = next((p for p in patients if str(p.pk) == str(pid)), None)
    else:
        try:
            patient, _author = services.generation_subject(actor=request.user)
        except PermissionDenied as exc:
            blocked = str(exc)
    targets = services.base_targets(patient)
    defaults = services.profile_defaults(patient) if patient is not None else {"allergies": [], "restrictions": []}
    submitted = request.method == "POST"
    return {
        "is_nutritionist": nutritionist,
        "patients": patients,
        "patient": patient,
        "blocked": blocked,
        "form": form,
        "errors": errors,
        "targets": {k: (form.get(k) if submitted else "") or targets[k] for k in TARGET_FIELDS},
        "allergy_choices": [(code, str(label), code in (form.get("allergies") if submitted else defaults["allergies"]))
                            for code, label in catalog.ALLERGIES.items()],
        "restriction_choices": [(code, str(label),
                                 code in (form.get("restrictions") if submitted else defaults["restrictions"]))
                                for code, label in catalog.RESTRICTIONS.items()],
        "budgets": [(code, str(prices.BUDGET_LABELS[code]), cap) for code, cap in prices.BUDGET_CAPS.items()],
        "budget": form.get("budget") or "medio",
        "days": form.get("days") or services.DEFAULT_DAYS,
    }


@login_required
@require_http_methods(["GET", "POST"])
def generator_page(request):
    """"Generar plan": the form; a POST generates the plan and goes to its result page.
    With htmx, changing the patient refreshes only the targets and allergies (partial
    ``prefill``)."""
    errors: dict = {}
    form: dict = {}
    if request.method == "POST":
        form = request.POST.dict()
        form["allergies"] = request.POST.getlist("allergies")
        form["restrictions"] = request.POST.getlist("restrictions")
        try:
            result = services.meal_plan_generate(
                actor=request.user, patient_id=form.get("patient_id") or None, days=form.get("days"),
                targets={k: form.get(k) for k in TARGET_FIELDS}, allergies=form["allergies"],
                restrictions=form["restrictions"], budget=form.get("budget") or "medio",
                preferences=form.get("preferences", ""), request=request,
            )
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"general": exc.messages}
        except rules.PatientNotFound:
            errors = {"patient_id": [_("Elige a uno de tus pacientes.")]}
        except PermissionDenied as exc:
            errors = {"general": [str(exc)]}
        else:
            messages.success(request, _("Plan generado en %(s)s s. Revísalo antes de usarlo.") % {
                "s": f"{result.seconds:.1f}"})
            url = reverse("clinical:generator_result", args=[result.plan.pk])
            return HttpResponseLocation(url) if _htmx(request) else redirect(url)
    else:
        form = {"patient_id": request.GET.get("patient_id", "")}
    context = _form_context(request, form=form, errors=errors)
    status = 422 if errors else 200
    if _htmx(request) and request.method == "GET" and request.GET.get("prefill"):
        return render(request, f"{TEMPLATE_FORM}#prefill", context)
    if _htmx(request) and request.method == "POST":
        return render(request, f"{TEMPLATE_FORM}#generator-form", context, status=status)
    return render(request, TEMPLATE_FORM, context, status=status)


def _generated_or_404(request, plan_id):
    try:
        return services.generated_plan_get(user=request.user, plan_id=plan_id)
    except plan_selectors.PlanNotFound:
        raise Http404


@login_required
@require_GET
def generator_result(request, plan_id):
    """The generated plan: one day at a time (``?day=N``; htmx gets the ``day`` partial),
    targets, what was relaxed, tips and the shopping list."""
    plan = _generated_or_404(request, plan_id)
    summary = services.generated_plan_summary(plan)
    try:
        number = int(request.GET.get("day") or 1)
    except ValueError:
        number = 1
    days = summary["days"]
    current = next((d for d in days if d.number == number), days[0] if days else None)
    context = {
        **summary,
        "current": current,
        "is_nutritionist": rules.is_verified_nutritionist(request.user),
        "is_own": plan.patient_id == request.user.pk,
        "can_edit": rules.is_verified_nutritionist(request.user) and plan.author_id == request.user.pk,
    }
    if _htmx(request) and request.GET.get("day"):
        return render(request, f"{TEMPLATE_RESULT}#day", context)
    return render(request, TEMPLATE_RESULT, context)


@login_required
@require_GET
def generator_pdf(request, plan_id):
    """The plan with its tips and shopping list as a PDF."""
    from clinical.generator.shopping import plan_shopping
    from clinical.pdf import plan_pdf_bytes

    plan = _generated_or_404(request, plan_id)
    response = HttpResponse(plan_pdf_bytes(plan, shopping=plan_shopping(plan)), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="plan-{plan.pk}-compras.pdf"'
    return response


@login_required
@require_POST
def generator_adopt(request, plan_id):
    """A person adopts the plan they generated: it becomes "Mi plan" from the chosen date."""
    try:
        services.generated_plan_adopt(actor=request.user, plan_id=plan_id, start_date=request.POST.get("start_date"))
    except plan_selectors.PlanNotFound:
        raise Http404
    except (ValidationError, PermissionDenied) as exc:
        text = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        messages.error(request, text)
        url = reverse("clinical:generator_result", args=[plan_id])
    else:
        messages.success(request, _("Listo: este es ahora tu plan de alimentación."))
        url = reverse("clinical:today_plan")
    return HttpResponseLocation(url) if _htmx(request) else redirect(url)
