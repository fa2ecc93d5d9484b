"""API authentication classes (kept apart from config.api to avoid an import cycle with DRF settings)."""

from rest_framework import authentication


class SessionAuthentication(authentication.SessionAuthentication):
    """Session auth so the browser's own pages may call the API; CSRF is still enforced."""

    def authenticate_header(self, request):
        # Makes DRF answer 401 (not 403) to anonymous requests, as the mobile app expects.
        return 'Bearer realm="api"'
