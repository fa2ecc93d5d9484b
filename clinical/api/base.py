"""What every clinical API view shares: signed-in only, reads on the ``default`` rate limit
and writes on ``clinical_write`` (or the view's ``write_scope``)."""

from __future__ import annotations

from rest_framework.permissions import IsAuthenticated

from config.api import ApiView

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class ClinicalApiView(ApiView):
    permission_classes = [IsAuthenticated]
    write_scope = "clinical_write"

    def initial(self, request, *args, **kwargs):
        self.rate_limit_scope = "default" if request.method in SAFE_METHODS else self.write_scope
        super().initial(request, *args, **kwargs)
