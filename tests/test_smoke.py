import pytest


@pytest.mark.django_db
def test_health_answers(client):
    body = client.get("/api/v1/health").json()
    assert body["status"] == "ok"
