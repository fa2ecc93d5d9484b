"""The NOM-051 label scanner page: take or upload a photo, check and correct what was read,
see the seals recomputed on every edit, then save the product as a custom food.

Every step calls ``nutrition.services.labels`` (the same functions as the API). Without
JavaScript each step is a plain form post that returns the whole page; with htmx the edit
form refreshes only the ``result`` region.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from nutrition.labels.parse import FIELDS
from nutrition.services import labels as label_services

TEMPLATE = "nutrition/labels.html"
EDITABLE = tuple(f for f in FIELDS if f != "cholesterol_mg")


class LabelForm(forms.Form):
    """The values the user confirms: per 100 g/ml, the portion and what the product contains."""

    name = forms.CharField(label=gettext_lazy("Nombre del producto"), max_length=200, required=False)
    brand = forms.CharField(label=gettext_lazy("Marca"), max_length=120, required=False)
    physical_state = forms.ChoiceField(
        label=gettext_lazy("Tipo"),
        choices=[("solid", gettext_lazy("Sólido (por 100 g)")), ("liquid", gettext_lazy("Líquido (por 100 ml)"))],
    )
    serving_size = forms.CharField(label=gettext_lazy("Tamaño de la porción (g o ml)"), required=False)
    servings_per_container = forms.CharField(label=gettext_lazy("Porciones por envase"), required=False)
    adds_sugar = forms.BooleanField(label=gettext_lazy("Tiene azúcares añadidos"), required=False)
    adds_fat = forms.BooleanField(label=gettext_lazy("Tiene grasa añadida"), required=False)
    adds_sodium = forms.BooleanField(label=gettext_lazy("Tiene sal o sodio añadido"), required=False)
    has_sweeteners = forms.BooleanField(label=gettext_lazy("Contiene edulcorantes"), required=False)
    has_caffeine = forms.BooleanField(label=gettext_lazy("Contiene cafeína añadida"), required=False)
    ingredients = forms.CharField(label=gettext_lazy("Ingredientes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    printed_seals = forms.CharField(required=False, widget=forms.HiddenInput)
    printed_legends = forms.CharField(required=False, widget=forms.HiddenInput)
    printed_checked = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        labels = label_services.field_labels()
        for name in EDITABLE:
            unit = "kJ" if name == "energy_kj" else ("kcal" if name == "energy_kcal" else ("mg" if name.endswith("_mg") else "g"))
            label = labels[name] if name.startswith("energy") else f"{labels[name]} ({unit})"
            self.fields[name] = forms.CharField(
                label=label, required=False,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
            )

    def nutrient_fields(self):
        return [self[name] for name in EDITABLE]

    def flag_fields(self):
        return [self[name] for name in label_services.FLAG_NAMES]

    def service_values(self) -> dict:
        """Form data as the service expects it; unchecked boxes are an explicit "no"."""
        data = {name: self.cleaned_data.get(name) for name in self.fields}
        for name in label_services.FLAG_NAMES:
            data[name] = bool(self.cleaned_data.get(name))
        return data

    @classmethod
    def initial_from(cls, result: dict) -> dict:
        per_100 = result["nutrition_per_100"]
        initial = {
            "name": result["product_name"], "brand": result["brand"], "physical_state": result["physical_state"],
            "serving_size": _plain(result["serving_size_value"]),
            "servings_per_container": _plain(result["servings_per_container"]),
            "ingredients": result.get("ingredients_list", ""),
            "printed_seals": "|".join(result["printed_seals"]),
            "printed_legends": "|".join(result["printed_legends"]),
            "printed_checked": "1" if result.get("printed_checked") else "",
            **result["flags"],
        }
        for name in EDITABLE:
            initial[name] = _plain(per_100.get(label_services.API_KEYS[name]))
        return initial


def _plain(value) -> str:
    if value is None:
        return ""
    return f"{value:g}" if isinstance(value, float | int) else str(value)


def _review(result: dict | None) -> dict:
    """Per editable field, what the page says about it: review needed and what each reader saw."""
    if not result or "fields" not in result:
        return {}
    out = {}
    for key, entry in result["fields"].items():
        column, _sep, name = key.partition(".")
        if column != "per_100" or name not in EDITABLE:
            continue
        out[name] = {
            "review": key in result.get("needs_review", []),
            "flags": entry.get("flags", []),
            "ocr": entry.get("ocr"),
            "vision": entry.get("vision"),
            "confidence": round((entry.get("confidence") or 0) * 100),
        }
    return out


def _context(form, result=None, scan_error=None):
    review = _review(result)
    rows = [{"field": form[name], "review": review.get(name)} for name in EDITABLE]
    per_serving = (result or {}).get("nutrition_per_serving") or {}
    for row in rows:
        row["per_serving"] = per_serving.get(label_services.API_KEYS[row["field"].name])
    return {"form": form, "result": result, "rows": rows, "scan_error": scan_error}


def _render(request, form, result=None, *, scan_error=None, status=200, partial=None):
    template = f"{TEMPLATE}#{partial}" if partial and request.htmx else TEMPLATE
    return render(request, template, _context(form, result, scan_error), status=status)


@login_required
@require_GET
def label_page(request):
    """The scanner: upload or take a photo; or type the label by hand."""
    return _render(request, LabelForm(initial={"physical_state": "solid"}))


@login_required
@require_POST
def label_read(request):
    """Read the uploaded photo; show what was read in the editable form with its seals."""
    try:
        result = label_services.label_scan(actor=request.user, image=request.FILES.get("image"))
    except ValidationError as exc:
        return _render(request, LabelForm(initial={"physical_state": "solid"}), scan_error=exc.messages[0], status=400)
    except label_services.LabelNotFound as exc:
        return _render(request, LabelForm(initial={"physical_state": "solid"}), scan_error=exc.message, status=422)
    if result.get("ai_error"):
        messages.info(request, _("El lector de apoyo no respondió; te mostramos lo que leyó el OCR. Revísalo con cuidado."))
    return _render(request, LabelForm(initial=LabelForm.initial_from(result)), result)


@login_required
@require_POST
def label_recompute(request):
    """Recompute the seals for the values in the form (htmx on every change; a button without JS)."""
    form = LabelForm(request.POST)
    form.is_valid()
    try:
        result = label_services.label_evaluate(actor=request.user, values=form.service_values())
    except ValidationError as exc:
        for field, errors in exc.message_dict.items():
            if field in form.fields:
                form.add_error(field, errors)
        return _render(request, form, status=422, partial="result")
    return _render(request, form, result, partial="result")


@login_required
@require_POST
def label_store(request):
    """Save the confirmed values as a custom food and go to it."""
    form = LabelForm(request.POST)
    form.is_valid()
    try:
        food = label_services.label_save(actor=request.user, values=form.service_values())
    except ValidationError as exc:
        result = None
        try:
            result = label_services.label_evaluate(actor=request.user, values=form.service_values())
        except ValidationError:
            pass
        if getattr(exc, "code", None) == "DUPLICATE_FOOD":
            food_id = (exc.params or {}).get("food_id")
            messages.warning(request, exc.messages[0])
            form.add_error("name", exc.messages[0])
            if food_id:
                result = {**(result or {}), "duplicate_url": reverse("nutrition:food_detail", args=[food_id])}
        else:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
            messages.error(request, _("Revisa los campos marcados; no se guardó el alimento."))
        return _render(request, form, result, status=422)
    messages.success(
        request, _("Guardamos «%(name)s». Solo tú lo ves hasta que nuestro equipo lo verifique.") % {"name": food.name}
    )
    return redirect("nutrition:food_detail", food_id=food.pk)
