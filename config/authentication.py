"""API authentication classes (kept apart from config.api to avoid an import cycle with DRF settings)."""

from rest_framework import authentication
from rest_framework_simplejwt import authentication as jwt_authentication
from rest_framework_simplejwt import exceptions as jwt_exceptions


class SessionAuthentication(authentication.SessionAuthentication):
    """Session auth so the browser's own pages may call the API; CSRF is still enforced."""

    def authenticate_header(self, request):
        # Makes DRF answer 401 (not 403) to anonymous requests, as the mobile app expects.
        return 'Bearer realm="api"'


class JWTAuthentication(jwt_authentication.JWTAuthentication):
    """simplejwt's bearer authentication with two changes:

    * an expired token is told apart from a bad one by the exception class
      (``TOKEN_EXPIRED`` / ``INVALID_TOKEN``), not by its translated message;
    * ``SIMPLE_JWT["USER_AUTHENTICATION_RULE"]`` runs on every request, so a banned or
      deleted user's access tokens stop working at once (simplejwt applies the rule only
      when tokens are issued or refreshed): ``ACCOUNT_DISABLED``.
    """

    def _error(self, code: str, message: str):
        from config.api import ApiError  # late: config.api imports DRF views

        error = ApiError(code, message, status_code=401)
        error.auth_header = self.authenticate_header(None)
        return error

    def get_validated_token(self, raw_token):
        from django.utils.translation import gettext as _
        from rest_framework_simplejwt.exceptions import ExpiredTokenError, TokenError
        from rest_framework_simplejwt.settings import api_settings

        expired = False
        for token_class in api_settings.AUTH_TOKEN_CLASSES:
            try:
                return token_class(raw_token)
            except ExpiredTokenError:
                expired = True
            except TokenError:
                continue
        if expired:
            raise self._error("TOKEN_EXPIRED", _("Tu sesión expiró. Renueva el token."))
        raise self._error("INVALID_TOKEN", _("Token inválido."))

    def get_user(self, validated_token):
        from django.utils.translation import gettext as _
        from rest_framework_simplejwt.settings import api_settings

        try:
            user = super().get_user(validated_token)
        except jwt_exceptions.AuthenticationFailed as exc:
            detail = exc.detail if isinstance(exc.detail, dict) else {}
            codes = str(detail.get("code", ""))
            if "user_inactive" in codes:
                raise self._error("ACCOUNT_DISABLED", _("Tu cuenta está suspendida o ya no está activa."))
            if "user_not_found" in codes:
                raise self._error("INVALID_TOKEN", _("Token inválido."))
            raise
        if not api_settings.USER_AUTHENTICATION_RULE(user):
            raise self._error("ACCOUNT_DISABLED", _("Tu cuenta está suspendida o ya no está activa."))
        return user
