"""Validators shared by the sign-up form, the profile form and the API."""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

SPECIAL_CHARS = r"""!@#$%^&*(),.?":{}|<>_\-+=/\\\[\];'`~"""


class ComplexityValidator:
    """At least one upper-case letter, one lower-case letter, one digit and one symbol; at most 100 chars."""

    def validate(self, password, user=None):
        problems = []
        if len(password) > 100:
            problems.append(ValidationError(_("La contraseña no puede tener más de 100 caracteres."), code="password_too_long"))
        if not re.search(r"[A-ZÁÉÍÓÚÑ]", password):
            problems.append(ValidationError(_("La contraseña debe incluir al menos una mayúscula."), code="password_no_upper"))
        if not re.search(r"[a-záéíóúñ]", password):
            problems.append(ValidationError(_("La contraseña debe incluir al menos una minúscula."), code="password_no_lower"))
        if not re.search(r"\d", password):
            problems.append(ValidationError(_("La contraseña debe incluir al menos un número."), code="password_no_digit"))
        if not re.search(f"[{SPECIAL_CHARS}]", password):
            problems.append(
                ValidationError(_("La contraseña debe incluir al menos un símbolo, como ! @ # $ %."), code="password_no_symbol")
            )
        if problems:
            raise ValidationError(problems)

    def get_help_text(self):
        return _("Usa al menos 8 caracteres con mayúsculas, minúsculas, números y un símbolo.")


def validate_birth_date(value: date):
    """Age must be between 13 and 120 years (seed 002 ranges)."""
    today = date.today()
    if value > today:
        raise ValidationError(_("La fecha de nacimiento no puede estar en el futuro."), code="birth_date_future")
    age = today.year - value.year - ((today.month, today.day) < (value.month, value.day))
    if age < 13:
        raise ValidationError(_("Debes tener al menos 13 años para usar la plataforma."), code="too_young")
    if age > 120:
        raise ValidationError(_("Revisa la fecha de nacimiento: la edad máxima es 120 años."), code="too_old")


def normalize_mx_phone(raw: str) -> str:
    """Normalise a Mexican phone to E.164 (+52 and 10 digits); returns "" for empty input.

    Accepts spaces, dashes, parentheses, a leading 52 or +52, the old mobile prefix 1
    (+52 1 55...) and a bare 10-digit national number. Raises ValidationError otherwise.
    """
    if raw is None:
        return ""
    text = str(raw).strip()
    if not text:
        return ""
    digits = re.sub(r"[\s\-().]", "", text)
    if digits.startswith("+"):
        digits = digits[1:]
        if not digits.startswith("52"):
            raise ValidationError(_("Solo aceptamos teléfonos de México (+52)."), code="invalid_phone")
        digits = digits[2:]
    elif len(digits) == 12 and digits.startswith("52"):
        digits = digits[2:]
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    if not re.fullmatch(r"\d{10}", digits):
        raise ValidationError(
            _("Escribe un teléfono mexicano de 10 dígitos, por ejemplo +52 55 1234 5678."), code="invalid_phone"
        )
    return "+52" + digits
