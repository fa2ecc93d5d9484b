"""What the social pages share: telling an htmx request from a full page load, and the
messages of a service's ValidationError for a form or a toast."""

from __future__ import annotations

from django.core.exceptions import ValidationError


def is_htmx(request) -> bool:
    """An htmx request that wants a partial (a history restore wants the whole page)."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request


def error_messages(exc: ValidationError) -> list[str]:
    """Every message of a ValidationError, field errors flattened in order."""
    if hasattr(exc, "error_dict"):
        return [m for msgs in exc.message_dict.values() for m in msgs]
    return list(exc.messages)
