"""Forms for the account pages. They parse and render input; the rules live in
``accounts.services`` (the API calls the same functions)."""

from __future__ import annotations

from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.socialaccount.forms import SignupForm as AllauthSocialSignupForm
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import (
    ActivityLevel,
    DietaryPreference,
    Goal,
    MexicanState,
    NotificationCategory,
    Sex,
    Units,
    UserType,
)


def _consent_fields() -> dict:
    """The three consent checkboxes asked at sign-up (LFPDPPP: express, informed consent).
    The templates add the links to the documents next to the labels."""
    return {
        "accept_privacy": forms.BooleanField(
            required=True,
            label=_("He leído y acepto el aviso de privacidad"),
            error_messages={"required": _("Debes aceptar el aviso de privacidad.")},
        ),
        "accept_terms": forms.BooleanField(
            required=True,
            label=_("Acepto los términos y condiciones"),
            error_messages={"required": _("Debes aceptar los términos y condiciones.")},
        ),
        "accept_marketing": forms.BooleanField(
            required=False,
            label=_("Quiero recibir consejos, novedades y promociones por correo (opcional)."),
        ),
    }


class SignupForm(AllauthSignupForm):
    """allauth's sign-up form with names, the account type and the consents.

    ``save()`` hands everything to ``accounts.services.user_register``, which creates the
    user, the profile, the consent records and the (unverified) primary email address;
    allauth then sends the verification email and logs the person in when verified.
    """

    first_name = forms.CharField(
        label=_("Nombre"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        label=_("Apellidos"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )
    user_type = forms.ChoiceField(
        label=_("¿Cómo usarás NutriMX?"),
        choices=[
            (UserType.PATIENT.value, _("Soy paciente")),
            (UserType.NUTRITIONIST.value, _("Soy nutriólogo(a)")),
        ],
        initial=UserType.PATIENT.value,
        widget=forms.RadioSelect,
    )
    accept_privacy, accept_terms, accept_marketing = _consent_fields().values()

    field_order = [
        "first_name",
        "last_name",
        "email",
        "password1",
        "password2",
        "user_type",
        "accept_privacy",
        "accept_terms",
        "accept_marketing",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs.update({"autocomplete": "email", "placeholder": "tu@correo.mx"})
        self.fields["email"].label = _("Correo electrónico")
        for name in ("password1", "password2"):
            if name in self.fields:
                self.fields[name].widget.attrs.pop("placeholder", None)
        if "password1" in self.fields:
            self.fields["password1"].label = _("Contraseña")
            self.fields["password1"].help_text = _(
                "Al menos 8 caracteres con mayúsculas, minúsculas, números y un símbolo."
            )
        if "password2" in self.fields:
            self.fields["password2"].label = _("Repite la contraseña")

    def _registration(self, request=None):
        from accounts.services import Registration

        language = getattr(request, "LANGUAGE_CODE", "") if request is not None else ""
        data = self.cleaned_data
        return Registration(
            email=data.get("email") or "",
            password=data.get("password1") or "",
            first_name=data.get("first_name") or "",
            last_name=data.get("last_name") or "",
            user_type=data.get("user_type") or UserType.PATIENT,
            accept_privacy=bool(data.get("accept_privacy")),
            accept_terms=bool(data.get("accept_terms")),
            accept_marketing=bool(data.get("accept_marketing")),
            language=language if language in dict(settings.LANGUAGES) else "",
        )

    def save(self, request):
        """Create the account through the service (never through allauth's setup_user_email,
        which would add a second EmailAddress row)."""
        from accounts.services import user_register

        user = user_register(registration=self._registration(request), request=request)
        self.custom_signup(request, user)
        return user

    def try_save(self, request):
        try:
            return super().try_save(request)
        except ValidationError:
            # A race (the same email registered a moment ago): answer as allauth does
            # for an existing account, without telling whether the address is known.
            from allauth.account.internal import flows

            return None, flows.signup.prevent_enumeration(request, email=self.cleaned_data.get("email"))


class SocialSignupForm(AllauthSocialSignupForm):
    """Last step of a Google/Facebook/Apple sign-up: the consents (the adapter calls
    ``user_onboard`` with ``accept_marketing``)."""

    accept_privacy, accept_terms, accept_marketing = _consent_fields().values()


# ---------------------------------------------------------------------------------------
# profile


def _choices(enum, blank: str | None = None):
    out = list(enum.choices)
    if blank is not None:
        out.insert(0, ("", blank))
    return out


class ProfileForm(forms.Form):
    """Renders and parses the profile page. Values go to ``accounts.services.profile_update``
    as text; the service validates them (so the page and the API agree)."""

    first_name = forms.CharField(
        label=_("Nombre"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Apellidos"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    username = forms.CharField(
        label=_("Nombre de usuario"),
        required=False,
        help_text=_("Tu @usuario público: de 3 a 30 minúsculas, números o guion bajo."),
        widget=forms.TextInput(
            attrs={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )
    bio = forms.CharField(
        label=_("Sobre ti"), required=False, widget=forms.Textarea(attrs={"rows": 3, "maxlength": 500})
    )
    date_of_birth = forms.CharField(
        label=_("Fecha de nacimiento"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}),
    )
    sex = forms.ChoiceField(label=_("Sexo"), required=False, choices=_choices(Sex, blank="—"))
    height_cm = forms.CharField(
        label=_("Estatura (cm)"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "placeholder": "165"}),
    )
    weight_kg = forms.CharField(
        label=_("Peso (kg)"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "placeholder": "68.5"}),
    )
    activity_level = forms.ChoiceField(label=_("Nivel de actividad"), choices=_choices(ActivityLevel))
    goal = forms.ChoiceField(label=_("Objetivo"), choices=_choices(Goal))
    target_weight_kg = forms.CharField(
        label=_("Peso meta (kg)"), required=False, widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )
    target_date = forms.CharField(
        label=_("Fecha meta"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    dietary_preference = forms.ChoiceField(label=_("Alimentación"), choices=_choices(DietaryPreference))
    restrictions = forms.CharField(
        label=_("Restricciones"),
        required=False,
        help_text=_("Separa con comas, por ejemplo: sin gluten, sin lactosa."),
    )
    allergies = forms.CharField(
        label=_("Alergias"),
        required=False,
        help_text=_("Separa con comas, por ejemplo: cacahuate, mariscos."),
    )
    conditions = forms.CharField(
        label=_("Condiciones de salud"),
        required=False,
        help_text=_("Separa con comas, por ejemplo: diabetes tipo 2, hipertensión."),
    )
    state = forms.ChoiceField(
        label=pgettext_lazy("lugar", "Estado"), required=False, choices=_choices(MexicanState, blank="—")
    )
    city = forms.CharField(
        label=_("Ciudad o municipio"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )
    units = forms.ChoiceField(label=_("Unidades"), choices=_choices(Units))
    language = forms.ChoiceField(label=_("Idioma"), choices=settings.LANGUAGES)
    phone = forms.CharField(
        label=_("Teléfono celular"),
        required=False,
        help_text=_("10 dígitos; agregamos +52."),
        widget=forms.TextInput(
            attrs={"inputmode": "tel", "autocomplete": "tel", "placeholder": "+52 55 1234 5678"}
        ),
    )

    LIST_FIELDS = ("restrictions", "allergies", "conditions")
    SECTIONS = (
        (
            _("Datos personales"),
            ("first_name", "last_name", "username", "bio", "date_of_birth", "sex", "phone"),
        ),
        (
            _("Medidas y objetivo"),
            ("height_cm", "weight_kg", "activity_level", "goal", "target_weight_kg", "target_date"),
        ),
        (_("Alimentación y salud"), ("dietary_preference", "restrictions", "allergies", "conditions")),
        (_("Ubicación y preferencias"), ("state", "city", "units", "language")),
    )

    @classmethod
    def initial_for(cls, user) -> dict:
        profile = getattr(user, "profile", None)
        initial = {
            "first_name": user.first_name,
            "last_name": user.last_name,
            "username": user.username,
            "language": user.language,
        }
        if profile is not None:
            for name in cls.base_fields:
                if name in initial or not hasattr(profile, name):
                    continue
                value = getattr(profile, name)
                if name in cls.LIST_FIELDS:
                    value = ", ".join(value or [])
                elif value is None:
                    value = ""
                elif hasattr(value, "isoformat"):
                    value = value.isoformat()
                initial[name] = value
            state = initial.get("state") or ""
            if state and state not in MexicanState.values:
                by_label = {label.lower(): code for code, label in MexicanState.choices}
                initial["state"] = by_label.get(state.lower(), "")
        return initial

    def service_data(self, names=None) -> dict:
        """The submitted values as text, for ``profile_update`` (only the given fields)."""
        names = names or list(self.fields)
        out = {}
        for name in names:
            if name not in self.fields:
                continue
            value = self.data.get(self.add_prefix(name), "")
            out[name] = value.strip() if isinstance(value, str) else value
        return out

    @property
    def sections(self):
        return [(title, [self[name] for name in names]) for title, names in self.SECTIONS]


class PhotoForm(forms.Form):
    photo = forms.FileField(
        label=_("Foto de perfil"),
        help_text=_("JPG, PNG o WEBP de hasta 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        error_messages={"required": _("Elige una imagen.")},
    )


class MarketingConsentForm(forms.Form):
    granted = forms.BooleanField(
        required=False, label=_("Quiero recibir consejos, novedades y promociones por correo.")
    )


class NotificationPreferencesForm(forms.Form):
    """One checkbox per category; ``system`` is always on and shown disabled."""

    def __init__(self, *args, prefs: dict[str, bool] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        prefs = prefs or {}
        for value, label in NotificationCategory.choices:
            field = forms.BooleanField(required=False, label=label, initial=prefs.get(value, True))
            if value == NotificationCategory.SYSTEM:
                field.disabled = True
                field.initial = True
                field.help_text = _("Los avisos de cuenta y seguridad siempre están activos.")
            self.fields[value] = field

    def prefs(self) -> dict[str, bool]:
        return {k: bool(v) for k, v in self.cleaned_data.items() if k != NotificationCategory.SYSTEM}


class AccountDeleteForm(forms.Form):
    """Asks for the password and a typed word, so nobody deletes an account by a slip."""

    CONFIRM_WORD = "ELIMINAR"

    password = forms.CharField(label=_("Tu contraseña"), widget=forms.PasswordInput, required=False, strip=False)
    confirmation = forms.CharField(
        label=_("Escribe ELIMINAR para confirmar"), max_length=20, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )

    def clean_confirmation(self):
        value = (self.cleaned_data.get("confirmation") or "").strip().upper()
        if value not in (self.CONFIRM_WORD, "DELETE"):
            raise forms.ValidationError(_("Escribe ELIMINAR (sin comillas) para confirmar."))
        return value
