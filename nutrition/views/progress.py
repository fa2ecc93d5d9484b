"""The progress page: streak, calories against the target, macro split, weight trend and
meals for a period (7 days, 30 days, 90 days, 1 year).

The figures come from ``nutrition.selectors.analytics.progress_page_data`` (the API's
analytics share its arithmetic). The period links are htmx requests that swap the ``body``
partial and push the URL; without JavaScript they are ordinary links. The charts read the
JSON this view puts in the page (``progress-data``); every chart also has a text summary and
a table for screen readers and browsers without JavaScript.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from nutrition.selectors import analytics


def _period_links(current: str) -> list[dict]:
    labels = {"7d": _("7 días"), "30d": _("30 días"), "90d": _("90 días"), "1y": _("1 año")}
    return [{"code": code, "label": labels[code], "current": code == current} for code in analytics.PERIODS]


def _chart_payload(data: dict) -> dict:
    """What ``static/js/progress.js`` draws: numbers from the selector, labels in the active
    language."""
    return {
        "period": data["period"],
        "calories": {
            "labels": [date_format(d["date"], "j M") for d in data["days"]],
            "dates": [d["date"].isoformat() for d in data["days"]],
            "values": [d["kcal"] for d in data["days"]],
            "target": data["target_kcal"],
            "label": _("Calorías (kcal)"),
            "target_label": _("Meta diaria"),
        },
        "macros": {
            "labels": [_("Proteína"), _("Grasa"), _("Carbohidratos")],
            "values": [data["macros"]["split"][k] for k in ("protein", "fat", "carbs")],
            "grams": [data["macros"]["grams"][k] for k in ("protein_g", "fat_g", "carbs_g")],
        },
        "weight": {
            "dates": [p["date"].isoformat() for p in data["weight"]["points"]],
            "values": [p["weight_kg"] for p in data["weight"]["points"]],
            "smoothed": [p["smoothed"] for p in data["weight"]["points"]],
            "label": _("Peso (kg)"),
            "smoothed_label": _("Tendencia (media móvil)"),
        },
        "meals": {
            "labels": [str(m["label"]) for m in data["meals"]],
            "values": [m["kcal_per_day"] for m in data["meals"]],
            "label": _("kcal promedio por día"),
        },
    }


@login_required
@require_GET
def progress(request):
    """The page, or only its ``body`` partial for htmx. An unknown period shows the default."""
    try:
        data = analytics.progress_page_data(user=request.user, period=request.GET.get("period"))
    except ValidationError:
        data = analytics.progress_page_data(user=request.user, period=analytics.DEFAULT_PERIOD)
    periods = _period_links(data["period"])
    context = {
        "data": data,
        "chart": _chart_payload(data),
        "periods": periods,
        "period_label": next(p["label"] for p in periods if p["current"]),
    }
    template = "nutrition/progress/page.html"
    if getattr(request, "htmx", False) and not request.htmx.history_restore_request:
        template += "#body"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response
