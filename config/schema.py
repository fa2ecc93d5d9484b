"""OpenAPI schema tweaks (drf-spectacular).

* Only ``/api/v1/`` is the public API: Wagtail's internal admin API under ``/cms/api/`` is left
  out of the schema (it also made ``check --deploy`` warn, since spectacular's deploy check
  generates the schema).
* Our ``SessionAuthentication`` subclass is described like DRF's (cookie auth).
"""

from django.conf import settings
from drf_spectacular.extensions import OpenApiAuthenticationExtension


def only_public_api(endpoints):
    """PREPROCESSING_HOOKS entry: keep the mobile API only."""
    return [e for e in endpoints if e[0].startswith("/api/v1/")]


class ProjectSessionScheme(OpenApiAuthenticationExtension):
    target_class = "config.authentication.SessionAuthentication"
    name = "cookieAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "cookie", "name": settings.SESSION_COOKIE_NAME}
