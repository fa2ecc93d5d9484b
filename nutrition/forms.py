"""Forms of the nutrition pages. They parse and render input (types, choices, labels); every
rule about amounts, dates and permissions lives in the services, whose ``ValidationError``
messages are put back on the matching field with :func:`add_service_errors`."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from nutrition.models import FIXED_NUTRIENTS, EntryUnit, Food, FoodSource, Meal
from nutrition.targets import TARGET_FIELDS
from nutrition.templatetags.nutrition_ui import number


def _g(value: float) -> str:
    return number(value, 1)


class NumberField(forms.Field):
    """A number typed by a person: empty is ``None``, a decimal comma is accepted."""

    default_error_messages = {"invalid": gettext_lazy("Escribe un número.")}

    def __init__(self, *, step="any", minimum=None, **kwargs):
        kwargs.setdefault("required", False)
        attrs = {"step": step, "inputmode": "decimal"}
        if minimum is not None:
            attrs["min"] = minimum
        kwargs.setdefault("widget", forms.NumberInput(attrs=attrs))
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = str(value).strip().replace(" ", "").replace(",", ".")
        try:
            number = float(text)
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        if number != number or number in (float("inf"), float("-inf")):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return number


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def add_service_errors(form: forms.Form, exc: ValidationError, mapping: dict[str, str] | None = None) -> None:
    """Put a service's ``ValidationError`` messages on the form fields they name (``mapping``
    renames service keys to form fields); the rest become non-field errors."""
    mapping = mapping or {}
    if hasattr(exc, "error_dict"):
        for key, errors in exc.message_dict.items():
            field = mapping.get(key, key)
            for message in errors:
                form.add_error(field if field in form.fields else None, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def meal_select() -> forms.Select:
    return forms.Select(attrs={"class": "meal-select"})


# ---------------------------------------------------------------------------------------
# diary entries


def unit_choices(food: Food) -> list[tuple[str, str]]:
    """The amounts a food can be logged in: grams, each household portion, SMAE equivalents
    (when the food has an equivalent weight) and the label/recipe serving."""
    choices = [(EntryUnit.GRAMS.value, _("gramos (g)"))]
    choices += [(f"portion:{p.pk}", p.label) for p in food.portions.all()]
    if food.smae_grams:
        choices.append(
            (EntryUnit.SMAE.value, _("equivalentes SMAE (1 = %(grams)s g)") % {"grams": _g(food.smae_grams)})
        )
    if food.serving_size_g:
        label = food.serving_description or _("porción")
        choices.append(
            (EntryUnit.SERVING.value, _("%(label)s (1 = %(grams)s g)") % {"label": label, "grams": _g(food.serving_size_g)})
        )
    return choices


def unit_default(food: Food) -> tuple[str, float]:
    """The unit and quantity offered first: a recipe serving, else the first household
    portion, else 100 g."""
    if food.source == FoodSource.RECIPE and food.serving_size_g:
        return EntryUnit.SERVING.value, 1
    portions = list(food.portions.all())
    if portions:
        return f"portion:{portions[0].pk}", 1
    if food.serving_size_g:
        return EntryUnit.SERVING.value, 1
    return EntryUnit.GRAMS.value, 100


def unit_split(choice: str) -> tuple[str, str | None]:
    """``"portion:12"`` → ``("portion", "12")``; ``"g"`` → ``("g", None)``."""
    if choice.startswith("portion:"):
        return EntryUnit.PORTION.value, choice.split(":", 1)[1]
    return choice, None


class AmountForm(forms.Form):
    """How much of one food, in which unit (used to log, to edit and to preview)."""

    quantity = NumberField(label=gettext_lazy("Cantidad"), minimum=0)
    unit = forms.ChoiceField(label=gettext_lazy("Unidad"), choices=())

    def __init__(self, *args, food: Food, **kwargs):
        super().__init__(*args, **kwargs)
        self.food = food
        self.fields["unit"].choices = unit_choices(food)

    def amount(self) -> dict:
        unit, portion_id = unit_split(self.cleaned_data.get("unit") or EntryUnit.GRAMS.value)
        return {"quantity": self.cleaned_data.get("quantity"), "unit": unit, "portion_id": portion_id}


class EntryAddForm(AmountForm):
    food = forms.CharField(widget=forms.HiddenInput)
    date = forms.CharField(required=False, widget=forms.HiddenInput)
    meal = forms.ChoiceField(label=gettext_lazy("Comida del día"), choices=Meal.choices, widget=meal_select())
    note = forms.CharField(label=gettext_lazy("Nota"), required=False, max_length=250)

    field_order = ["food", "date", "quantity", "unit", "meal", "note"]
    # Hidden inputs cannot show an error: those messages go on top of the form.
    SERVICE_FIELDS = {"food_id": "__all__", "recipe_id": "__all__", "date": "__all__", "portion_id": "unit"}

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "food_id": data["food"],
            "date": data.get("date") or None,
            "meal": data["meal"],
            "note": data.get("note") or "",
            **self.amount(),
        }


class EntryEditForm(forms.Form):
    """Edit one entry: amount (not for quick adds), meal (move), date and note."""

    quantity = NumberField(label=gettext_lazy("Cantidad"), minimum=0)
    unit = forms.ChoiceField(label=gettext_lazy("Unidad"), choices=(), required=False)
    meal = forms.ChoiceField(label=gettext_lazy("Comida del día"), choices=Meal.choices, widget=meal_select())
    date = forms.DateField(label=gettext_lazy("Fecha"), widget=DateInput, input_formats=["%Y-%m-%d"])
    note = forms.CharField(label=gettext_lazy("Nota"), required=False, max_length=250)

    SERVICE_FIELDS = {"portion_id": "unit"}

    def __init__(self, *args, entry, food: Food | None, **kwargs):
        self.entry = entry
        self.food = food
        if "initial" not in kwargs:
            unit = entry.unit
            if unit == EntryUnit.PORTION and entry.portion_id:
                unit = f"portion:{entry.portion_id}"
            kwargs["initial"] = {
                "quantity": entry.quantity, "unit": unit, "meal": entry.meal, "date": entry.date, "note": entry.note,
            }
        super().__init__(*args, **kwargs)
        if food is None or entry.unit == EntryUnit.QUICK:
            del self.fields["quantity"]
            del self.fields["unit"]
        else:
            self.fields["unit"].choices = unit_choices(food)
        self.fields["date"].widget.attrs["max"] = timezone.localdate().isoformat()

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        kwargs = {"meal": data["meal"], "date": data["date"], "note": data.get("note") or ""}
        if "quantity" in self.fields:
            unit, portion_id = unit_split(data.get("unit") or self.entry.unit)
            kwargs.update(quantity=data.get("quantity"), unit=unit, portion_id=portion_id)
            if kwargs["quantity"] is None:
                self.add_error("quantity", _("Escribe la cantidad."))
        return kwargs


class QuickAddForm(forms.Form):
    SERVICE_FIELDS = {"date": "__all__"}

    date = forms.CharField(required=False, widget=forms.HiddenInput)
    meal = forms.ChoiceField(label=gettext_lazy("Comida del día"), choices=Meal.choices, widget=meal_select())
    name = forms.CharField(label=gettext_lazy("¿Qué comiste?"), required=False, max_length=250)
    energy_kcal = NumberField(label=gettext_lazy("Calorías (kcal)"), minimum=0)
    protein_g = NumberField(label=gettext_lazy("Proteína (g)"), minimum=0)
    fat_g = NumberField(label=gettext_lazy("Grasa (g)"), minimum=0)
    carbs_g = NumberField(label=gettext_lazy("Carbohidratos (g)"), minimum=0)

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "date": data.get("date") or None,
            "meal": data["meal"],
            "name": data.get("name") or "",
            "energy_kcal": data.get("energy_kcal"),
            "protein_g": data.get("protein_g"),
            "fat_g": data.get("fat_g"),
            "carbs_g": data.get("carbs_g"),
        }


class CopyForm(forms.Form):
    """Copy a meal (``from_meal`` given) or the whole day to another date and meal."""

    from_date = forms.CharField(widget=forms.HiddenInput)
    from_meal = forms.CharField(required=False, widget=forms.HiddenInput)
    to_date = forms.DateField(label=gettext_lazy("Al día"), widget=DateInput, input_formats=["%Y-%m-%d"])
    to_meal = forms.ChoiceField(
        label=gettext_lazy("A la comida"), required=False, choices=[("", gettext_lazy("La misma"))] + Meal.choices,
        widget=meal_select(),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_date"].widget.attrs["max"] = timezone.localdate().isoformat()

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "from_date": data["from_date"],
            "to_date": data["to_date"],
            "from_meal": data.get("from_meal") or None,
            "to_meal": data.get("to_meal") or None,
        }


# ---------------------------------------------------------------------------------------
# water, weight, exercise


class WaterForm(forms.Form):
    date = forms.CharField(required=False, widget=forms.HiddenInput)
    ml = NumberField(label=gettext_lazy("Mililitros"), step="50", minimum=1)


class WeightForm(forms.Form):
    date = forms.CharField(required=False, widget=forms.HiddenInput)
    weight_kg = NumberField(label=gettext_lazy("Peso (kg)"), step="0.1", minimum=20)


class ExerciseForm(forms.Form):
    date = forms.CharField(required=False, widget=forms.HiddenInput)
    activity_code = forms.ChoiceField(label=gettext_lazy("Actividad"), choices=())
    minutes = NumberField(label=gettext_lazy("Minutos"), step="1", minimum=1)

    def __init__(self, *args, activities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity_code"].choices = [("", _("Elige una actividad"))] + [
            (a.code, a.name) for a in activities
        ]


# ---------------------------------------------------------------------------------------
# targets


class TargetsForm(forms.Form):
    """Overrides of the computed targets: empty means "automatic"."""

    energy_kcal = NumberField(label=gettext_lazy("Energía (kcal)"), step="1")
    protein_g = NumberField(label=gettext_lazy("Proteína (g)"), step="1")
    fat_g = NumberField(label=gettext_lazy("Grasa (g)"), step="1")
    carbs_g = NumberField(label=gettext_lazy("Carbohidratos (g)"), step="1")
    fiber_g = NumberField(label=gettext_lazy("Fibra (g)"), step="1")
    sodium_mg = NumberField(label=gettext_lazy("Sodio (mg, máximo)"), step="1")
    water_ml = NumberField(label=gettext_lazy("Agua (ml)"), step="50")

    def __init__(self, *args, computed=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in TARGET_FIELDS:
            field = self.fields[name]
            if computed is not None:
                auto = getattr(computed, name)
                field.widget.attrs["placeholder"] = _("Automático: %(value)s") % {
                    "value": number_format(auto, use_l10n=True, force_grouping=True)
                }
            field.help_text = _("Déjalo vacío para usar el valor calculado.")

    def service_data(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in TARGET_FIELDS}


# ---------------------------------------------------------------------------------------
# custom foods


class CustomFoodForm(forms.Form):
    """A food copied from its nutrition label, per serving or per 100 g."""

    BASIS_CHOICES = [("serving", gettext_lazy("Por porción")), ("100g", gettext_lazy("Por 100 g"))]

    # Required by the service, which words the message ("Escribe el nombre del alimento.").
    name = forms.CharField(label=gettext_lazy("Nombre"), max_length=200, required=False)
    brand = forms.CharField(label=gettext_lazy("Marca"), required=False, max_length=120)
    barcode = forms.CharField(
        label=gettext_lazy("Código de barras"), required=False, max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    basis = forms.ChoiceField(
        label=gettext_lazy("Los valores de la etiqueta son"), choices=BASIS_CHOICES, widget=forms.RadioSelect,
        initial="serving",
    )
    serving_size_g = NumberField(label=gettext_lazy("Tamaño de la porción (g)"), minimum=0)
    serving_description = forms.CharField(
        label=gettext_lazy("Descripción de la porción"), required=False, max_length=120,
        widget=forms.TextInput(attrs={"placeholder": gettext_lazy("p. ej. 1 barra, 1 taza, 3 galletas")}),
    )
    energy_kcal = NumberField(label=gettext_lazy("Energía (kcal)"), minimum=0)
    protein_g = NumberField(label=gettext_lazy("Proteína (g)"), minimum=0)
    fat_g = NumberField(label=gettext_lazy("Grasas totales (g)"), minimum=0)
    saturated_fat_g = NumberField(label=gettext_lazy("Grasa saturada (g)"), minimum=0)
    trans_fat_g = NumberField(label=gettext_lazy("Grasa trans (g)"), minimum=0)
    carbs_g = NumberField(label=gettext_lazy("Carbohidratos (g)"), minimum=0)
    sugars_g = NumberField(label=gettext_lazy("Azúcares (g)"), minimum=0)
    fiber_g = NumberField(label=gettext_lazy("Fibra dietética (g)"), minimum=0)
    sodium_mg = NumberField(label=gettext_lazy("Sodio (mg)"), minimum=0)
    cholesterol_mg = NumberField(label=gettext_lazy("Colesterol (mg)"), minimum=0)

    NUTRIENT_FIELDS = tuple(FIXED_NUTRIENTS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["autocomplete"] = "off"
        for name in self.NUTRIENT_FIELDS:
            self.fields[name].help_text = ""

    @classmethod
    def initial_for(cls, food: Food) -> dict:
        """Edit a food with its stored values (per 100 g)."""
        return {
            "name": food.name_es or food.name_en, "brand": food.brand, "barcode": food.barcode, "basis": "100g",
            "serving_size_g": food.serving_size_g, "serving_description": food.serving_description,
            **{f: getattr(food, f) for f in FIXED_NUTRIENTS},
        }

    def service_data(self) -> dict:
        return dict(self.cleaned_data)

    def label_fields(self):
        return [self[name] for name in ("energy_kcal", "protein_g", "fat_g", "saturated_fat_g", "trans_fat_g",
                                        "carbs_g", "sugars_g", "fiber_g", "sodium_mg", "cholesterol_mg")]
