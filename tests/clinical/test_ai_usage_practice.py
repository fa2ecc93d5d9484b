"""AI calls made by a patient in open care are attributed to their nutritionist's practice."""

import pytest

from integrations import ai
from integrations.models import AIUsage

pytestmark = pytest.mark.django_db


def test_patient_usage_goes_to_the_practice_and_stops_when_care_ends(fake_ai, care, nutritionist, patient, make_user):
    fake_ai.reply_text("hola")
    ai.chat_text([{"role": "user", "content": "x"}], feature="chat", user=patient)
    assert AIUsage.objects.get().practice == nutritionist

    fake_ai.reply_text("hola")
    ai.chat_text([{"role": "user", "content": "x"}], feature="meal_plan", user=nutritionist)
    assert AIUsage.objects.get(feature="meal_plan").practice == nutritionist

    stranger = make_user()
    fake_ai.reply_text("hola")
    ai.chat_text([{"role": "user", "content": "x"}], feature="label_scan", user=stranger)
    assert AIUsage.objects.get(feature="label_scan").practice is None

    care.status = "graduated"
    care.save(update_fields=["status"])
    fake_ai.reply_text("hola")
    ai.chat_text([{"role": "user", "content": "x"}], feature="workout_plan", user=patient)
    assert AIUsage.objects.get(feature="workout_plan").practice is None
