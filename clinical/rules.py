"""Who may see and do what in the practice (seed 000 §7.1.2), as named predicates and
scoping helpers every clinical service, selector, view and consumer goes through.

- A patient always reaches their own data.
- A nutritionist reaches a patient only while a care relationship is open (active or
  inactive), and each kind of data only while the patient's consent for that scope stands.
- Staff get nothing clinical from being staff: only through a care relationship like anyone.
- Whatever is refused looks missing: ``PatientNotFound`` (a ``DoesNotExist``), so the API
  answers 404 ``PATIENT_NOT_FOUND`` and pages answer 404.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.utils.translation import gettext_lazy as _

from clinical.models import (
    OPEN_CARE,
    AccessAction,
    CareConsent,
    CareRelationship,
    ClinicalAccessLog,
    ConsentScope,
    NutritionistProfile,
    VerificationStatus,
)


class PatientNotFound(ObjectDoesNotExist):
    error_code = "PATIENT_NOT_FOUND"

    def __str__(self):
        return str(_("Paciente no encontrado."))


class ClinicalObjectNotFound(ObjectDoesNotExist):
    error_code = "NOT_FOUND"

    def __str__(self):
        return str(_("No encontrado."))


def is_verified_nutritionist(user) -> bool:
    """Staff verified the profile (and so granted the nutritionist role)."""
    if not getattr(user, "is_authenticated", False):
        return False
    cached = getattr(user, "_verified_nutritionist", None)
    if cached is None:
        cached = NutritionistProfile.objects.filter(
            user=user, verification_status=VerificationStatus.VERIFIED
        ).exists()
        user._verified_nutritionist = cached
    return cached


def require_verified_nutritionist(user) -> None:
    if not is_verified_nutritionist(user):
        raise PermissionDenied(_("Solo nutriólogos verificados pueden hacer esto."))


def id_parse(value) -> int | None:
    """A database id from user input, or None (garbage and out-of-range ids look missing)."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**63 else None


def open_care(*, nutritionist, patient_id) -> CareRelationship | None:
    """The open relationship between this nutritionist and patient, or None."""
    patient_id = id_parse(patient_id)
    if patient_id is None:
        return None
    return (
        CareRelationship.objects.filter(nutritionist=nutritionist, patient_id=patient_id, status__in=OPEN_CARE)
        .select_related("patient")
        .first()
    )


def consents_of(relationship: CareRelationship) -> dict[str, bool]:
    """``{scope: granted}`` for every scope (missing rows are not granted)."""
    granted = dict(CareConsent.objects.filter(relationship=relationship).values_list("scope", "granted"))
    return {scope: bool(granted.get(scope, False)) for scope in ConsentScope.values}


@dataclass(frozen=True)
class PatientAccess:
    """What the actor may reach for one patient."""

    patient: object  # the patient User
    relationship: CareRelationship | None  # None when the actor is the patient
    consents: dict[str, bool]

    @property
    def is_self(self) -> bool:
        return self.relationship is None

    def allows(self, scope: str) -> bool:
        return self.is_self or self.consents.get(scope, False)


def patient_access(*, actor, patient_id, scope: str | None = None) -> PatientAccess:
    """Resolve ``patient_id`` for ``actor`` or raise ``PatientNotFound``.

    With ``scope`` the patient must also have granted that consent (the patient themselves
    always passes). Used by every clinical read and write.
    """
    if not getattr(actor, "is_authenticated", False):
        raise PatientNotFound()
    pid = id_parse(patient_id)
    if pid is None:
        raise PatientNotFound()
    if pid == actor.pk:
        access = PatientAccess(patient=actor, relationship=None, consents={s: True for s in ConsentScope.values})
    else:
        relationship = open_care(nutritionist=actor, patient_id=pid)
        if relationship is None or not is_verified_nutritionist(actor):
            raise PatientNotFound()
        access = PatientAccess(patient=relationship.patient, relationship=relationship, consents=consents_of(relationship))
    if scope is not None and not access.allows(scope):
        raise PatientNotFound()
    return access


def access_log(*, patient, actor, action: str, resource: str, object_id="", request=None) -> None:
    """Write one line of the patient's clinical access log (who, what, when)."""
    from config.http import client_ip

    if action not in AccessAction.values:
        raise ValueError(action)
    ClinicalAccessLog.objects.create(
        patient=patient,
        actor=actor,
        action=action,
        resource=resource,
        object_id=str(object_id or ""),
        ip_address=client_ip(request) if request is not None else None,
    )


def nutrition_delegate(*, actor, user, capability: str) -> bool:
    """Registered with ``nutrition.access``: the patient's nutritionist sets their targets and
    records weights measured in consultation (with the measurements consent)."""
    try:
        access = patient_access(actor=actor, patient_id=user.pk)
    except PatientNotFound:
        return False
    if capability == "targets":
        return True
    if capability == "weight":
        return access.allows(ConsentScope.MEASUREMENTS)
    return False
