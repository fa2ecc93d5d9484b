"""Workout pages under /entrenamiento/ (htmx): my plans, the form that generates one, the
plan's week (sessions with exercises, sets × reps and estimated kcal, rest days), "Marcar
como hecha" (logs the session in the diary's exercise log) and deleting a plan.

Views parse input and call ``fitness.services`` / ``fitness.selectors``, the same functions
the API calls. Full pages normally; when htmx asks, only the ``{% partialdef %}`` region that
changed. Every form also works without JavaScript.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from config.http import not_found_is_404
from fitness import selectors as sel
from fitness import services
from fitness.forms import WorkoutPlanForm
from fitness.generator import MAX_DAYS
from nutrition.forms import add_service_errors

TEMPLATE_LIST = "fitness/plan_list.html"
TEMPLATE_FORM = "fitness/plan_form.html"
TEMPLATE_DETAIL = "fitness/plan_detail.html"


def _htmx(request) -> bool:
    return bool(getattr(request, "htmx", False))


def _diary_url(day) -> str:
    return reverse("nutrition:diary_day", args=[day.isoformat()])


@login_required
@require_GET
def plan_list_page(request):
    plans = list(sel.workout_plan_list(user=request.user))
    return render(request, TEMPLATE_LIST, {"plans": plans})


@login_required
@require_http_methods(["GET", "POST"])
def plan_new_page(request):
    if request.method == "POST":
        try:
            plan = services.workout_plan_generate(
                actor=request.user, goal=request.POST.get("goal"), level=request.POST.get("level"),
                weekdays=request.POST.getlist("weekdays"), equipment=request.POST.getlist("equipment"),
                session_minutes=request.POST.get("session_minutes", ""),
            )
        except ValidationError as exc:
            form = WorkoutPlanForm(request.POST)
            form.full_clean()
            add_service_errors(form, exc)
            return render(request, TEMPLATE_FORM, {"form": form, "max_days": MAX_DAYS}, status=422)
        messages.success(request, _("Listo: tu plan «%(title)s» está activo.") % {"title": plan.title})
        url = reverse("fitness:plan_detail", args=[plan.pk])
        if _htmx(request):
            response = HttpResponse(status=204)
            response["HX-Location"] = url
            return response
        return redirect(url)
    initial = {"goal": _goal_from_profile(request.user), "level": "principiante", "weekdays": [0, 2, 4],
               "session_minutes": 45}
    return render(request, TEMPLATE_FORM, {"form": WorkoutPlanForm(initial=initial), "max_days": MAX_DAYS})


def _goal_from_profile(user) -> str:
    """A first guess from the nutrition goal in the profile."""
    goal = getattr(getattr(user, "profile", None), "goal", "")
    return {"weight_loss": "perder_grasa", "muscle_gain": "ganar_musculo"}.get(goal, "salud_general")


def _detail_context(request, plan, **extra) -> dict:
    from fitness.models import Equipment

    week = sel.plan_week(plan, user=request.user)
    labels = dict(Equipment.choices)
    equipment = [str(labels.get(code, code)) for code in plan.equipment]
    return {"plan": plan, "week": week, "today": timezone.localdate(), "equipment_labels": equipment, **extra}


@login_required
@require_GET
@not_found_is_404
def plan_detail_page(request, plan_id):
    plan = sel.workout_plan_get(user=request.user, plan_id=plan_id)
    return render(request, TEMPLATE_DETAIL, _detail_context(request, plan))


@login_required
@require_POST
@not_found_is_404
def plan_delete_page(request, plan_id):
    plan = sel.workout_plan_get(user=request.user, plan_id=plan_id)
    services.workout_plan_delete(actor=request.user, plan_id=plan.pk)
    messages.success(request, _("Eliminaste el plan «%(title)s». Lo que ya registraste sigue en tu diario.")
                     % {"title": plan.title})
    url = reverse("fitness:plans")
    if _htmx(request):
        response = HttpResponse(status=204)
        response["HX-Location"] = url
        return response
    return redirect(url)


@login_required
@require_POST
@not_found_is_404
def session_log_page(request, plan_id, session_id):
    plan = sel.workout_plan_get(user=request.user, plan_id=plan_id)
    session = sel.workout_session_of(plan, session_id)
    form = {"date": request.POST.get("date", ""), "minutes": request.POST.get("minutes", ""),
            "rpe": request.POST.get("rpe", "")}
    try:
        log = services.workout_session_log(actor=request.user, plan_id=plan.pk, session_id=session.pk,
                                           date=form["date"] or None, minutes=form["minutes"] or None,
                                           rpe=form["rpe"] or None)
    except ValidationError as exc:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"general": exc.messages}
        if "__all__" in errors:
            errors["general"] = errors.pop("__all__")
        if _htmx(request):
            return _session_region(request, plan, session.pk, status=422, log_errors={session.pk: errors},
                                   log_form={session.pk: form})
        messages.error(request, " ".join(m for msgs in errors.values() for m in msgs))
        return redirect("fitness:plan_detail", plan_id=plan.pk)
    kcal = log.exercise_log.energy_kcal if log.exercise_log else 0
    if log.created:
        text = _("Sesión registrada en tu diario: %(kcal)s kcal.") % {"kcal": f"{kcal:.0f}"}
    else:
        text = _("Actualizaste la sesión de ese día: %(kcal)s kcal (no se duplicó).") % {"kcal": f"{kcal:.0f}"}
    if _htmx(request):
        return _session_region(request, plan, session.pk, just_logged={session.pk: (log, text)})
    messages.success(request, text)
    return redirect(reverse("fitness:plan_detail", args=[plan.pk]) + f"#sesion-{session.pk}")


def _session_region(request, plan, session_id, status: int = 200, **extra):
    """The "Marcar como hecha" region of one session, re-read after the change."""
    plan = sel.workout_plan_get(user=request.user, plan_id=plan.pk)
    context = _detail_context(request, plan, **extra)
    day = next((d for d in context["week"]["days"] if d.session and d.session.pk == session_id), None)
    if day is None:
        raise Http404
    context["day"] = day
    return render(request, f"{TEMPLATE_DETAIL}#session-log", context, status=status)
