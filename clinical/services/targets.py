"""Writes of the roster part: the daily targets and SMAE exchanges per meal that a patient's
nutritionist sets. Nutrition owns the targets (``target_override_set``); this service checks
the care relationship, delegates, and tells the patient."""

from __future__ import annotations

from contextlib import nullcontext

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override as language_override

from clinical import rules
from nutrition.targets import TARGET_FIELDS

ACCEPTED_FIELDS = (*TARGET_FIELDS, "meal_equivalents")


@transaction.atomic
def patient_targets_set(*, actor, patient_id, data: dict, request=None):
    """Set the patient's daily targets (kcal, protein, fat, carbs, fiber, sodium, water; a
    null/empty value goes back to the computed one) and the SMAE exchanges per meal slot.

    Only a verified nutritionist with open care of the patient (no consent needed); anyone
    else gets ``PatientNotFound``. Bad values raise ``ValidationError`` per field (from
    ``nutrition.services.diary.target_override_set``). The patient gets a notification.
    Returns the ``NutritionTarget`` row."""
    from accounts.services import notify
    from nutrition.services.diary import target_override_set

    access = rules.patient_access(actor=actor, patient_id=patient_id)
    if access.is_self:
        raise rules.PatientNotFound()
    if not isinstance(data, dict):
        raise ValidationError({"non_field_errors": _("Envía un objeto con las metas.")})
    clean = {key: data[key] for key in ACCEPTED_FIELDS if key in data}
    patient = access.patient
    target = target_override_set(actor=actor, user=patient, data=clean)
    rules.access_log(patient=patient, actor=actor, action="update", resource="targets", object_id=target.pk,
                     request=request)
    lang = getattr(patient, "language", None) or None
    with language_override(lang) if lang else nullcontext():
        notify(
            patient,
            "targets_changed",
            _("Tu nutrióloga actualizó tus metas"),
            _("%(name)s ajustó tus metas diarias y tu plan de equivalentes por comida.")
            % {"name": actor.get_full_name() or actor.email},
            link=reverse("nutrition:diary"),
            data={"nutritionist_id": actor.pk},
            category="clinical",
        )
    return target
