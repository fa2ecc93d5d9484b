"""GET/PATCH users/profile and the profile photo: shape, validation all-or-nothing,
hostile JSON types, and nobody else's data."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from accounts.models import LegalDocument, Profile, User
from accounts.services import PROFILE_FIELDS, privacy_notice_version
from tests.accounts import Api, assert_error, enable_totp

USER_KEYS = {
    "id", "email", "username", "first_name", "last_name", "full_name", "user_type", "roles", "language",
    "time_zone", "email_verified", "mfa_enabled", "consent_required", "created_at", "profile",
}


@pytest.fixture
def api(user, password):
    client = Api(ip="10.30.0.1")
    client.login(user.email, password)
    return client


def png_bytes(size=(40, 30), color=(200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="PNG")
    return out.getvalue()


@pytest.mark.django_db
def test_profile_has_every_field_and_derived_values(api, user):
    Profile.objects.filter(user=user).update(height_cm=170, weight_kg=70, date_of_birth=date(1990, 1, 1),
                                             allergies=["cacahuate"])
    response = api.get("users/profile")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == USER_KEYS
    assert body["id"] == user.pk and body["email"] == user.email and body["full_name"] == user.full_name
    assert body["roles"] == ["patient"] and body["language"] == "es-mx"
    assert body["time_zone"] == "America/Mexico_City"
    assert body["email_verified"] is True and body["mfa_enabled"] is False and body["consent_required"] is False
    profile = body["profile"]
    assert set(PROFILE_FIELDS) | {"photo_url", "age", "bmi"} == set(profile)
    assert profile["height_cm"] == 170.0 and profile["weight_kg"] == 70.0
    assert profile["bmi"] == 24.2  # 70 / 1.70²
    assert profile["age"] == date.today().year - 1990 - ((date.today().month, date.today().day) < (1, 1))
    assert profile["date_of_birth"] == "1990-01-01" and profile["allergies"] == ["cacahuate"]
    assert profile["photo_url"] is None


@pytest.mark.django_db
def test_bmi_is_null_without_height(api):
    assert api.get("users/profile").json()["profile"]["bmi"] is None


@pytest.mark.django_db
def test_consent_required_after_a_new_privacy_notice(api):
    LegalDocument.objects.create(kind=LegalDocument.Kind.PRIVACY, version="2099-01", title="Aviso", body="...",
                                 published_at=timezone.now())
    assert privacy_notice_version() == "2099-01"
    assert api.get("users/profile").json()["consent_required"] is True


@pytest.mark.django_db
def test_mfa_enabled_flag(api, user):
    enable_totp(user)
    assert api.get("users/profile").json()["mfa_enabled"] is True


@pytest.mark.django_db
def test_profile_read_query_count_is_pinned(api, django_assert_num_queries):
    # user (JWT) + account with flags + role grants + legal document + latest consent
    with django_assert_num_queries(5):
        assert api.get("users/profile").status_code == 200


@pytest.mark.django_db
def test_patch_flat_and_nested_fields(api, user):
    response = api.patch("users/profile", {
        "first_name": "Ana María",
        "username": "@AnaMaria_90",
        "language": "en",
        "weight_kg": 68.4,
        "profile": {"height_cm": "162.5", "goal": "muscle_gain", "allergies": ["Nuez", "nuez", " lactosa "],
                    "phone": "55 1234 5678"},
    })
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["first_name"] == "Ana María" and body["username"] == "anamaria_90" and body["language"] == "en"
    assert body["profile"]["weight_kg"] == 68.4 and body["profile"]["height_cm"] == 162.5
    assert body["profile"]["allergies"] == ["Nuez", "lactosa"]
    user.refresh_from_db()
    assert user.username == "anamaria_90" and user.profile.goal == "muscle_gain"
    assert user.profile.phone == "+525512345678"


@pytest.mark.django_db
def test_invalid_values_leave_everything_unchanged(api, user):
    before_user = User.objects.values().get(pk=user.pk)
    before_profile = Profile.objects.values().get(user=user)
    response = api.patch("users/profile", {
        "first_name": "Cambiado",
        "weight_kg": 70,
        "height_cm": 20,
        "date_of_birth": "2999-01-01",
        "sex": "robot",
        "time_zone": "Marte/Olympus",
        "username": "no válido!",
        "desconocido": 1,
    })
    error = assert_error(response, 400, "VALIDATION_ERROR")
    assert {"height_cm", "date_of_birth", "sex", "time_zone", "username", "desconocido"} <= set(error["details"])
    assert "first_name" not in error["details"] and "weight_kg" not in error["details"]
    assert User.objects.values().get(pk=user.pk) == before_user
    assert Profile.objects.values().get(user=user) == before_profile


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"height_cm": "abc"}, "height_cm"),
        ({"height_cm": True}, "height_cm"),
        ({"weight_kg": {"kg": 70}}, "weight_kg"),
        ({"allergies": 5}, "allergies"),
        ({"allergies": [1, 2]}, "allergies"),
        ({"date_of_birth": [1990, 1, 1]}, "date_of_birth"),
        ({"target_date": 20300101}, "target_date"),
        ({"state": {"a": 1}}, "state"),
        ({"bio": "x" * 1_000_000}, "bio"),
        ({"first_name": ["Ana"]}, "first_name"),
        ({"city": "Mérida\x00"}, "city"),
        ({"profile": [1, 2]}, "profile"),
    ],
)
@pytest.mark.django_db
def test_wrong_json_types_are_400_not_500(api, user, payload, field):
    before = Profile.objects.values().get(user=user)
    error = assert_error(api.patch("users/profile", payload), 400, "VALIDATION_ERROR")
    assert field in error["details"]
    assert Profile.objects.values().get(user=user) == before


@pytest.mark.django_db
def test_non_object_bodies_are_refused(api):
    for raw in (b"[]", b"null", b"42", b'"texto"'):
        error = assert_error(api.patch("users/profile", raw=raw), 400, "VALIDATION_ERROR")
        assert "non_field_errors" in error["details"]
    assert_error(api.patch("users/profile", raw=b"{"), 400, "MALFORMED_REQUEST")


@pytest.mark.django_db
def test_another_users_data_is_never_exposed_or_changed(api, user, other_user):
    Profile.objects.filter(user=other_user).update(city="Oaxaca", allergies=["mariscos"])
    body = api.get("users/profile").json()
    assert body["id"] == user.pk and other_user.email not in str(body) and "mariscos" not in str(body)
    # There is no way to address someone else's profile: extra ids are unknown fields.
    error = assert_error(api.patch("users/profile", {"id": other_user.pk, "city": "Puebla"}), 400, "VALIDATION_ERROR")
    assert "id" in error["details"]
    api.patch("users/profile", {"city": "Puebla"})
    assert Profile.objects.get(user=other_user).city == "Oaxaca"
    assert Profile.objects.get(user=user).city == "Puebla"


@pytest.mark.django_db
def test_profile_needs_a_token():
    assert_error(Api().get("users/profile"), 401, "AUTHENTICATION_REQUIRED")
    assert_error(Api().patch("users/profile", {"city": "x"}), 401, "AUTHENTICATION_REQUIRED")


@pytest.mark.django_db
def test_photo_upload_stores_a_reencoded_image(api, user):
    upload = SimpleUploadedFile("foto.png", png_bytes(), content_type="image/png")
    response = api.upload("users/profile/photo", {"photo": upload})
    assert response.status_code == 200, response.content
    url = response.json()["profile"]["photo_url"]
    assert url.startswith("http://testserver/media/profiles/") and url.endswith(".jpg")
    user.profile.refresh_from_db()
    assert user.profile.photo.name.startswith(f"profiles/{user.pk}/")
    with Image.open(user.profile.photo.path) as stored:
        assert stored.format == "JPEG" and stored.size == (40, 30)


@pytest.mark.django_db
def test_photo_errors_use_the_upload_codes(api, settings, user):
    fake = SimpleUploadedFile("foto.png", b"esto no es una imagen", content_type="image/png")
    error = assert_error(api.upload("users/profile/photo", {"photo": fake}), 400, "INVALID_IMAGE_FORMAT")
    assert error["details"]["photo"]

    settings.UPLOAD_IMAGE_MAX_BYTES = 1024
    big = SimpleUploadedFile("grande.png", png_bytes(size=(400, 400), color=(1, 2, 3)) + b"0" * 2048,
                             content_type="image/png")
    assert_error(api.upload("users/profile/photo", {"photo": big}), 400, "IMAGE_TOO_LARGE")

    error = assert_error(api.upload("users/profile/photo", {}), 400, "VALIDATION_ERROR")
    assert "photo" in error["details"]
    assert_error(api.post("users/profile/photo", {"photo": "x"}), 415, "UNSUPPORTED_MEDIA_TYPE")
    user.profile.refresh_from_db()
    assert not user.profile.photo


def test_documented_profile_input_matches_the_service_fields():
    from accounts.api.serializers import ProfileInput, ProfileOutput

    assert set(ProfileInput().fields) == set(PROFILE_FIELDS)
    assert set(PROFILE_FIELDS) <= set(ProfileOutput().fields)


@pytest.mark.django_db
def test_openapi_schema_documents_the_accounts_api(client):
    response = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    schema = response.json()
    for path in ("/api/v1/auth/register", "/api/v1/auth/login", "/api/v1/auth/refresh", "/api/v1/users/profile",
                 "/api/v1/users/notifications", "/api/v1/users/notifications/{id}/read"):
        assert path in schema["paths"], path
    login = schema["paths"]["/api/v1/auth/login"]["post"]
    assert "requestBody" in login and {"200", "401", "429"} <= set(login["responses"])
