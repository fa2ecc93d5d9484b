"""Cancelling one's own account (ARCO): page and API share accounts.services.account_delete_self."""

import pytest
from django.urls import reverse

from accounts.models import AuditEvent, User


@pytest.mark.django_db
def test_page_requires_password_and_word_and_then_anonymises_and_signs_out(client, user, password):
    client.force_login(user)
    url = reverse("accounts:account_delete")
    page = client.get(url).content.decode()
    assert "Eliminar mi cuenta" in page and "ELIMINAR" in page

    wrong = client.post(url, {"password": "no-es", "confirmation": "ELIMINAR"})
    assert "La contraseña no es correcta." in wrong.content.decode()
    missing_word = client.post(url, {"password": password, "confirmation": "borrar"})
    assert "Escribe ELIMINAR (sin comillas) para confirmar." in missing_word.content.decode()
    user.refresh_from_db()
    assert user.deleted_at is None and user.is_active  # nothing changed by the bad attempts

    done = client.post(url, {"password": password, "confirmation": "eliminar"})
    assert done.status_code == 302 and done["Location"] == reverse("landing")
    row = User.objects.get(pk=user.pk)
    assert row.deleted_at is not None and row.email.endswith("@deleted.local")
    assert AuditEvent.objects.filter(user=row, kind=AuditEvent.Kind.DELETED).exists()
    assert client.get(reverse("home")).status_code == 302  # signed out


@pytest.mark.django_db
def test_api_delete_needs_confirmation_and_password_then_tokens_stop_working(client, user, password):
    login = client.post(
        "/api/v1/auth/login", {"email": user.email, "password": password}, content_type="application/json"
    ).json()
    auth = {"HTTP_AUTHORIZATION": f"Bearer {login['tokens']['access_token']}"}

    resp = client.delete("/api/v1/users/profile", {"password": password}, content_type="application/json", **auth)
    assert resp.status_code == 400 and resp.json()["error"]["code"] == "CONFIRMATION_REQUIRED"
    resp = client.delete(
        "/api/v1/users/profile", {"confirmation": "DELETE_MY_ACCOUNT", "password": "x"},
        content_type="application/json", **auth,
    )
    assert resp.status_code == 400 and resp.json()["error"]["code"] == "INVALID_PASSWORD"
    assert User.objects.get(pk=user.pk).deleted_at is None

    resp = client.delete(
        "/api/v1/users/profile", {"confirmation": "DELETE_MY_ACCOUNT", "password": password},
        content_type="application/json", **auth,
    )
    assert resp.status_code == 204
    assert client.get("/api/v1/users/profile", **auth).status_code == 401
    refresh = client.post(
        "/api/v1/auth/refresh", {"refresh_token": login["tokens"]["refresh_token"]}, content_type="application/json"
    )
    assert refresh.status_code == 401
