"""Lists of the AI features keep the same number of queries however many rows they show:
photo analyses (API and page), webhooks with their delivery log (API and page), and the staff
AI usage report."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from integrations.models import AIUsage, WebhookDelivery, WebhookEndpoint
from nutrition.models import AnalysisStatus, FoodAnalysis

pytestmark = pytest.mark.django_db


def _count(func) -> int:
    func()  # warm-up: the first request of a session also loads the session, settings and menus
    with CaptureQueriesContext(connection) as ctx:
        response = func()
        assert response.status_code == 200
    return len(ctx.captured_queries)


def _analyses(user, n):
    for i in range(n):
        FoodAnalysis.objects.create(
            user=user, status=AnalysisStatus.COMPLETED, current_step="done", progress=100, meal="comida",
            items=[{"name": f"Taco {i}", "food_name": f"Taco al pastor {i}", "portion_grams": 80}], totals={"energy_kcal": 200 + i},
            completed_at=timezone.now(), processing_time_ms=900,
        )


def _webhooks(user, n):
    for i in range(n):
        endpoint = WebhookEndpoint.objects.create(user=user, url=f"https://hooks{i}.ejemplo.mx/x", events=["analysis.completed"])
        for j in range(3):
            WebhookDelivery.objects.create(endpoint=endpoint, event="analysis.completed", event_id=f"evt_{i}_{j}",
                                           payload={}, status="delivered", attempt_count=1, response_status=200,
                                           attempts=[{"status_code": 200, "error": ""}])


def test_analysis_lists_do_not_grow(client, api_client_for, user):
    api = api_client_for(user)
    client.force_login(user)
    _analyses(user, 2)
    small = (_count(lambda: api.get("/api/v1/analyze")), _count(lambda: client.get(reverse("nutrition:analysis_new"))))
    _analyses(user, 8)
    large = (_count(lambda: api.get("/api/v1/analyze")), _count(lambda: client.get(reverse("nutrition:analysis_new"))))
    assert small == large
    assert api.get("/api/v1/analyze").json()["total_results"] == 10


def test_webhook_lists_do_not_grow(client, api_client_for, user):
    api = api_client_for(user)
    client.force_login(user)
    _webhooks(user, 1)
    small = (_count(lambda: api.get("/api/v1/webhooks")), _count(lambda: client.get(reverse("integrations:webhooks"))),
             _count(lambda: api.get(f"/api/v1/webhooks/{WebhookEndpoint.objects.first().pk}/deliveries")))
    _webhooks(user, 4)
    large = (_count(lambda: api.get("/api/v1/webhooks")), _count(lambda: client.get(reverse("integrations:webhooks"))),
             _count(lambda: api.get(f"/api/v1/webhooks/{WebhookEndpoint.objects.first().pk}/deliveries")))
    assert small == large


def test_usage_report_does_not_grow(client, make_user):
    from tests.accounts import enable_totp

    staff = make_user(is_staff=True)
    enable_totp(staff, with_recovery_codes=False)
    client.force_login(staff)

    def usage(n):
        for _ in range(n):
            person, practice = make_user(), make_user(user_type="nutritionist")
            AIUsage.objects.create(user=person, practice=practice, feature="chat", model="m", prompt_tokens=10,
                                   completion_tokens=5, cost_usd=0.001)

    usage(2)
    small = _count(lambda: client.get(reverse("integrations:ai_usage")))
    usage(6)
    assert _count(lambda: client.get(reverse("integrations:ai_usage"))) == small
