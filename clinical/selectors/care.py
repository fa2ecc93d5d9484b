"""Reads of the care relationship, scoped to the actor (a side of the relationship)."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from clinical.models import (
    OPEN_CARE,
    PENDING_CARE,
    CareConsent,
    CareConsentChange,
    CareRelationship,
    CareStatus,
)
from clinical.rules import id_parse
from clinical.services.care import CareNotFound

__all__ = [
    "CareNotFound",
    "care_get",
    "care_list",
    "care_of_patient",
    "care_requests_pending",
    "care_current_with",
    "patients_in_care",
    "consent_history",
    "consents_map",
]


def _base() -> QuerySet[CareRelationship]:
    return CareRelationship.objects.select_related(
        "nutritionist", "patient", "nutritionist__nutritionist_profile"
    ).prefetch_related(Prefetch("consents", queryset=CareConsent.objects.order_by("scope")))


def care_list(*, user) -> QuerySet[CareRelationship]:
    """Every relationship the user is a side of (as patient or as nutritionist), newest first."""
    if not getattr(user, "is_authenticated", False):
        return CareRelationship.objects.none()
    return _base().filter(Q(patient=user) | Q(nutritionist=user)).order_by("-invited_at", "-pk")


def care_of_patient(*, user) -> dict[str, list[CareRelationship]]:
    """The patient's relationships grouped: ``pending`` (invitations to answer and own requests),
    ``open`` and ``past``."""
    groups: dict[str, list] = {"pending": [], "open": [], "past": []}
    for rel in _base().filter(patient=user).order_by("-invited_at", "-pk"):
        key = "pending" if rel.status in PENDING_CARE else "open" if rel.status in OPEN_CARE else "past"
        groups[key].append(rel)
    return groups


def care_requests_pending(*, nutritionist) -> QuerySet[CareRelationship]:
    """Requests from patients waiting for this nutritionist, and invitations they sent."""
    if not getattr(nutritionist, "is_authenticated", False):
        return CareRelationship.objects.none()
    return (
        CareRelationship.objects.filter(nutritionist=nutritionist, status__in=PENDING_CARE)
        .select_related("patient").order_by("-invited_at", "-pk")
    )


def care_get(*, user, relationship_id) -> CareRelationship:
    """A relationship the user is a side of, or ``CareNotFound``."""
    pk = id_parse(relationship_id)
    if pk is None:
        raise CareNotFound()
    rel = care_list(user=user).filter(pk=pk).first()
    if rel is None:
        raise CareNotFound()
    return rel


def consents_map(relationship: CareRelationship) -> dict[str, bool]:
    """From prefetched rows when available."""
    from clinical.models import ConsentScope

    rows = {c.scope: c.granted for c in relationship.consents.all()}
    return {scope: bool(rows.get(scope, False)) for scope in ConsentScope.values}


def consent_history(*, relationship: CareRelationship, limit: int = 20) -> list[CareConsentChange]:
    return list(CareConsentChange.objects.filter(relationship=relationship).order_by("-created_at", "-pk")[:limit])


ENDED = (CareStatus.GRADUATED, CareStatus.DROPPED, CareStatus.DECLINED)


def patients_in_care(*, nutritionist) -> list:
    """The nutritionist's patients in open care, by name (pickers: assign a plan, new plan)."""
    rels = CareRelationship.objects.filter(nutritionist=nutritionist, status__in=OPEN_CARE).select_related("patient")
    return sorted((r.patient for r in rels), key=lambda p: (p.get_full_name() or p.get_username()).lower())


def care_current_with(*, patient, nutritionist) -> CareRelationship | None:
    """The patient's open or pending relationship with this nutritionist, if any (the public
    profile shows it instead of "Solicitar atención")."""
    if not getattr(patient, "is_authenticated", False) or patient.pk == nutritionist.pk:
        return None
    return (
        care_list(user=patient)
        .filter(nutritionist=nutritionist, patient=patient, status__in=(*OPEN_CARE, *PENDING_CARE))
        .first()
    )


def care_nutritionist_for(user):
    """The nutritionist of ``user``'s most recent open care relationship, or None (a
    nutritionist counts as their own practice). AI usage is attributed with it."""
    if getattr(user, "user_type", "") == "nutritionist" or (hasattr(user, "has_role") and user.has_role("nutritionist")):
        return user
    relationship = (
        CareRelationship.objects.filter(patient=user, status__in=OPEN_CARE)
        .select_related("nutritionist")
        .order_by("-pk")
        .first()
    )
    return relationship.nutritionist if relationship else None
