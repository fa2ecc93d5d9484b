"""What every clinical API view shares: signed-in only, reads on the ``default`` rate limit
and writes on ``clinical_write``, and the request body as a plain dict for the services."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework.permissions import IsAuthenticated

from config.api import ApiError, ApiView

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class ClinicalApiView(ApiView):
    permission_classes = [IsAuthenticated]
    write_scope = "clinical_write"

    def initial(self, request, *args, **kwargs):
        self.rate_limit_scope = "default" if request.method in SAFE_METHODS else self.write_scope
        super().initial(request, *args, **kwargs)


def body_dict(request) -> dict:
    """JSON object or form/multipart fields as a dict (a repeated field or ``name[]`` becomes a
    list); anything else is a ``VALIDATION_ERROR`` ("send a JSON object")."""
    data = request.data
    if hasattr(data, "getlist"):  # QueryDict from a form or multipart body
        out = {}
        for key in data:
            values = data.getlist(key)
            clean = key[:-2] if key.endswith("[]") else key
            out[clean] = values if (key.endswith("[]") or len(values) > 1) else values[0]
        return out
    if not isinstance(data, dict):
        raise ApiError("VALIDATION_ERROR", _("Envía un objeto JSON."))
    return dict(data)
