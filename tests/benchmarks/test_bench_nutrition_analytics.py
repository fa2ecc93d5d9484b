"""Analytics benchmarks, through the API with a JWT like the mobile app:

* GET /api/v1/analytics/daily-summary?days=7 with 40 entries on the day, then with 40 entries
  on each of the 7 days (280): the query count is the same (pinned), p50/p95 over 50
  requests. Target: p95 < 100 ms.
* GET /api/v1/analytics/trends?period=1y over a year of daily logs (365 days × 5 entries =
  1,825): p50/p95 over 20 requests. Target: < 200 ms.

Rows are bulk-created with their nutrient snapshot (what ``diary_entry_add`` stores), so the
data costs seconds, not minutes. Run with ``make bench``; figures are printed and written to
bench/results.json.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework_simplejwt.tokens import AccessToken

from tests.benchmarks.test_bench_foundation import measure, show

pytestmark = [pytest.mark.bench, pytest.mark.django_db]

SUMMARY_QUERIES = 5  # user (JWT), sums per day and meal, profile, target override, streak dates
TRENDS_QUERIES = 5  # user (JWT), sums per day, profile, target override, streak dates
SUMMARY_TARGET_MS = 100
TRENDS_TARGET_MS = 200
MEALS = ["desayuno", "colacion_matutina", "comida", "colacion_vespertina", "cena"]
# Per-entry snapshots in the range of real SR28 portions (kcal, protein, fat, carbs, fiber, grams).
FOODS = [
    ("Tortilla de maíz", 218.0, 5.7, 2.9, 44.6, 6.3, 100.0),
    ("Frijoles negros, cocidos", 132.0, 8.9, 0.5, 23.7, 8.7, 100.0),
    ("Manzana, cruda", 78.0, 0.4, 0.3, 20.7, 3.6, 150.0),
    ("Pechuga de pollo, asada", 248.0, 46.5, 5.4, 0.0, 0.0, 150.0),
    ("Aguacate, crudo", 80.0, 1.0, 7.3, 4.3, 3.4, 50.0),
]


def _entries(user, days: list, per_day: int):
    from nutrition.models import DiaryEntry

    rows = []
    for day in days:
        for i in range(per_day):
            name, kcal, protein, fat, carbs, fiber, grams = FOODS[i % len(FOODS)]
            rows.append(
                DiaryEntry(
                    user=user, date=day, meal=MEALS[i % len(MEALS)], unit="g", quantity=grams, grams=grams, name=name,
                    energy_kcal=kcal, protein_g=protein, fat_g=fat, carbs_g=carbs, fiber_g=fiber, sugars_g=1.0,
                    sodium_mg=10.0, saturated_fat_g=0.5,
                )
            )
    DiaryEntry.objects.bulk_create(rows, batch_size=500)
    return len(rows)


def _queries(client, url, params, auth) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params, **auth).status_code == 200
    return len(ctx.captured_queries)


def test_bench_daily_summary(client, settings, make_user, django_assert_num_queries, bench_results):
    settings.API_RATE_LIMITS_ENABLED = False
    user = make_user(email="resumen@example.mx")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {AccessToken.for_user(user)}"}
    url = "/api/v1/analytics/daily-summary"
    params = {"days": 7}
    today = timezone.localdate()

    def call():
        response = client.get(url, params, **auth)
        assert response.status_code == 200

    rows, cases = {}, {}
    for label, days in (("40 entries on the day", [today]),
                        ("280 entries (7 days × 40)", [today - timedelta(days=i) for i in range(1, 7)])):
        _entries(user, days, 40)
        with django_assert_num_queries(SUMMARY_QUERIES):
            body = client.get(url, params, **auth).json()
        assert body["daily_summaries"][-1]["foods_count"] == 40
        rows[label] = measure(call, 50)
        cases[label] = rows[label] | {"queries": _queries(client, url, params, auth)}
    total = sum(d["foods_count"] for d in body["daily_summaries"])
    assert total == 280

    show(f"GET {url}?days=7 ({connection.vendor}; {SUMMARY_QUERIES} queries per request)", rows)
    bench_results["analytics_daily_summary"] = {
        "days": 7, "target_p95_ms": SUMMARY_TARGET_MS,
        "entries_40_on_the_day": cases["40 entries on the day"],
        "entries_280_over_7_days": cases["280 entries (7 days × 40)"],
    }
    for label, r in rows.items():
        assert r["p95_ms"] < SUMMARY_TARGET_MS, f"{label}: p95 {r['p95_ms']} ms"


def test_bench_trends_one_year(client, settings, make_user, django_assert_num_queries, bench_results):
    settings.API_RATE_LIMITS_ENABLED = False
    user = make_user(email="tendencias@example.mx")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {AccessToken.for_user(user)}"}
    url = "/api/v1/analytics/trends"
    params = {"period": "1y", "metric": "calories"}
    today = timezone.localdate()
    entries = _entries(user, [today - timedelta(days=i) for i in range(365)], 5)

    with django_assert_num_queries(TRENDS_QUERIES):
        body = client.get(url, params, **auth).json()
    assert len(body["data_points"]) == 365
    assert body["statistics"]["average"] == pytest.approx(sum(f[1] for f in FOODS), abs=0.1)

    def call():
        response = client.get(url, params, **auth)
        assert response.status_code == 200

    r = measure(call, 20)
    show(f"GET {url}?period=1y ({connection.vendor}; {entries} entries over 365 days; {TRENDS_QUERIES} queries)",
         {"trends 1y": r})
    bench_results["analytics_trends_1y"] = r | {
        "entries": entries, "days": 365, "queries": _queries(client, url, params, auth), "target_ms": TRENDS_TARGET_MS,
    }
    assert r["p50_ms"] < TRENDS_TARGET_MS and r["p95_ms"] < TRENDS_TARGET_MS
