"""Tests of the accounts app. ``Api`` is the small JSON client the API tests share."""

from __future__ import annotations

import json
import re
import time

from django.test import Client

API = "/api/v1/"


class Api:
    """A JSON client for /api/v1/ from one client IP, optionally with a bearer token."""

    def __init__(self, ip: str = "10.0.0.1", token: str | None = None, lang: str | None = None):
        self.ip = ip
        self.token = token
        self.lang = lang
        self.client = Client(REMOTE_ADDR=ip)

    def _headers(self, extra: dict) -> dict:
        headers = {}
        if self.token:
            headers["HTTP_AUTHORIZATION"] = f"Bearer {self.token}"
        if self.lang:
            headers["HTTP_ACCEPT_LANGUAGE"] = self.lang
        headers.update(extra)
        return headers

    def call(self, method: str, path: str, data=None, *, raw: bytes | str | None = None,
             content_type: str = "application/json", **extra):
        body = raw if raw is not None else (json.dumps(data) if data is not None else "")
        return self.client.generic(method, API + path, data=body, content_type=content_type,
                                   **self._headers(extra))

    def get(self, path: str, params: dict | None = None, **extra):
        return self.client.get(API + path, params or {}, **self._headers(extra))

    def post(self, path: str, data=None, **kw):
        return self.call("POST", path, data, **kw)

    def patch(self, path: str, data=None, **kw):
        return self.call("PATCH", path, data, **kw)

    def put(self, path: str, data=None, **kw):
        return self.call("PUT", path, data, **kw)

    def upload(self, path: str, files: dict, **extra):
        return self.client.post(API + path, files, **self._headers(extra))

    def login(self, email: str, password: str) -> dict:
        response = self.post("auth/login", {"email": email, "password": password})
        assert response.status_code == 200, response.content
        body = response.json()
        self.token = body["tokens"]["access_token"]
        return body


def assert_error(response, status: int, code: str) -> dict:
    """The response is the error envelope with this status and code; returns ``error``."""
    assert response.status_code == status, (response.status_code, response.content[:500])
    assert response["Content-Type"].startswith("application/json")
    error = response.json()["error"]
    assert error["code"] == code, error
    assert error["message"]
    assert isinstance(error["details"], dict)
    assert error["timestamp"]
    assert error["request_id"] and error["request_id"] == response["X-Request-ID"]
    return error


def totp_code(secret: str, offset: int = 0) -> str:
    """The code an authenticator app shows now (allauth's own HOTP functions)."""
    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    counter = int(time.time()) // app_settings.TOTP_PERIOD + offset
    return format_hotp_value(hotp_value(secret, counter))


def enable_totp(user, with_recovery_codes: bool = True) -> tuple[str, list[str]]:
    """Give the user an authenticator app (and recovery codes): (secret, codes)."""
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    codes = RecoveryCodes.activate(user).generate_codes() if with_recovery_codes else []
    return secret, codes


def link_in_mail(message, pattern: str) -> re.Match:
    match = re.search(pattern, message.body)
    assert match, message.body
    return match
