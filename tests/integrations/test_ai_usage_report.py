"""Staff see AI usage per feature, person and practice; everyone else gets a 404."""

import pytest
from django.urls import reverse

from integrations import ai

pytestmark = pytest.mark.django_db


def test_usage_report_groups_by_feature_person_and_practice(client, fake_ai, make_user):
    from tests.accounts import enable_totp

    staff = make_user(email="staff@example.mx", is_staff=True)
    enable_totp(staff, with_recovery_codes=False)  # staff pages require an authenticator
    patient = make_user(email="ana@example.mx", first_name="Ana", last_name="López")
    nutritionist = make_user(email="nut@example.mx", user_type="nutritionist", first_name="Rosa", last_name="Díaz")
    for _ in range(3):
        fake_ai.reply_text("hola")
        ai.chat_text([{"role": "user", "content": "x" * 400}], feature="chat", user=patient, practice=nutritionist)
    fake_ai.reply_error(503, times=2)
    with pytest.raises(ai.AIUnavailable):
        ai.chat_text([{"role": "user", "content": "x"}], feature="meal_plan", user=patient, practice=nutritionist)

    from integrations.selectors import ai_usage_report

    report = ai_usage_report()
    assert report["totals"]["requests"] == 4 and report["totals"]["failed"] == 1
    features = {row["feature"]: row for row in report["by_feature"]}
    assert features["chat"]["requests"] == 3 and features["meal_plan"]["failed"] == 1
    assert report["by_practice"][0]["person"] == nutritionist and report["by_practice"][0]["requests"] == 4
    assert report["errors"] == [{"error_code": "AI_UNAVAILABLE", "n": 1}]

    client.force_login(staff)
    response = client.get(reverse("integrations:ai_usage"))
    assert response.status_code == 200, response
    html = response.content.decode()
    assert "Rosa Díaz" in html and "Ana López" in html and "AI_UNAVAILABLE" in html and "<code>chat</code>" in html
    client.force_login(patient)
    assert client.get(reverse("integrations:ai_usage")).status_code == 404
