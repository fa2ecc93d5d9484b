"""Diary API: log, edit, move, copy, delete; day and week; water, weight, exercise; targets."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from nutrition.models import DiaryEntry, Food

pytestmark = pytest.mark.usefixtures("foods")


@pytest.fixture
def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def usda(ndb):
    return Food.objects.get(source="usda", external_id=ndb)


def test_log_with_seed_meal_names_and_read_the_day(api, user):
    apple = usda("09003")
    resp = api.post("/api/v1/diary/entries", {"meal_type": "breakfast", "food_id": apple.public_id,
                                               "quantity": 182}, format="json")
    assert resp.status_code == 201, resp.content
    entry = resp.json()
    assert entry["meal"] == "desayuno" and entry["meal_type"] == "breakfast"
    assert entry["nutrition"]["calories"] == pytest.approx(round(apple.energy_kcal * 1.82, 1))
    day = api.get("/api/v1/diary").json()
    assert day["totals"]["calories"] == entry["nutrition"]["calories"]
    assert day["meals"][0]["entries"][0]["id"] == entry["id"]
    assert day["progress"]["calories"] == pytest.approx(
        round(100 * entry["nutrition"]["calories"] / day["targets"]["calories"], 1)
    )


def test_bad_inputs_keep_saved_data(api, user):
    apple = usda("09003")
    api.post("/api/v1/diary/entries", {"meal": "comida", "food_id": apple.pk, "quantity": 100}, format="json")
    future = (timezone.localdate() + timedelta(days=1)).isoformat()
    cases = [
        ({"meal": "comida", "food_id": apple.pk, "quantity": -1}, 400, "VALIDATION_ERROR"),
        ({"meal": "comida", "food_id": apple.pk, "quantity": 6000}, 400, "AMOUNT_TOO_LARGE"),
        ({"meal": "comida", "food_id": apple.pk, "quantity": 100, "date": future}, 400, "FUTURE_DATE"),
        ({"meal": "comida", "food_id": "usda_99999999", "quantity": 100}, 404, "FOOD_NOT_FOUND"),
        ({"meal": "brunch", "food_id": apple.pk, "quantity": 100}, 400, "VALIDATION_ERROR"),
        ({"meal": "comida", "quantity": 100}, 400, "VALIDATION_ERROR"),
    ]
    for body, status, code in cases:
        resp = api.post("/api/v1/diary/entries", body, format="json")
        assert resp.status_code == status, (body, resp.content)
        assert resp.json()["error"]["code"] == code
    malformed = api.post("/api/v1/diary/entries", "{not json", content_type="application/json")
    assert malformed.status_code == 400
    assert DiaryEntry.objects.filter(user=user).count() == 1


def test_idempotency_key_prevents_duplicates(api, user):
    apple = usda("09003")
    body = {"meal": "comida", "food_id": apple.pk, "quantity": 100}
    first = api.post("/api/v1/diary/entries", body, format="json", HTTP_IDEMPOTENCY_KEY="abc-1")
    again = api.post("/api/v1/diary/entries", body, format="json", HTTP_IDEMPOTENCY_KEY="abc-1")
    assert first.status_code == 201 and again.status_code == 200
    assert first.json()["id"] == again.json()["id"]
    assert DiaryEntry.objects.filter(user=user).count() == 1


def test_other_users_entries_answer_404(api, other_user):
    from nutrition.services.diary import diary_entry_add

    theirs = diary_entry_add(actor=other_user, meal="comida", food_id=usda("09003").pk, quantity=100)
    for method in ("get", "patch", "delete"):
        resp = getattr(api, method)(f"/api/v1/diary/entries/{theirs.pk}", {"quantity": 1}, format="json")
        assert resp.status_code == 404
    theirs.refresh_from_db()
    assert theirs.quantity == 100


def test_edit_move_copy_delete(api, user):
    apple = usda("09003")
    entry = api.post("/api/v1/diary/entries", {"meal": "comida", "food_id": apple.pk, "quantity": 100},
                     format="json").json()
    moved = api.patch(f"/api/v1/diary/entries/{entry['id']}", {"meal": "cena", "quantity": 50}, format="json")
    assert moved.status_code == 200
    assert moved.json()["meal"] == "cena" and moved.json()["grams"] == 50
    tomorrow_is_future = (timezone.localdate() + timedelta(days=1)).isoformat()
    assert api.patch(f"/api/v1/diary/entries/{entry['id']}", {"date": tomorrow_is_future},
                     format="json").status_code == 400
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    copied = api.post("/api/v1/diary/copy", {"from_date": timezone.localdate().isoformat(), "to_date": yesterday},
                      format="json")
    assert copied.status_code == 201 and copied.json()["copied"] == 1
    assert api.get("/api/v1/diary", {"date": yesterday}).json()["totals"]["calories"] == moved.json()["nutrition"]["calories"]
    assert api.delete(f"/api/v1/diary/entries/{entry['id']}").status_code == 204
    assert api.get("/api/v1/diary").json()["entries_count"] == 0


def test_quick_add_water_weight_exercise_targets(api, user):
    assert api.post("/api/v1/diary/quick-add", {"meal": "snack", "calories": 250, "protein": 10},
                    format="json").status_code == 201
    assert api.post("/api/v1/diary/quick-add", {"meal": "snack", "calories": 0}, format="json").status_code == 400
    water = api.post("/api/v1/diary/water", {"ml": 250}, format="json").json()
    assert water["total_ml"] == 250
    assert api.post("/api/v1/diary/weight", {"weight_kg": 71.3}, format="json").status_code == 201
    assert api.post("/api/v1/diary/weight", {"weight_kg": "setenta"}, format="json").status_code == 400
    activities = api.get("/api/v1/activities").json()["activities"]
    if activities:
        ex = api.post("/api/v1/diary/exercise", {"activity_code": activities[0]["code"], "minutes": 45}, format="json")
        assert ex.status_code == 201
        assert ex.json()["calories"] == pytest.approx(activities[0]["met"] * 71.3 * 0.75, abs=0.2)
    targets = api.patch("/api/v1/users/targets", {"energy_kcal": 1900}, format="json").json()
    assert targets["calories"] == 1900 and "energy_kcal" in targets["overridden"]
    day = api.get("/api/v1/diary").json()
    assert day["water"]["total_ml"] == 250
    assert day["weight"]["weight_kg"] == 71.3
    assert day["targets"]["calories"] == 1900


def test_week(api, user):
    apple = usda("09003")
    api.post("/api/v1/diary/entries", {"meal": "comida", "food_id": apple.pk, "quantity": 100}, format="json")
    week = api.get("/api/v1/diary/week").json()
    assert len(week["days"]) == 7
    today = [d for d in week["days"] if d["date"] == timezone.localdate().isoformat()][0]
    assert today["calories"] == pytest.approx(apple.energy_kcal)
    assert week["logged_days"] == 1


def test_day_api_query_count_is_fixed(api, user, django_assert_max_num_queries):
    from nutrition.services.diary import diary_entry_add

    apple = usda("09003")
    diary_entry_add(actor=user, meal="desayuno", food_id=apple.pk, quantity=100)
    api.get("/api/v1/diary")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        api.get("/api/v1/diary")
    for _ in range(39):
        diary_entry_add(actor=user, meal="cena", food_id=apple.pk, quantity=100)
    with CaptureQueriesContext(connection) as forty:
        body = api.get("/api/v1/diary").json()
    assert body["entries_count"] == 40
    assert len(forty) == len(one)
