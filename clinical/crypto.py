"""Field-level encryption of clinical data with versioned keys.

Every encrypted value is stored as ``enc:<version>:<Fernet token>``. The keys come from
``CLINICAL_ENCRYPTION_KEYS`` (``"v2:<key>,v1:<key>"``, newest first): new values are written
with the first key, values written with any listed key still read, so a deployment adds a
new key in front, restarts, and runs ``manage.py rotate_clinical_keys`` while the site keeps
serving; once it reports zero rows on old keys the old key can be dropped.

A key is either a Fernet key (urlsafe base64 of 32 bytes) or any passphrase, which is
stretched with SHA-256. Without the setting one key ``v1`` is derived from
``FIELD_ENCRYPTION_KEY`` so the embedded default works out of the box.
"""

from __future__ import annotations

import base64
import hashlib
import json
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

PREFIX = "enc:"


def _fernet_key(raw: str) -> bytes:
    try:
        decoded = base64.urlsafe_b64decode(raw.encode())
        if len(decoded) == 32:
            return raw.encode()
    except (ValueError, TypeError):
        pass
    return base64.urlsafe_b64encode(hashlib.sha256(raw.encode()).digest())


@lru_cache(maxsize=8)
def _keyring(spec: str) -> tuple[str, dict[str, Fernet]]:
    keys: dict[str, Fernet] = {}
    current = ""
    for part in [p.strip() for p in spec.split(",") if p.strip()]:
        version, sep, secret = part.partition(":")
        if not sep or not version or not secret or ":" in version:
            raise ImproperlyConfigured("CLINICAL_ENCRYPTION_KEYS must look like 'v2:<key>,v1:<key>'.")
        if version in keys:
            raise ImproperlyConfigured(f"CLINICAL_ENCRYPTION_KEYS repeats version {version!r}.")
        keys[version] = Fernet(_fernet_key(secret))
        current = current or version
    if not keys:
        raise ImproperlyConfigured("CLINICAL_ENCRYPTION_KEYS is empty.")
    return current, keys


def keyring() -> tuple[str, dict[str, Fernet]]:
    """``(current_version, {version: Fernet})`` from settings."""
    spec = getattr(settings, "CLINICAL_ENCRYPTION_KEYS", "") or f"v1:{settings.FIELD_ENCRYPTION_KEY}"
    return _keyring(spec)


def current_version() -> str:
    return keyring()[0]


def encrypt(text: str) -> str:
    version, keys = keyring()
    token = keys[version].encrypt(text.encode("utf-8")).decode("ascii")
    return f"{PREFIX}{version}:{token}"


def version_of(stored: str | None) -> str | None:
    """The key version of a stored value (None for empty or legacy plaintext)."""
    if not stored or not stored.startswith(PREFIX):
        return None
    return stored[len(PREFIX):].split(":", 1)[0]


def decrypt(stored: str) -> str:
    if not stored.startswith(PREFIX):
        return stored  # plaintext written before the field was encrypted; rotation encrypts it
    version, _sep, token = stored[len(PREFIX):].partition(":")
    _current, keys = keyring()
    fernet = keys.get(version)
    if fernet is None:
        raise ImproperlyConfigured(f"No key {version!r} in CLINICAL_ENCRYPTION_KEYS to read clinical data.")
    try:
        return fernet.decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken as exc:
        raise ImproperlyConfigured(f"Clinical data under key {version!r} does not decrypt with that key.") from exc


class EncryptedTextField(models.TextField):
    """A text value encrypted at rest. Not searchable or orderable by content, by design."""

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt(value)

    def to_python(self, value):
        if isinstance(value, str) and value.startswith(PREFIX):
            return decrypt(value)
        return value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(str(value))


class EncryptedJSONField(models.TextField):
    """A JSON value (list or dict) encrypted at rest."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return self.get_default()
        return json.loads(decrypt(value))

    def to_python(self, value):
        if isinstance(value, str):
            if value.startswith(PREFIX):
                value = decrypt(value)
            return json.loads(value) if value else self.get_default()
        return value

    def get_prep_value(self, value):
        if value is None:
            return None
        return encrypt(json.dumps(value, ensure_ascii=False, sort_keys=True))

    def value_to_string(self, obj):
        return json.dumps(self.value_from_object(obj), ensure_ascii=False)


def encrypted_fields(model) -> list[str]:
    return [
        f.attname for f in model._meta.concrete_fields if isinstance(f, (EncryptedTextField, EncryptedJSONField))
    ]
