"""The error envelope as a client meets it: missing fields, bad JSON, wrong content
types, hostile bodies on every sign-in endpoint, request ids and languages."""

import json

import pytest

from tests.accounts import Api, assert_error

AUTH_ENDPOINTS = [
    "auth/register",
    "auth/login",
    "auth/mfa/verify",
    "auth/refresh",
    "auth/logout",
    "auth/password/forgot",
    "auth/password/reset",
]
ALL_FIELDS = [
    "email", "password", "first_name", "last_name", "user_type", "accept_privacy", "accept_terms",
    "accept_marketing", "language", "profile", "mfa_token", "code", "refresh_token", "token", "new_password",
]
MEGA = "x" * 1_000_000


def _body(**fields) -> bytes:
    return json.dumps(fields).encode()


MALFORMED_BODIES = {
    "empty": b"",
    "null": b"null",
    "list": b"[]",
    "number": b"123",
    "string": b'"hola"',
    "true": b"true",
    "empty object": b"{}",
    "truncated": b"{",
    "trailing comma": b'{"email": "a@b.mx",}',
    "NaN": b'{"email": NaN}',
    "not utf-8": b'{"email": "\xff\xfe"}',
    "huge strings": _body(**{f: MEGA for f in ALL_FIELDS}),
    "huge profile string": _body(email="a@b.mx", password="Sup3r#Segura", accept_privacy=True, accept_terms=True,
                                 profile={"bio": MEGA, "city": MEGA}),
    "wrong types": _body(email=123, password=["a"], first_name={"a": 1}, user_type=7, accept_privacy="tal vez",
                         accept_terms=None, language=5, profile=[1, 2], mfa_token=5, code=None, refresh_token={"a": 1},
                         token=True, new_password=1.5),
    "wrong profile types": _body(email="tipos@example.mx", password="Sup3r#Segura", accept_privacy=True,
                                 accept_terms=True, profile={"height_cm": "abc", "date_of_birth": [1], "allergies": 5,
                                                             "state": {"a": 1}, "sex": 3, "weight_kg": True}),
    "unicode": _body(email="ñandú@ejemplo.mx", password="Contraseña🔥#1", first_name="José 🌮", last_name="\u202e",
                     refresh_token="ñ", mfa_token="ñ", code="１２３４５６", token="ñ-ñ", new_password="Ññ1#ñññññ",
                     accept_privacy=True, accept_terms=True),
    "null characters": _body(email="a\x00@b.mx", password="\x00", refresh_token="\x00", token="\x00-\x00",
                             profile={"city": "a\x00"}, accept_privacy=True, accept_terms=True),
    "nested objects": _body(**{f: {"a": {"b": [1, {"c": None}]}} for f in ALL_FIELDS}),
    "deeply nested array": b"[" * 100_000,
    "deeply nested object": b'{"a":' * 50_000,
}


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", AUTH_ENDPOINTS)
def test_malformed_bodies_never_crash_and_always_get_the_envelope(settings, endpoint):
    settings.API_RATE_LIMITS_ENABLED = False
    api = Api(ip="10.20.0.1")
    for label, body in MALFORMED_BODIES.items():
        response = api.post(endpoint, raw=body)
        assert response.status_code < 500, (endpoint, label, response.content[:300])
        if response.status_code < 400:  # e.g. a well-formed email for password/forgot
            continue
        error = response.json()["error"]
        assert error["code"] and error["message"], (endpoint, label)
        assert error["request_id"] == response["X-Request-ID"], (endpoint, label)


@pytest.mark.django_db
def test_missing_fields_are_listed_in_details():
    error = assert_error(Api().post("auth/register", {}), 400, "VALIDATION_ERROR")
    assert {"email", "password", "accept_privacy", "accept_terms"} <= set(error["details"])
    assert error["details"]["email"] == ["Este campo es requerido."]
    error = assert_error(Api().post("auth/login", {"email": "a@b.mx"}), 400, "VALIDATION_ERROR")
    assert list(error["details"]) == ["password"]


@pytest.mark.django_db
def test_malformed_json_is_malformed_request():
    error = assert_error(Api().post("auth/login", raw=b'{"email": '), 400, "MALFORMED_REQUEST")
    assert error["message"] == "El cuerpo de la solicitud no es JSON válido."
    assert_error(Api().post("auth/login", raw=b"[" * 100_000), 400, "MALFORMED_REQUEST")


@pytest.mark.django_db
def test_wrong_content_type_is_unsupported_media_type():
    response = Api().post("auth/login", raw=b"email=a@b.mx", content_type="text/plain")
    assert_error(response, 415, "UNSUPPORTED_MEDIA_TYPE")
    # A JSON body sent to the photo upload is refused the same way.
    response = Api().post("auth/login", raw=b"<xml/>", content_type="application/xml")
    assert_error(response, 415, "UNSUPPORTED_MEDIA_TYPE")


@pytest.mark.django_db
def test_wrong_method_and_missing_credentials():
    assert_error(Api().get("auth/login"), 405, "METHOD_NOT_ALLOWED")
    response = Api().get("users/profile")
    assert_error(response, 401, "AUTHENTICATION_REQUIRED")
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.django_db
def test_request_id_is_echoed_in_header_and_body():
    response = Api().post("auth/login", {}, HTTP_X_REQUEST_ID="movil-abc-123456")
    error = assert_error(response, 400, "VALIDATION_ERROR")
    assert error["request_id"] == "movil-abc-123456" == response["X-Request-ID"]
    # An unsafe incoming id is replaced by our own.
    response = Api().post("auth/login", {}, HTTP_X_REQUEST_ID="<script>")
    assert assert_error(response, 400, "VALIDATION_ERROR")["request_id"].startswith("req_")


@pytest.mark.django_db
def test_messages_follow_accept_language_and_the_users_language(make_user, password):
    english = Api(lang="en").post("auth/login", {"email": "a@b.mx"})
    assert assert_error(english, 400, "VALIDATION_ERROR")["details"]["password"] == ["This field is required."]
    assert english["Content-Language"] == "en"
    spanish = Api().post("auth/login", {"email": "a@b.mx"})
    assert assert_error(spanish, 400, "VALIDATION_ERROR")["details"]["password"] == ["Este campo es requerido."]

    # A signed-in user's saved language wins, whatever the device says.
    person = make_user(language="en")
    api = Api(ip="10.21.0.1")
    api.login(person.email, password)
    api.lang = "es-MX"
    error = assert_error(api.patch("users/profile", {"height_cm": "abc"}), 400, "VALIDATION_ERROR")
    assert error["details"]["height_cm"] == ["“abc” value must be a decimal number."]


@pytest.mark.django_db
def test_the_api_sets_no_cookies(user, password):
    """allauth's flows add flash messages; a JSON client must not get a messages or session cookie."""
    from tests.accounts.test_api_auth import register_payload

    api = Api(ip="10.22.0.1")
    responses = [
        api.post("auth/register", register_payload()),
        api.post("auth/login", {"email": user.email, "password": password}),
        api.post("auth/password/forgot", {"email": user.email}),
        api.post("auth/password/reset", {"token": "1-abc", "new_password": "Nuev4#Segura"}),
    ]
    assert [r.status_code for r in responses] == [201, 200, 200, 400]
    for response in responses:
        assert not response.cookies, response.cookies.output()
