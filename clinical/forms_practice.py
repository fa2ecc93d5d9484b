"""Forms of the practice pages. They only render fields and collect raw input: every rule
lives in ``clinical.services.practice`` / ``clinical.services.care``; the views copy the
services' ``ValidationError`` back onto the form with ``errors_apply``."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import MexicanState, Sex
from clinical.models import ConsentScope, PrimaryGoal, Specialization
from clinical.services.practice import LANGUAGE_CHOICES, WEEKDAYS, credentials_text

TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def errors_apply(form: forms.Form, exc: ValidationError, *, aliases: dict | None = None) -> None:
    """Put a service's field errors on the form (unknown keys become non-field errors)."""
    aliases = aliases or {}
    messages = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    for key, msgs in messages.items():
        name = aliases.get(key, key)
        target = name if name in form.fields else None
        for msg in msgs:
            form.add_error(target, msg)


class ProfessionalProfileForm(forms.Form):
    license_number = forms.CharField(label=_("Cédula profesional"), max_length=20, required=False,
                                     help_text=_("7 u 8 dígitos, como aparece en el Registro Nacional de Profesionistas."),
                                     widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    license_document = forms.FileField(label=_("Comprobante de cédula (PDF, JPG o PNG, máx. 10 MB)"), required=False,
                                       widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))
    specializations = forms.MultipleChoiceField(label=_("Especialidades"), choices=Specialization.choices,
                                                required=False, widget=forms.CheckboxSelectMultiple)
    education = forms.CharField(label=_("Formación"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                help_text=_("Uno por renglón: Licenciatura en Nutrición — UNAM — 2015"))
    certifications = forms.CharField(label=_("Certificaciones"), required=False,
                                     widget=forms.Textarea(attrs={"rows": 3}),
                                     help_text=_("Uno por renglón: Educador en diabetes — FMD — 2019"))
    years_experience = forms.CharField(label=_("Años de experiencia"), required=False,
                                       widget=forms.NumberInput(attrs={"min": 0, "max": 70}))
    languages = forms.MultipleChoiceField(label=_("Idiomas de consulta"), choices=LANGUAGE_CHOICES, required=False,
                                          widget=forms.CheckboxSelectMultiple)
    clinic_name = forms.CharField(label=_("Consultorio"), required=False)
    clinic_address = forms.CharField(label=_("Dirección"), required=False)
    city = forms.CharField(label=_("Ciudad"), required=False)
    state = forms.ChoiceField(label=_("Estado"), choices=[("", "—"), *MexicanState.choices], required=False)
    clinic_phone = forms.CharField(label=_("Teléfono del consultorio"), required=False,
                                   widget=forms.TextInput(attrs={"inputmode": "tel", "placeholder": "+52 55 1234 5678"}))
    consultation_fee_mxn = forms.CharField(label=_("Costo de consulta (MXN)"), required=False,
                                           widget=forms.NumberInput(attrs={"min": 0, "step": 50}))
    accepts_insurance = forms.BooleanField(label=_("Acepto seguro de gastos médicos"), required=False)
    accepting_patients = forms.BooleanField(label=_("Acepto pacientes nuevos"), required=False)
    online_consultations = forms.BooleanField(label=_("Doy consulta en línea"), required=False)
    bio = forms.CharField(label=_("Presentación"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    photo = forms.FileField(label=_("Foto"), required=False, widget=forms.ClearableFileInput(attrs={"accept": "image/*"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for day, label in WEEKDAYS:
            self.fields[f"hours_{day}_start"] = forms.CharField(label=label, required=False, widget=TIME)
            self.fields[f"hours_{day}_end"] = forms.CharField(label=label, required=False, widget=TIME)

    @classmethod
    def initial_for(cls, profile) -> dict:
        if profile is None:
            return {"accepting_patients": True, "online_consultations": True, "languages": ["es"]}
        initial = {
            name: getattr(profile, name) for name in (
                "license_number", "specializations", "years_experience", "languages", "clinic_name", "clinic_address",
                "city", "state", "clinic_phone", "consultation_fee_mxn", "accepts_insurance", "accepting_patients",
                "online_consultations", "bio",
            )
        }
        initial["education"] = credentials_text(profile.education)
        initial["certifications"] = credentials_text(profile.certifications)
        for day, span in (profile.working_hours or {}).items():
            initial[f"hours_{day}_start"] = span.get("start", "")
            initial[f"hours_{day}_end"] = span.get("end", "")
        return initial

    def hour_rows(self):
        return [(label, self[f"hours_{day}_start"], self[f"hours_{day}_end"]) for day, label in WEEKDAYS]

    def service_data(self) -> dict:
        """The raw input as the service expects it (unchecked boxes are False)."""
        d = self.data
        data = {
            name: d.get(name, "") for name in (
                "license_number", "education", "certifications", "years_experience", "clinic_name", "clinic_address",
                "city", "state", "clinic_phone", "consultation_fee_mxn", "bio",
            )
        }
        data["specializations"] = d.getlist("specializations")
        data["languages"] = d.getlist("languages")
        for name in ("accepts_insurance", "accepting_patients", "online_consultations"):
            data[name] = bool(d.get(name))
        data["working_hours"] = {
            day: {"start": d.get(f"hours_{day}_start", ""), "end": d.get(f"hours_{day}_end", "")} for day, _l in WEEKDAYS
        }
        return data


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Motivo del rechazo"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class InvitePatientForm(forms.Form):
    email = forms.CharField(label=_("Correo electrónico"), required=False,
                            widget=forms.EmailInput(attrs={"autocomplete": "off"}))
    first_name = forms.CharField(label=_("Nombre"), required=False)
    last_name = forms.CharField(label=_("Apellidos"), required=False)
    phone = forms.CharField(label=_("Teléfono"), required=False,
                            widget=forms.TextInput(attrs={"inputmode": "tel", "placeholder": "+52 55 1234 5678"}))
    date_of_birth = forms.CharField(label=_("Fecha de nacimiento"), required=False,
                                    widget=forms.DateInput(attrs={"type": "date"}))
    gender = forms.ChoiceField(label=_("Sexo"), choices=[("", "—"), *Sex.choices], required=False)
    primary_goal = forms.ChoiceField(label=_("Objetivo principal"), choices=[("", "—"), *PrimaryGoal.choices],
                                     required=False)
    target_weight_kg = forms.CharField(label=_("Peso meta (kg)"), required=False,
                                       widget=forms.NumberInput(attrs={"step": "0.1", "min": 20, "max": 400}))
    health_conditions = forms.CharField(label=_("Condiciones de salud"), required=False,
                                        help_text=_("Separadas por coma"))
    allergies = forms.CharField(label=_("Alergias"), required=False, help_text=_("Separadas por coma"))
    message = forms.CharField(label=_("Mensaje para el paciente"), required=False,
                              widget=forms.Textarea(attrs={"rows": 2, "maxlength": 500}))

    def service_data(self) -> dict:
        return {name: self.data.get(name, "") for name in self.fields}


class SetPasswordForm(forms.Form):
    password = forms.CharField(label=_("Contraseña"), required=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(label=_("Repite la contraseña"), required=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))


class CareRequestForm(forms.Form):
    message = forms.CharField(label=_("Mensaje (opcional)"), required=False,
                              widget=forms.Textarea(attrs={"rows": 2, "maxlength": 500}))


def consent_choices():
    return ConsentScope.choices


class EndCareForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Resultado"), required=False,
                                choices=[("graduated", _("Dado de alta")), ("dropped", _("Abandonó"))])
    reason = forms.CharField(label=_("Motivo (opcional)"), required=False, max_length=300)
