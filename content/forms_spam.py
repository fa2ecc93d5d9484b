"""Spam protection for the forms editors build (contact and the like), without CAPTCHAs:

* a honeypot field people never see (bots fill every input);
* a signed timestamp written when the form is shown: a submission faster than three seconds,
  or with a missing/altered/day-old stamp, is refused;
* a per-IP rate limit shared by every replica (``config.api.rate_hit``).

A refused submission re-renders the form with a message and is neither stored nor emailed.
``FormPage.serve/get_form/process_form_submission`` call into this module.
"""

from __future__ import annotations

import time

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

from config.api import rate_hit
from config.http import client_ip

HONEYPOT_FIELD = "sitio_web"
TIMESTAMP_FIELD = "form_stamp"
SPAM_FIELDS = (HONEYPOT_FIELD, TIMESTAMP_FIELD)
MIN_FILL_SECONDS = 3
MAX_AGE_SECONDS = 24 * 60 * 60
FORM_RATE = "10/h"
_SALT = "content.form_stamp"


def stamp_now() -> str:
    return signing.dumps({"t": time.time()}, salt=_SALT)


def stamp_age(value: str) -> float | None:
    """Seconds since the form was shown, or None when the stamp is missing or altered."""
    try:
        data = signing.loads(value or "", salt=_SALT, max_age=MAX_AGE_SECONDS)
        return time.time() - float(data["t"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def protect(form_class, *, request=None, page=None):
    """A subclass of an editor-built form class with the honeypot, the stamp and the checks."""

    class ProtectedForm(form_class):
        honeypot_name = HONEYPOT_FIELD

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.fields[HONEYPOT_FIELD] = forms.CharField(
                required=False, label=_("Deja este campo vacío"),
                widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
            )
            self.fields[TIMESTAMP_FIELD] = forms.CharField(required=False, widget=forms.HiddenInput,
                                                           initial=stamp_now)

        def clean(self):
            cleaned = super().clean()
            if cleaned.get(HONEYPOT_FIELD):
                raise forms.ValidationError(_("No pudimos enviar tu mensaje. Intenta de nuevo."), code="spam")
            age = stamp_age(cleaned.get(TIMESTAMP_FIELD, ""))
            if age is None:
                raise forms.ValidationError(_("El formulario caducó. Recarga la página e intenta de nuevo."),
                                            code="stamp")
            if age < MIN_FILL_SECONDS:
                raise forms.ValidationError(_("Enviaste el formulario demasiado rápido. Revisa tus datos y envíalo "
                                              "de nuevo."), code="too_fast")
            if request is not None:
                key = f"content_form:{getattr(page, 'pk', 0)}:ip{client_ip(request) or 'unknown'}"
                allowed, *_rest = rate_hit(key, FORM_RATE)
                if not allowed:
                    raise forms.ValidationError(_("Recibimos demasiados mensajes desde tu conexión. Intenta de nuevo "
                                                  "más tarde."), code="rate")
            # Once checked, the stamp must not reach the stored submission or the email
            for name in SPAM_FIELDS:
                cleaned.pop(name, None)
            return cleaned

    ProtectedForm.__name__ = form_class.__name__
    return ProtectedForm


def submission_source(request, page) -> tuple[str, str | None]:
    """Where a submission came from: the page's address and the client's IP."""
    if request is None:
        return (page.url or "")[:300], None
    return request.build_absolute_uri(request.path)[:300], client_ip(request)
