"""Accounts middleware: user language, consent re-acceptance, websocket authentication."""

from __future__ import annotations

from urllib.parse import parse_qs

from asgiref.sync import sync_to_async
from channels.auth import AuthMiddlewareStack
from channels.db import database_sync_to_async
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme


class UserLanguageMiddleware:
    """A signed-in user's saved language wins over the browser's Accept-Language.

    The language switch posts to Django's ``set_language`` (``/i18n/setlang/``), which only
    sets a cookie; for a signed-in person the choice is also saved on the account (through
    ``accounts.services.profile_update``) so it follows them to other devices and emails.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        authenticated = user is not None and user.is_authenticated
        if authenticated and request.method == "POST" and request.path == reverse("set_language"):
            self._save_choice(request, user)
        if authenticated and user.language and not request.path.startswith("/cms/"):
            translation.activate(user.language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)

    @staticmethod
    def _save_choice(request, user) -> None:
        from django.core.exceptions import ValidationError

        from accounts.services import profile_update

        language = request.POST.get("language", "")
        if language and language != user.language and language in dict(settings.LANGUAGES):
            try:
                profile_update(actor=user, user=user, data={"language": language})
            except ValidationError:  # pragma: no cover - the language was checked above
                pass


CONSENT_EXEMPT_PREFIXES = (
    "/cuenta/consentimiento/",
    "/cuenta/salir/",
    "/accounts/logout/",
    "/legal/",
    "/static/",
    "/media/",
    "/api/",
    "/ws/",
    "/i18n/",
    "/django-admin/",
    "/cms/",
    "/metrics",
)


def redirect_page(request, url: str):
    """Send the browser elsewhere; an htmx request gets ``HX-Redirect`` (a plain 302
    would be followed by htmx and swapped into the page)."""
    if getattr(request, "htmx", False):
        from django.http import HttpResponse

        resp = HttpResponse(status=204)
        resp["HX-Redirect"] = url
        return resp
    return HttpResponseRedirect(url)


class ConsentRequiredMiddleware:
    """When a new privacy-notice version is published, a signed-in user must accept it
    before using the pages (LFPDPPP). The API reports it instead (``consent_required``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and request.method == "GET"
            and not request.path.startswith(CONSENT_EXEMPT_PREFIXES)
        ):
            from accounts.services import consent_privacy_is_current

            if not consent_privacy_is_current(user=user):
                url = reverse("accounts:consent")
                nxt = request.get_full_path()
                if url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
                    url = f"{url}?next={nxt}"
                return redirect_page(request, url)
        return self.get_response(request)


class HtmxMessagesMiddleware:
    """Messages become out-of-band toasts on htmx responses.

    A full page shows them in the layout; an htmx partial has no layout, so the pending
    messages are appended as ``<div id="toasts" hx-swap-oob="beforeend">``. Responses that
    redirect (``HX-Redirect``/``HX-Location``/3xx) keep them for the next page.
    """

    REDIRECT_HEADERS = ("HX-Redirect", "HX-Location", "HX-Refresh")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not getattr(request, "htmx", False) or getattr(response, "streaming", False):
            return response
        if 300 <= response.status_code < 400 or response.status_code == 204:
            return response
        if any(h in response for h in self.REDIRECT_HEADERS):
            return response
        if "text/html" not in response.get("Content-Type", ""):
            return response
        from django.contrib.messages import get_messages
        from django.template.loader import render_to_string

        storage = get_messages(request)
        pending = list(storage)
        if not pending:
            return response
        html = render_to_string("components/toasts.html", {"messages": pending, "oob": True}, request=request)
        response.content = response.content + html.encode(response.charset or "utf-8")
        if response.has_header("Content-Length"):
            response["Content-Length"] = str(len(response.content))
        return response


MFA_EXEMPT_PREFIXES = (
    "/accounts/2fa/",
    "/accounts/logout/",
    "/accounts/reauthenticate/",
    "/cuenta/consentimiento/",
    "/legal/",
    "/static/",
    "/media/",
    "/i18n/",
    "/api/",
    "/ws/",
    "/metrics",
)


def user_needs_totp(user) -> bool:
    """Staff and admin accounts must protect their sign-in with an authenticator app
    (the same service rule the API applies)."""
    from accounts.services import signin_requires_mfa_setup

    return signin_requires_mfa_setup(user=user)


class MFARequiredForAdminsMiddleware:
    """An administrator (``is_staff`` or ``user_type=admin``) without an active TOTP
    authenticator is sent to the activation page, with an explanation, from every page
    except the MFA pages themselves, sign-out, legal/consent pages, static files and i18n."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(MFA_EXEMPT_PREFIXES)
            and user_needs_totp(user)
        ):
            from django.contrib import messages
            from django.utils.translation import gettext as _

            messages.warning(
                request,
                _(
                    "Las cuentas de administración deben usar verificación en dos pasos. "
                    "Activa una app de autenticación para continuar."
                ),
            )
            url = reverse("mfa_activate_totp")
            return redirect_page(request, url)
        return self.get_response(request)


@database_sync_to_async
def _user_from_jwt(raw: str):
    from rest_framework_simplejwt.authentication import JWTAuthentication
    from rest_framework_simplejwt.exceptions import InvalidToken, TokenError

    auth = JWTAuthentication()
    try:
        validated = auth.get_validated_token(raw)
        return auth.get_user(validated)
    except (InvalidToken, TokenError, Exception):  # noqa: BLE001 - any failure means anonymous
        return AnonymousUser()


def _origin_allowed(headers: dict[bytes, bytes]) -> bool | None:
    """None when there is no Origin header; else whether it names one of our hosts."""
    origin = headers.get(b"origin")
    if not origin:
        return None
    from urllib.parse import urlparse

    host = urlparse(origin.decode("latin1")).hostname or ""
    allowed = settings.ALLOWED_HOSTS
    if "*" in allowed:
        return True
    for pattern in allowed:
        pattern = pattern.strip("[]")
        if pattern.startswith(".") and (host == pattern[1:] or host.endswith(pattern)):
            return True
        if host == pattern:
            return True
    return False


class JWTOrSessionAuthMiddleware:
    """Authenticate a websocket.

    * Mobile: a JWT in ``?token=`` or ``Authorization: Bearer``; no Origin needed (apps send none).
    * Browser: the session cookie, accepted only when the Origin is one of our hosts, so
      another site cannot open a socket with the visitor's cookie.
    """

    def __init__(self, inner):
        self.inner = inner
        self.session_stack = AuthMiddlewareStack(inner)

    async def __call__(self, scope, receive, send):
        headers = dict(scope.get("headers", []))
        token = ""
        auth_header = headers.get(b"authorization", b"").decode("latin1")
        if auth_header.lower().startswith("bearer "):
            token = auth_header[7:].strip()
        if not token:
            qs = parse_qs(scope.get("query_string", b"").decode("latin1"))
            token = (qs.get("token") or [""])[0]
        origin_ok = _origin_allowed(headers)
        if origin_ok is False:
            scope = dict(scope, user=AnonymousUser(), auth_error="origin")
            return await self.inner(scope, receive, send)
        if token:
            user = await _user_from_jwt(token)
            scope = dict(scope, user=user, auth_method="jwt")
            return await self.inner(scope, receive, send)
        if origin_ok:
            scope = dict(scope, auth_method="session")
            return await self.session_stack(scope, receive, send)
        scope = dict(scope, user=AnonymousUser())
        return await self.inner(scope, receive, send)


__all__ = [
    "UserLanguageMiddleware",
    "ConsentRequiredMiddleware",
    "HtmxMessagesMiddleware",
    "MFARequiredForAdminsMiddleware",
    "JWTOrSessionAuthMiddleware",
    "sync_to_async",
]
