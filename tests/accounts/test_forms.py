"""Forms of the account pages: they parse input and hand it to the services."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from accounts.forms import NotificationPreferencesForm, ProfileForm, SignupForm, SocialSignupForm
from accounts.models import ConsentRecord, Profile, User

pytestmark = pytest.mark.django_db


def _request():
    from django.contrib.sessions.backends.db import SessionStore

    request = RequestFactory().post("/accounts/signup/")
    request.session = SessionStore()
    request.LANGUAGE_CODE = "en"
    return request


def _data(**over):
    data = {
        "first_name": "Iván",
        "last_name": "Pérez",
        "email": "IVAN@Example.mx",
        "password1": "Nopal#2026mx",
        "password2": "Nopal#2026mx",
        "user_type": "patient",
        "accept_privacy": "on",
        "accept_terms": "on",
    }
    data.update(over)
    return data


def test_signup_form_field_order_and_choices():
    form = SignupForm()
    names = list(form.fields)
    assert names[:5] == ["first_name", "last_name", "email", "password1", "password2"]
    assert {"user_type", "accept_privacy", "accept_terms", "accept_marketing"} <= set(names)
    assert [c[0] for c in form.fields["user_type"].choices] == ["patient", "nutritionist"]
    assert form.fields["accept_privacy"].required and not form.fields["accept_marketing"].required


def test_signup_form_save_uses_user_register_once():
    form = SignupForm(_data())
    assert form.is_valid(), form.errors
    user = form.save(_request())
    user = User.objects.get(pk=user.pk)
    assert user.email == "ivan@example.mx" and user.language == "en"
    assert user.emailaddress_set.count() == 1
    assert Profile.objects.filter(user=user).exists()
    assert ConsentRecord.objects.filter(user=user, kind="marketing_communications", granted=False).exists()


def test_signup_form_rejects_weak_password_and_missing_consent():
    form = SignupForm(_data(password1="abc", password2="abc", accept_terms=""))
    assert not form.is_valid()
    assert "password1" in form.errors and "accept_terms" in form.errors


def test_signup_form_mismatched_passwords():
    form = SignupForm(_data(password2="Otra#2026mx"))
    assert not form.is_valid() and "password2" in form.errors


def test_social_signup_form_asks_for_consents():
    fields = SocialSignupForm.base_fields
    assert fields["accept_privacy"].required and fields["accept_terms"].required
    assert not fields["accept_marketing"].required


def test_profile_form_initial_and_service_data(make_user):
    user = make_user()
    Profile.objects.filter(user=user).update(
        allergies=["cacahuate", "mariscos"], state="Jalisco", height_cm=170
    )
    user = User.objects.select_related("profile").get(pk=user.pk)
    initial = ProfileForm.initial_for(user)
    assert initial["allergies"] == "cacahuate, mariscos"
    assert initial["state"] == "JAL"  # a state saved by name maps to its code
    assert initial["username"] == user.username
    form = ProfileForm({"height_cm": " 171 ", "allergies": "nuez"})
    assert form.service_data(["height_cm", "allergies", "nope"]) == {"height_cm": "171", "allergies": "nuez"}


def test_notification_preferences_form_keeps_system_on():
    form = NotificationPreferencesForm({"social": "", "clinical": "on"}, prefs={"social": True})
    assert form.fields["system"].disabled
    assert form.is_valid()
    assert form.prefs() == {"social": False, "clinical": True, "messages": False, "challenges": False}
