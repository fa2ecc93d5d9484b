"""The plan form only parses the request; ``fitness.services.plan_input_clean`` validates."""

from django import forms
from django.utils.translation import gettext_lazy as _

from fitness.models import Equipment, Goal, Level, Weekday


class WorkoutPlanForm(forms.Form):
    goal = forms.ChoiceField(label=_("Objetivo"), choices=Goal.choices, widget=forms.RadioSelect, required=False)
    level = forms.ChoiceField(label=_("Nivel"), choices=Level.choices, widget=forms.RadioSelect, required=False)
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Días para entrenar"), choices=Weekday.choices, coerce=int, widget=forms.CheckboxSelectMultiple,
        required=False, help_text=_("De 1 a 6 días; los demás son de descanso."),
    )
    equipment = forms.MultipleChoiceField(
        label=_("Equipo que tienes"), choices=[c for c in Equipment.choices if c[0] != Equipment.NINGUNO],
        widget=forms.CheckboxSelectMultiple, required=False,
        help_text=_("Si no marcas nada, el plan usa solo tu peso corporal."),
    )
    session_minutes = forms.IntegerField(
        label=_("Minutos por sesión"), required=False, min_value=1, max_value=1000,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 15, "max": 120, "step": 5}),
        help_text=_("Entre 15 y 120, con calentamiento y enfriamiento incluidos."),
    )
