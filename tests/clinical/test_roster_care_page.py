"""The nutritionist edits the care details on a page (the API's PATCH has the same service)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from clinical.models import CareRelationship, CareStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def rel(nutritionist, make_user, make_care):
    return make_care(nutritionist, make_user(first_name="Lucía"))


def test_page_shows_current_details_and_saves_them(client, nutritionist, rel):
    client.force_login(nutritionist)
    url = reverse("clinical:patient_care", args=[rel.patient_id])
    html = client.get(url).content.decode()
    assert "Datos de la atención" in html and "Terminar atención" in html
    response = client.post(url, {
        "status": "inactive", "primary_goal": "weight_loss", "target_weight_kg": "64.5", "target_date": "",
        "conditions": "diabetes tipo 2, hipertensión", "allergies": "cacahuate", "restrictions": "",
        "dietary_preference": "vegetarian", "has_insurance": "1", "insurance_type": "GNP", "insurance_number": "P-123",
    })
    assert response.status_code == 302 and response.url == reverse("clinical:patient_detail", args=[rel.patient_id])
    rel.refresh_from_db()
    assert rel.status == CareStatus.INACTIVE and rel.target_weight_kg == Decimal("64.5")
    assert rel.conditions == ["diabetes tipo 2", "hipertensión"] and rel.insurance_number == "P-123"
    detail = client.get(response.url).content.decode()
    assert "diabetes tipo 2, hipertensión" in detail and "cacahuate" in detail


def test_bad_input_is_shown_and_nothing_changes(client, nutritionist, rel):
    client.force_login(nutritionist)
    url = reverse("clinical:patient_care", args=[rel.patient_id])
    response = client.post(url, {"status": "active", "target_weight_kg": "mucho", "primary_goal": "volar"})
    assert response.status_code == 422
    html = response.content.decode()
    assert 'value="mucho"' in html and "field--invalid" in html
    assert CareRelationship.objects.get(pk=rel.pk).target_weight_kg is None


def test_ending_from_the_page_goes_back_to_the_roster(client, nutritionist, rel):
    client.force_login(nutritionist)
    response = client.post(reverse("clinical:care_end", args=[rel.pk]), {"outcome": "graduated"})
    assert response.status_code == 302 and response.url == reverse("clinical:roster")
    assert CareRelationship.objects.get(pk=rel.pk).status == CareStatus.GRADUATED
    assert client.get(reverse("clinical:patient_care", args=[rel.patient_id])).status_code == 404


def test_someone_else_gets_404(client, make_nutritionist, rel):
    client.force_login(make_nutritionist())
    url = reverse("clinical:patient_care", args=[rel.patient_id])
    assert client.get(url).status_code == 404
    assert client.post(url, {"status": "inactive"}).status_code == 404
    assert CareRelationship.objects.get(pk=rel.pk).status == CareStatus.ACTIVE
