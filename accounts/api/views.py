"""Accounts JSON API for the mobile app: sign-up, sign-in with JWT (and TOTP), token
renewal, password reset, the profile and the notifications inbox.

Views parse input, call ``accounts.services`` / ``accounts.selectors`` and shape the
answer; errors leave through ``config.api.exception_handler`` (the seed 003 envelope).
Token mechanics (JWT pair, the short-lived MFA token) are the API's transport and live
here; who may sign in is decided by the services the web pages use too.
"""

from __future__ import annotations

import logging

from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.http import QueryDict
from django.utils import translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, PolymorphicProxySerializer, extend_schema
from rest_framework import parsers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework_simplejwt.exceptions import TokenBackendError, TokenBackendExpiredToken, TokenError
from rest_framework_simplejwt.serializers import TokenRefreshSerializer
from rest_framework_simplejwt.settings import api_settings as jwt_settings
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken

from accounts import selectors, services
from accounts.api import serializers as s
from accounts.models import AuditEvent
from config.api import ApiError, ApiView, PagePagination, error_responses

logger = logging.getLogger(__name__)

MFA_TOKEN_SALT = "accounts.api.mfa-login"  # noqa: S105 - a signing salt, not a secret
MFA_TOKEN_MAX_AGE = 300  # seconds


# ---------------------------------------------------------------------------------------
# helpers


class AnonymousApiView(ApiView):
    """Sign-in endpoints: no credentials read (a stale bearer token must not get in the
    way), limits counted per client IP."""

    authentication_classes: list = []
    permission_classes = [AllowAny]


class UserApiView(ApiView):
    permission_classes = [IsAuthenticated]


def _django_request(request):
    return getattr(request, "_request", request)


def _validated(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _json_object(data) -> dict:
    """The request body as a plain dict, or a VALIDATION_ERROR for a list, number, null..."""
    if isinstance(data, QueryDict):
        return data.dict()
    if not isinstance(data, dict):
        raise ApiError(
            "VALIDATION_ERROR",
            _("Revisa los datos enviados."),
            details={"non_field_errors": [_("Envía un objeto JSON.")]},
        )
    return data


def _refused(exc: services.SignInRefused) -> ApiError:
    details = {"retry_after": exc.retry_after} if exc.retry_after else {}
    error = ApiError(exc.code, exc.message, status_code=exc.status, details=details)
    if exc.retry_after:
        error.wait = exc.retry_after  # DRF adds Retry-After
    return error


def _coded(exc: DjangoValidationError, rules: list[tuple[str, str | None, str, str | None]]) -> ApiError:
    """A service's ValidationError as the envelope: the first rule whose field (and, if
    given, field error code) is present names the top-level code; details keep every field."""
    if not hasattr(exc, "error_dict"):
        return ApiError("VALIDATION_ERROR", _("Revisa los datos enviados."), details={"non_field_errors": exc.messages})
    details = exc.message_dict
    for field, field_code, api_code, message in rules:
        errors = exc.error_dict.get(field) or []
        if errors and (field_code is None or any(e.code == field_code for e in errors)):
            return ApiError(api_code, message or details[field][0], details=details)
    return ApiError("VALIDATION_ERROR", _("Revisa los datos enviados."), details=details)


def _weak_password_message() -> str:
    return _("La contraseña no cumple los requisitos de seguridad.")


def _tokens(refresh: RefreshToken | str, access: str | None = None) -> dict:
    if isinstance(refresh, RefreshToken):
        access = str(refresh.access_token)
    return {
        "access_token": access,
        "refresh_token": str(refresh),
        "token_type": "Bearer",
        "expires_in": int(jwt_settings.ACCESS_TOKEN_LIFETIME.total_seconds()),
    }


def _user_payload(request, user) -> dict:
    fresh = selectors.user_account_get(user_id=user.pk)
    return s.UserOutput(fresh, context={"request": request}).data


def _signed_in(request, user) -> dict:
    """Finish a sign-in: last_login, audit event, a new JWT pair."""
    services.signin_complete(user=user, request=_django_request(request), via="api")
    return {"user": _user_payload(request, user), "tokens": _tokens(RefreshToken.for_user(user))}


def _mfa_fingerprint(user) -> str:
    # Changes when the password changes or the user signs in, so a token works once.
    return salted_hmac(MFA_TOKEN_SALT, f"{user.pk}|{user.password}|{user.last_login}").hexdigest()[:24]


def _mfa_token_make(user) -> str:
    return signing.dumps({"u": user.pk, "f": _mfa_fingerprint(user)}, salt=MFA_TOKEN_SALT)


def _mfa_token_user(token: str):
    invalid = ApiError(
        "MFA_TOKEN_INVALID",
        _("La verificación en dos pasos expiró o no es válida. Inicia sesión de nuevo."),
        status_code=status.HTTP_401_UNAUTHORIZED,
    )
    try:
        data = signing.loads(token, salt=MFA_TOKEN_SALT, max_age=MFA_TOKEN_MAX_AGE)
    except signing.BadSignature:
        raise invalid
    if not isinstance(data, dict):
        raise invalid
    user = get_user_model().objects.filter(pk=data.get("u")).first()
    if user is None or not constant_time_compare(str(data.get("f", "")), _mfa_fingerprint(user)):
        raise invalid
    return user


def _mfa_methods(user) -> list[str]:
    from allauth.mfa.models import Authenticator

    types = set(Authenticator.objects.filter(user=user).values_list("type", flat=True))
    methods = ["totp"]
    if Authenticator.Type.RECOVERY_CODES in types:
        methods.append("recovery_codes")
    return methods


def _decode_refresh(raw: str) -> tuple[dict | None, str]:
    """Verify a refresh token's signature, expiry and type: (payload, "ok"|"expired"|"invalid")."""
    from rest_framework_simplejwt.state import token_backend

    try:
        payload = token_backend.decode(raw, verify=True)
    except TokenBackendExpiredToken:
        return None, "expired"
    except TokenBackendError:
        return None, "invalid"
    if (
        not isinstance(payload, dict)
        or payload.get(jwt_settings.TOKEN_TYPE_CLAIM) != "refresh"
        or not payload.get(jwt_settings.JTI_CLAIM)
    ):
        return None, "invalid"
    return payload, "ok"


def _token_error(state: str) -> ApiError:
    if state == "expired":
        return ApiError("TOKEN_EXPIRED", _("Tu sesión expiró. Inicia sesión de nuevo."), status_code=401)
    return ApiError("INVALID_TOKEN", _("Token inválido."), status_code=401)


# ---------------------------------------------------------------------------------------
# auth

AUTH_TAG = ["auth"]


class RegisterView(AnonymousApiView):
    rate_limit_scope = "auth_register"

    @extend_schema(
        tags=AUTH_TAG,
        summary="Crear una cuenta",
        description=(
            "Crea la cuenta (paciente o nutriólogo/a), su perfil y los consentimientos, envía el "
            "correo de confirmación y devuelve el usuario y un par JWT. Errores: EMAIL_TAKEN, "
            "WEAK_PASSWORD (details.password lista cada regla incumplida), VALIDATION_ERROR."
        ),
        request=s.RegisterInput,
        responses={201: s.AuthOutput, **error_responses(400, 415, 429)},
    )
    def post(self, request):
        data = _validated(s.RegisterInput, request)
        dj = _django_request(request)
        registration = services.Registration(
            email=data["email"],
            password=data["password"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            user_type=data["user_type"],
            accept_privacy=data["accept_privacy"],
            accept_terms=data["accept_terms"],
            accept_marketing=data["accept_marketing"],
            profile=data.get("profile") or None,
            language=data.get("language") or translation.get_language() or "",
        )
        try:
            user = services.user_register(registration=registration, request=dj)
        except DjangoValidationError as exc:
            raise _coded(
                exc,
                [
                    ("email", "email_taken", "EMAIL_TAKEN", None),
                    ("password", None, "WEAK_PASSWORD", _weak_password_message()),
                ],
            )
        try:
            services.email_verification_send(user=user, request=dj, signup=True)
        except Exception:  # the account exists; signing in sends the link again
            logger.exception("verification email failed for user %s", user.pk)
        body = {"user": _user_payload(request, user), "tokens": _tokens(RefreshToken.for_user(user))}
        return Response(body, status=status.HTTP_201_CREATED)


class LoginView(AnonymousApiView):
    rate_limit_scope = "auth_login"

    @extend_schema(
        tags=AUTH_TAG,
        summary="Iniciar sesión",
        description=(
            "Con la contraseña correcta devuelve el usuario y un par JWT, o bien "
            "`mfa_required` con un `mfa_token` (5 min) si la cuenta tiene app de autenticación. "
            "Errores: INVALID_CREDENTIALS (401), ACCOUNT_BANNED (403, con el motivo), "
            "EMAIL_NOT_VERIFIED (403, reenvía el enlace), MFA_SETUP_REQUIRED (403, personal sin 2FA), "
            "RATE_LIMIT_EXCEEDED (429: 5 por minuto por IP, o 5 fallos en 15 minutos por cuenta o IP)."
        ),
        request=s.LoginInput,
        responses={
            200: OpenApiResponse(
                PolymorphicProxySerializer(
                    component_name="LoginOutput",
                    serializers=[s.AuthOutput, s.MfaRequiredOutput],
                    resource_type_field_name=None,
                ),
                description="Sesión iniciada (user + tokens) o segundo paso pendiente (mfa_required).",
            ),
            **error_responses(400, 401, 403, 415, 429),
        },
    )
    def post(self, request):
        data = _validated(s.LoginInput, request)
        dj = _django_request(request)
        try:
            user = services.signin_authenticate(request=dj, email=data["email"], password=data["password"])
        except services.SignInRefused as exc:
            raise _refused(exc)
        try:
            services.signin_check(user=user)
        except services.SignInRefused as exc:
            if exc.code == "EMAIL_NOT_VERIFIED":
                services.email_verification_send(user=user, request=dj)
            raise _refused(exc)
        if selectors.user_mfa_enabled(user=user):
            return Response({"mfa_required": True, "mfa_token": _mfa_token_make(user), "methods": _mfa_methods(user)})
        if services.signin_requires_mfa_setup(user=user):
            raise ApiError(
                "MFA_SETUP_REQUIRED",
                _("Las cuentas del personal necesitan verificación en dos pasos. Actívala en la página de seguridad del sitio web."),
                status_code=status.HTTP_403_FORBIDDEN,
            )
        return Response(_signed_in(request, user))


class MfaVerifyView(AnonymousApiView):
    rate_limit_scope = "auth_mfa"

    @extend_schema(
        tags=AUTH_TAG,
        summary="Segundo paso: código de la app o de recuperación",
        description="Errores: MFA_TOKEN_INVALID (401), INVALID_MFA_CODE (401), RATE_LIMIT_EXCEEDED (429).",
        request=s.MfaVerifyInput,
        responses={200: s.AuthOutput, **error_responses(400, 401, 403, 429)},
    )
    def post(self, request):
        data = _validated(s.MfaVerifyInput, request)
        user = _mfa_token_user(data["mfa_token"])
        try:
            services.signin_check(user=user)
            services.mfa_code_verify(user=user, code=data["code"], request=_django_request(request))
        except services.SignInRefused as exc:
            raise _refused(exc)
        return Response(_signed_in(request, user))


class RefreshView(AnonymousApiView):
    rate_limit_scope = "auth_refresh"

    @extend_schema(
        tags=AUTH_TAG,
        summary="Renovar tokens (rotación)",
        description=(
            "Devuelve un par nuevo; el refresh_token usado queda revocado. Errores (401): TOKEN_EXPIRED, "
            "INVALID_TOKEN, TOKEN_REVOKED (reuso de un token ya rotado o cerrado; queda en la bitácora), "
            "ACCOUNT_DISABLED; 403 EMAIL_NOT_VERIFIED."
        ),
        request=s.RefreshInput,
        responses={200: s.TokensOnlyOutput, **error_responses(400, 401, 403, 429)},
    )
    def post(self, request):
        data = _validated(s.RefreshInput, request)
        raw = data["refresh_token"]
        payload, state = _decode_refresh(raw)
        if payload is None:
            raise _token_error(state)
        user = get_user_model().objects.filter(pk=payload.get(jwt_settings.USER_ID_CLAIM)).first()
        if user is None:
            raise _token_error("invalid")
        if not services.jwt_user_can_authenticate(user):
            raise ApiError(
                "ACCOUNT_DISABLED",
                services.login_refusal_reason(user) or _("Esta cuenta ya no está activa."),
                status_code=status.HTTP_401_UNAUTHORIZED,
            )
        jti = payload[jwt_settings.JTI_CLAIM]
        new: dict = {}
        try:
            with transaction.atomic():
                # Lock the token row so two concurrent renewals cannot both rotate it.
                OutstandingToken.objects.select_for_update().filter(jti=jti).first()
                revoked = BlacklistedToken.objects.filter(token__jti=jti).exists()
                if not revoked:
                    services.signin_check(user=user)
                    serializer = TokenRefreshSerializer(data={"refresh": raw})
                    serializer.is_valid(raise_exception=True)
                    new = serializer.validated_data
        except services.SignInRefused as exc:
            raise _refused(exc)
        except TokenError:
            raise _token_error("invalid")
        if revoked:
            # A rotated token coming back means it may have been stolen: end every session
            # of the app for this user (the whole token family), not just refuse this one.
            revoked_count = services.user_refresh_tokens_revoke(user=user)
            services.audit_log(
                kind=AuditEvent.Kind.TOKEN_REUSE,
                user=user,
                request=_django_request(request),
                data={"jti": jti, "revoked_tokens": revoked_count},
            )
            raise ApiError(
                "TOKEN_REVOKED",
                _("Este token de renovación ya se usó o se cerró la sesión. Inicia sesión de nuevo."),
                status_code=status.HTTP_401_UNAUTHORIZED,
            )
        return Response({"tokens": _tokens(new["refresh"], new["access"])})


class LogoutView(AnonymousApiView):
    @extend_schema(
        tags=AUTH_TAG,
        summary="Cerrar sesión (revocar el refresh_token)",
        description=(
            "204 aunque el token ya estuviera revocado o expirado (idempotente); "
            "401 INVALID_TOKEN si no es un refresh_token nuestro."
        ),
        request=s.RefreshInput,
        responses={204: None, **error_responses(400, 401, 429)},
    )
    def post(self, request):
        data = _validated(s.RefreshInput, request)
        payload, state = _decode_refresh(data["refresh_token"])
        if state == "invalid":
            raise _token_error(state)
        if payload is not None:  # an expired token is already useless
            token = RefreshToken(data["refresh_token"], verify=False)  # signature checked above
            _entry, created = token.blacklist()
            if created:
                user = get_user_model().objects.filter(pk=payload.get(jwt_settings.USER_ID_CLAIM)).first()
                services.audit_log(
                    kind=AuditEvent.Kind.LOGOUT, user=user, request=_django_request(request), data={"via": "api"}
                )
        return Response(status=status.HTTP_204_NO_CONTENT)


class PasswordForgotView(AnonymousApiView):
    rate_limit_scope = "auth_password"

    @extend_schema(
        tags=AUTH_TAG,
        summary="Pedir el correo para restablecer la contraseña",
        description="Siempre 200 con el mismo mensaje (no revela si la cuenta existe).",
        request=s.ForgotPasswordInput,
        responses={200: s.MessageOutput, **error_responses(400, 429)},
    )
    def post(self, request):
        data = _validated(s.ForgotPasswordInput, request)
        try:
            services.password_reset_request(email=data["email"], request=_django_request(request))
        except DjangoValidationError as exc:
            raise _coded(exc, [])
        except services.SignInRefused as exc:
            raise _refused(exc)
        return Response({"message": _("Si el email existe, recibirás instrucciones para restablecer tu contraseña")})


class PasswordResetView(AnonymousApiView):
    rate_limit_scope = "auth_password"

    @extend_schema(
        tags=AUTH_TAG,
        summary="Restablecer la contraseña con la clave del correo",
        description=(
            "`token` es la parte final del enlace del correo (`<uidb36>-<key>`), de un solo uso y válida 1 hora. "
            "Revoca todos los refresh_token. Errores: INVALID_RESET_TOKEN, WEAK_PASSWORD."
        ),
        request=s.ResetPasswordInput,
        responses={200: s.MessageOutput, **error_responses(400, 429)},
    )
    def post(self, request):
        data = _validated(s.ResetPasswordInput, request)
        try:
            services.password_reset_confirm(
                token=data["token"], new_password=data["new_password"], request=_django_request(request)
            )
        except DjangoValidationError as exc:
            raise _coded(
                exc,
                [
                    ("token", None, "INVALID_RESET_TOKEN", None),
                    ("new_password", None, "WEAK_PASSWORD", _weak_password_message()),
                ],
            )
        return Response({"message": _("Contraseña restablecida exitosamente")})


# ---------------------------------------------------------------------------------------
# profile

USERS_TAG = ["users"]


class ProfileView(UserApiView):
    @extend_schema(tags=USERS_TAG, summary="Mi cuenta y perfil", responses={200: s.UserOutput, **error_responses(401)})
    def get(self, request):
        return Response(_user_payload(request, request.user))

    @extend_schema(
        tags=USERS_TAG,
        summary="Actualizar cuenta y perfil",
        description=(
            "Cualquier subconjunto de campos; los del perfil pueden ir planos o dentro de `profile`. "
            "Si un campo no es válido no se guarda nada (400 VALIDATION_ERROR con details por campo)."
        ),
        request=s.ProfileUpdateInput,
        responses={200: s.UserOutput, **error_responses(400, 401, 415)},
    )
    def patch(self, request):
        body = dict(_json_object(request.data))
        nested = body.pop("profile", None)
        if nested is not None and not isinstance(nested, dict):
            raise ApiError(
                "VALIDATION_ERROR", _("Revisa los datos enviados."), details={"profile": [_("Envía un objeto JSON.")]}
            )
        body.update(nested or {})
        services.profile_update(actor=request.user, user=request.user, data=body)
        return Response(_user_payload(request, request.user))

    @extend_schema(
        tags=USERS_TAG,
        summary="Eliminar mi cuenta (cancelación ARCO)",
        description=(
            'Cuerpo: `{"confirmation": "DELETE_MY_ACCOUNT", "password": "..."}`. La cuenta se anonimiza, '
            "se cierran sus sesiones y se revocan sus tokens. Errores: CONFIRMATION_REQUIRED (400), "
            "INVALID_PASSWORD (400)."
        ),
        request=s.AccountDeleteInput,
        responses={204: None, **error_responses(400, 401)},
    )
    def delete(self, request):
        body = _json_object(request.data)
        if body.get("confirmation") != "DELETE_MY_ACCOUNT":
            raise ApiError(
                "CONFIRMATION_REQUIRED",
                _('Envía "confirmation": "DELETE_MY_ACCOUNT" para confirmar.'),
                details={"confirmation": [_("Debe ser DELETE_MY_ACCOUNT.")]},
            )
        password = body.get("password")
        try:
            services.account_delete_self(
                user=request.user, password=password if isinstance(password, str) else "",
                request=_django_request(request),
            )
        except DjangoValidationError as exc:
            raise _coded(exc, [("password", "invalid_password", "INVALID_PASSWORD", None)])
        return Response(status=status.HTTP_204_NO_CONTENT)


class ProfilePhotoView(UserApiView):
    parser_classes = [parsers.MultiPartParser, parsers.FormParser]

    @extend_schema(
        tags=USERS_TAG,
        summary="Subir la foto de perfil",
        description="multipart/form-data con `photo`. Errores: INVALID_IMAGE_FORMAT, IMAGE_TOO_LARGE.",
        request={"multipart/form-data": s.PhotoInput},
        responses={200: s.UserOutput, **error_responses(400, 401, 415)},
    )
    def post(self, request):
        upload = request.FILES.get("photo")
        if upload is None:
            raise ApiError(
                "VALIDATION_ERROR", _("Revisa los datos enviados."), details={"photo": [_("Adjunta una imagen.")]}
            )
        try:
            services.profile_photo_set(actor=request.user, user=request.user, upload=upload)
        except DjangoValidationError as exc:
            code = getattr(exc, "code", None) or "VALIDATION_ERROR"
            raise ApiError(code if code.isupper() else "VALIDATION_ERROR", exc.messages[0], details={"photo": exc.messages})
        return Response(_user_payload(request, request.user))


# ---------------------------------------------------------------------------------------
# notifications

NOTIF_TAG = ["notifications"]


def _flag(value) -> bool:
    return str(value or "").strip().lower() in {"1", "true", "yes", "si", "sí"}


class NotificationListView(UserApiView):
    @extend_schema(
        tags=NOTIF_TAG,
        summary="Mis notificaciones (más recientes primero)",
        parameters=[
            OpenApiParameter("unread", bool, description="true: solo no leídas"),
            OpenApiParameter("page", int),
            OpenApiParameter("limit", int, description="1-100, 20 por omisión"),
        ],
        responses={200: s.NotificationPageOutput, **error_responses(400, 401)},
    )
    def get(self, request):
        qs = selectors.notification_list(user=request.user, unread_only=_flag(request.query_params.get("unread")))
        paginator = PagePagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response([services.notification_payload(n) for n in page])


class NotificationUnreadCountView(UserApiView):
    @extend_schema(tags=NOTIF_TAG, summary="Cuántas no leídas", responses={200: s.UnreadCountOutput, **error_responses(401)})
    def get(self, request):
        return Response({"unread_count": selectors.notification_unread_count(user=request.user)})


class NotificationReadView(UserApiView):
    @extend_schema(
        tags=NOTIF_TAG,
        summary="Marcar una como leída",
        request=None,
        responses={200: s.NotificationOutput, **error_responses(401, 404)},
    )
    def post(self, request, pk: int):
        notification = services.notification_mark_read(user=request.user, notification_id=pk)
        unread = selectors.notification_unread_count(user=request.user)
        return Response(services.notification_payload(notification, unread_count=unread))


class NotificationReadAllView(UserApiView):
    @extend_schema(
        tags=NOTIF_TAG, summary="Marcar todas como leídas", request=None,
        responses={200: s.ReadAllOutput, **error_responses(401)},
    )
    def post(self, request):
        return Response({"updated": services.notification_mark_all_read(user=request.user)})


class NotificationPreferencesView(UserApiView):
    @extend_schema(
        tags=NOTIF_TAG, summary="Preferencias por categoría",
        responses={200: s.NotificationPreferences, **error_responses(401)},
    )
    def get(self, request):
        return Response(selectors.notification_preferences(user=request.user))

    @extend_schema(
        tags=NOTIF_TAG,
        summary="Cambiar preferencias",
        description="`{categoría: bool}`; se pueden enviar solo algunas. `system` siempre queda activa.",
        request=s.NotificationPreferences,
        responses={200: s.NotificationPreferences, **error_responses(400, 401)},
    )
    def put(self, request):
        body = _json_object(request.data)
        errors = {key: [_("Debe ser true o false.")] for key, value in body.items() if not isinstance(value, bool)}
        if errors:
            raise ApiError("VALIDATION_ERROR", _("Revisa los datos enviados."), details=errors)
        services.notification_preferences_set(user=request.user, prefs=body)
        return Response(selectors.notification_preferences(user=request.user))
