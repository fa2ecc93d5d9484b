"""Meal photo pages (htmx): take or upload a photo, watch the analysis over the websocket,
correct portions or swap foods, log the meal to the diary in one tap, and the history.

Views parse input and call ``nutrition.services.analysis`` / ``nutrition.selectors.analysis``
(the same functions as the API). Full page normally; the ``{% partialdef %}`` regions when
htmx asks. Every form also works without JavaScript (POST and redirect).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from config.http import not_found_is_404
from nutrition.models import AnalysisStep, Meal
from nutrition.selectors import analysis as selectors
from nutrition.services import analysis as services
from nutrition.views.diary import default_meal

TEMPLATE_NEW = "nutrition/analysis.html"
TEMPLATE_DETAIL = "nutrition/analysis_detail.html"
HISTORY_LIMIT = 20
STEPS = [AnalysisStep.VALIDATING, AnalysisStep.DETECTING, AnalysisStep.MATCHING, AnalysisStep.COMPUTING]


def _htmx(request) -> bool:
    return bool(getattr(request, "htmx", False))


def _errors(exc: ValidationError) -> list[str]:
    return [m for msgs in (exc.message_dict.values() if hasattr(exc, "error_dict") else [exc.messages]) for m in msgs]


def _steps(analysis=None) -> list[dict]:
    current = analysis.current_step if analysis else None
    if analysis is not None and analysis.is_processing and not current:
        current = STEPS[0].value  # queued: the first step is next
    order = [s.value for s in STEPS]
    reached = order.index(current) if current in order else (len(order) if current == AnalysisStep.DONE else -1)
    return [
        {"code": s.value, "label": s.label, "done": i < reached, "current": i == reached}
        for i, s in enumerate(STEPS)
    ]


def _new_context(request, *, errors=None, values=None) -> dict:
    from integrations.ai import ai_enabled

    return {
        "ai_enabled": ai_enabled(),
        "history": list(selectors.analysis_list(user=request.user)[:HISTORY_LIMIT]),
        "meal_choices": Meal.choices,
        # ?meal= from the diary's "Agregar a …" panel preselects that meal.
        "values": values or {"meal": request.GET.get("meal") if request.GET.get("meal") in Meal.values else default_meal()},
        "errors": errors or [],
        "steps": _steps(),
        "food_search_url": reverse("nutrition:diary_add", args=[timezone.localdate().isoformat()]),
    }


@login_required
@require_http_methods(["GET", "POST"])
def analysis_new(request):
    """The photo form and the history of past analyses."""
    if request.method == "GET":
        return render(request, TEMPLATE_NEW, _new_context(request))
    values = {"meal": request.POST.get("meal") or "", "notes": request.POST.get("notes") or ""}
    try:
        analysis = services.analysis_start(
            actor=request.user, image=request.FILES.get("image"), meal_type=values["meal"], notes=values["notes"]
        )
    except services.AnalysisUnavailable:
        return render(request, TEMPLATE_NEW, _new_context(request, values=values), status=503)
    except ValidationError as exc:
        context = _new_context(request, errors=_errors(exc), values=values)
        if _htmx(request):
            return render(request, f"{TEMPLATE_NEW}#photo-form", context, status=422)
        return render(request, TEMPLATE_NEW, context, status=422)
    url = reverse("nutrition:analysis_detail", args=[analysis.pk])
    if _htmx(request):
        response = HttpResponse(status=204)
        response["HX-Location"] = url
        return response
    return redirect(url)


def _detail_context(request, analysis, **extra) -> dict:
    return {
        "analysis": analysis,
        "steps": _steps(analysis),
        "image_url": reverse("nutrition:analysis_image", args=[analysis.pk]) if analysis.image else None,
        "meal_choices": Meal.choices,
        "log_meal": analysis.meal or default_meal(),
        "log_date": timezone.localdate().isoformat(),
        "today": timezone.localdate().isoformat(),
        "food_search_url": reverse("nutrition:diary_add", args=[timezone.localdate().isoformat()]),
        "diary_url": reverse("nutrition:diary_day", args=[analysis.logged_date.isoformat()]) if analysis.logged_date else None,
        **extra,
    }


@login_required
@require_GET
@not_found_is_404
def analysis_detail(request, analysis_id):
    """The analysis: live progress while processing, the foods when done, the failure otherwise.
    ``?region=status`` (htmx polling fallback when the websocket is down) answers the
    status region only."""
    analysis = selectors.analysis_get(user=request.user, analysis_id=analysis_id)
    context = _detail_context(request, analysis)
    if _htmx(request) and request.GET.get("region") == "status":
        response = render(request, f"{TEMPLATE_DETAIL}#status", context)
        if not analysis.is_processing:
            response["HX-Refresh"] = "true"  # the result region appears with the whole page
        return response
    return render(request, TEMPLATE_DETAIL, context)


@login_required
@require_POST
@not_found_is_404
def analysis_item(request, analysis_id, index):
    """Save a corrected portion (grams) or swap the food for an alternative."""
    errors = {}
    try:
        services.analysis_item_update(
            actor=request.user, analysis_id=analysis_id, index=index,
            portion_grams=request.POST.get("portion_grams"), food_id=request.POST.get("food_id"),
        )
    except ValidationError as exc:
        errors[index] = _errors(exc)
    analysis = selectors.analysis_get(user=request.user, analysis_id=analysis_id)
    if _htmx(request):
        return render(request, f"{TEMPLATE_DETAIL}#result", _detail_context(request, analysis, item_errors=errors),
                      status=422 if errors else 200)
    for message in errors.get(index, []):
        messages.error(request, message)
    return redirect(reverse("nutrition:analysis_detail", args=[analysis.pk]) + f"#food-{index}")


@login_required
@require_POST
@not_found_is_404
def analysis_log(request, analysis_id):
    """Log the foods to the diary (once; a second tap shows the same entries)."""
    log_errors = []
    try:
        services.analysis_log(actor=request.user, analysis_id=analysis_id, date=request.POST.get("date"),
                              meal=request.POST.get("meal"))
    except ValidationError as exc:
        log_errors = _errors(exc)
    analysis = selectors.analysis_get(user=request.user, analysis_id=analysis_id)
    if _htmx(request):
        return render(request, f"{TEMPLATE_DETAIL}#result", _detail_context(request, analysis, log_errors=log_errors),
                      status=422 if log_errors else 200)
    if log_errors:
        for message in log_errors:
            messages.error(request, message)
    else:
        messages.success(request, _("Listo: tu comida quedó en el diario."))
    return redirect("nutrition:analysis_detail", analysis_id=analysis.pk)


@require_GET
def analysis_image(request, analysis_id):
    """The photo, to its owner (session) or to whoever holds a fresh signed link (the app)."""
    try:
        analysis = selectors.analysis_for_image(user=request.user, analysis_id=analysis_id, token=request.GET.get("t"))
    except ObjectDoesNotExist as exc:
        raise Http404() from exc
    if not analysis.image:
        raise Http404()
    response = FileResponse(analysis.image.open("rb"))
    response["Cache-Control"] = "private, max-age=300"
    response["X-Content-Type-Options"] = "nosniff"
    return response
