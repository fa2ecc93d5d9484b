"""Reads of meal photo analyses: one analysis, a person's history, and the short-lived
signed link to the photo.

An analysis belongs to the person who took the photo; anyone else gets
``AnalysisNotFound`` (404 ``ANALYSIS_NOT_FOUND``), exactly as for an id that does not exist.
"""

from __future__ import annotations

import uuid

from django.core import signing
from django.core.exceptions import ObjectDoesNotExist
from django.core.files.storage import FileSystemStorage
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from nutrition.models import FoodAnalysis

IMAGE_LINK_SALT = "nutrition.analysis.image"
IMAGE_LINK_MAX_AGE = 300  # seconds a signed photo link stays valid


class AnalysisNotFound(ObjectDoesNotExist):
    error_code = "ANALYSIS_NOT_FOUND"

    def __init__(self, message=None):
        super().__init__(str(message or _("Análisis no encontrado.")))


def analysis_id_parse(value) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value).strip())
    except (TypeError, ValueError, AttributeError):
        return None


def analyses_visible(*, user) -> QuerySet[FoodAnalysis]:
    """The analyses ``user`` may see: only their own."""
    if user is None or not user.is_authenticated:
        return FoodAnalysis.objects.none()
    return FoodAnalysis.objects.filter(user=user)


def analysis_get(*, user, analysis_id, for_update: bool = False) -> FoodAnalysis:
    """One of ``user``'s analyses or ``AnalysisNotFound``. ``for_update`` locks the row (call
    inside a transaction)."""
    pk = analysis_id_parse(analysis_id)
    if pk is None:
        raise AnalysisNotFound()
    qs = analyses_visible(user=user)
    if for_update:
        qs = qs.select_for_update()
    analysis = qs.filter(pk=pk).first()
    if analysis is None:
        raise AnalysisNotFound()
    return analysis


def analysis_list(*, user, status: str | None = None) -> QuerySet[FoodAnalysis]:
    """``user``'s analyses, newest first (the history page and ``GET /analyze``)."""
    qs = analyses_visible(user=user).defer("raw_upload")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at")


def analysis_image_token(analysis) -> str:
    return signing.dumps(str(analysis.pk), salt=IMAGE_LINK_SALT)


def analysis_image_token_valid(analysis_id, token: str) -> bool:
    """True when ``token`` was signed for this analysis less than five minutes ago."""
    try:
        value = signing.loads(token or "", salt=IMAGE_LINK_SALT, max_age=IMAGE_LINK_MAX_AGE)
    except signing.BadSignature:
        return False
    return value == str(analysis_id)


def analysis_for_image(*, user, analysis_id, token: str | None = None) -> FoodAnalysis:
    """The analysis whose photo may be sent: any one with a valid signed link (``token``),
    else one of the signed-in ``user``'s. Anything else raises ``AnalysisNotFound``."""
    pk = analysis_id_parse(analysis_id)
    if pk is None:
        raise AnalysisNotFound()
    if token and analysis_image_token_valid(pk, token):
        analysis = FoodAnalysis.objects.filter(pk=pk).first()
        if analysis is None:
            raise AnalysisNotFound()
        return analysis
    if user is None or not user.is_authenticated:
        raise AnalysisNotFound()
    return analysis_get(user=user, analysis_id=pk)


def analysis_image_url(analysis) -> str | None:
    """A link to the photo that works without a session for five minutes (the mobile app
    sends JWTs, not cookies). On S3 the storage signs it; on disk our view checks a signed token."""
    if not analysis.image:
        return None
    storage = analysis.image.storage
    if not isinstance(storage, FileSystemStorage):
        return analysis.image.url  # presigned by django-storages (querystring_auth)
    url = reverse("nutrition:analysis_image", args=[analysis.pk])
    return f"{url}?t={analysis_image_token(analysis)}"
