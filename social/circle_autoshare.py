"""Signal receivers that keep family circles in step with the lower apps.

- ``nutrition.WeightLog`` saved → after commit, the owner's circles that share progress
  automatically get at most one progress post a day (``circle_progress_autoshare``).
- ``clinical.CareRelationship`` saved → after commit, the patient's circles hold exactly their
  nutritionists in open care (``circle_nutritionists_sync``) whenever the care status
  changes: care starting adds the nutritionist, care ending removes them.

Listening to a lower app's model signals is the allowed direction (social sits above
nutrition and clinical); the lower apps know nothing of circles.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models.signals import post_save, pre_save

logger = logging.getLogger(__name__)


def _weight_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    user_id = instance.user_id

    def _share():
        from social.services.circles import circle_progress_autoshare

        try:
            circle_progress_autoshare(user_id=user_id)
        except Exception:  # a failed share must never break logging a weight
            logger.exception("circle progress autoshare failed for user %s", user_id)

    transaction.on_commit(_share)


def _care_before_save(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None:
        instance._social_prev_status = None
        return
    instance._social_prev_status = (
        sender.objects.filter(pk=instance.pk).values_list("status", flat=True).first()
    )


def _care_saved(sender, instance, raw=False, created=False, **kwargs):
    """Only a change of status moves the nutritionist in or out: an owner who removed their
    nutritionist from a circle is not overruled by an unrelated edit of the care record."""
    if raw:
        return
    if not created and getattr(instance, "_social_prev_status", None) == instance.status:
        return
    patient_id = instance.patient_id

    def _sync():
        from social.services.circles import circle_nutritionists_sync

        try:
            with transaction.atomic():
                circle_nutritionists_sync(patient_id=patient_id)
        except Exception:
            logger.exception("circle nutritionist sync failed for patient %s", patient_id)

    transaction.on_commit(_sync)


def connect() -> None:
    from clinical.models import CareRelationship
    from nutrition.models import WeightLog

    post_save.connect(_weight_saved, sender=WeightLog, dispatch_uid="social_circle_weight_autoshare")
    pre_save.connect(_care_before_save, sender=CareRelationship, dispatch_uid="social_circle_care_prev")
    post_save.connect(_care_saved, sender=CareRelationship, dispatch_uid="social_circle_care_sync")
