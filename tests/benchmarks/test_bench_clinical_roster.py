"""Roster benchmark: one verified nutritionist with 500 patients in open care, each with 90
days of diary entries (3–4 a day) and a weight log every 3 days, all bulk-created.

Measured (p50/p95 over 20 requests after a warm-up, query count once):

* GET /api/v1/nutritionist/patients?limit=20 (sorted by name: metrics for the page only)
* GET /api/v1/nutritionist/patients?limit=20&sort=-adherence (metrics for all 500)
* GET /consulta/pacientes/ (the page, sorted by name) and ?sort=adherence

Target: p95 < 300 ms on PostgreSQL (the integrator runs it there). Run with
``pytest -p no:xdist -m bench tests/benchmarks/test_bench_clinical_roster.py -s``.
"""

from __future__ import annotations

import gc
import random
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework_simplejwt.tokens import AccessToken

from tests.benchmarks.test_bench_foundation import measure, show
from tests.clinical.conftest import make_nutritionist  # noqa: F401  (fixture)

pytestmark = [pytest.mark.bench, pytest.mark.django_db]

PATIENTS = 500
DAYS = 90
TARGET_P95_MS = 300
RUNS = 20
ROSTER_API_QUERIES = 12  # user (JWT), verified check, then the roster's (fixed whatever the number of patients)
MEALS = ["desayuno", "colacion_matutina", "comida", "colacion_vespertina", "cena"]


def _population(nutritionist):
    from accounts.models import Profile, User
    from clinical.models import CareConsent, CareRelationship, CareStatus, ConsentScope
    from nutrition.models import DiaryEntry, WeightLog

    rng = random.Random(42)
    today = timezone.localdate()
    users = User.objects.bulk_create(
        User(email=f"paciente{i}@bench.mx", username=f"paciente{i}", first_name=f"Paciente{i:03d}",
             last_name="Bench", password="!", user_type="patient")
        for i in range(PATIENTS)
    )
    Profile.objects.bulk_create(
        Profile(user=u, sex="female", height_cm=Decimal("160"), weight_kg=Decimal("80"),
                date_of_birth=today.replace(year=today.year - 35), goal="weight_loss", target_weight_kg=Decimal("70"))
        for u in users
    )
    assigned = timezone.now() - timedelta(days=DAYS)
    rels = CareRelationship.objects.bulk_create(
        CareRelationship(nutritionist=nutritionist, patient=u, status=CareStatus.ACTIVE, assigned_at=assigned,
                         initiated_by=nutritionist, primary_goal="weight_loss",
                         start_weight_kg=None if i % 2 else Decimal("82.0"), target_weight_kg=Decimal("70.0"))
        for i, u in enumerate(users)
    )
    CareConsent.objects.bulk_create(
        CareConsent(relationship=r, scope=s, granted=True) for r in rels for s in ConsentScope.values
    )
    entries, logs = [], []
    for u in users:
        weight = 82.0
        for d in range(DAYS):
            day = today - timedelta(days=DAYS - 1 - d)
            if rng.random() < 0.1:
                continue  # a skipped day now and then
            for k in range(rng.choice((3, 4))):
                entries.append(DiaryEntry(user=u, date=day, meal=MEALS[k], quantity=100, grams=100,
                                          name="Tortilla de maíz", energy_kcal=rng.uniform(250, 650),
                                          protein_g=15, fat_g=10, carbs_g=50, fiber_g=3))
            if d % 3 == 0:
                weight += rng.uniform(-0.6, 0.3)
                logs.append(WeightLog(user=u, date=day, weight_kg=Decimal(f"{weight:.1f}")))
        if len(entries) > 20000:
            DiaryEntry.objects.bulk_create(entries, batch_size=2000)
            entries = []
    DiaryEntry.objects.bulk_create(entries, batch_size=2000)
    WeightLog.objects.bulk_create(logs, batch_size=2000)
    return users


def _count(client, url, params, headers) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params, **headers).status_code == 200
    return len(ctx.captured_queries)


def test_bench_roster(client, settings, make_nutritionist, bench_results):  # noqa: F811
    settings.API_RATE_LIMITS_ENABLED = False
    nutritionist = make_nutritionist()
    _population(nutritionist)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # fresh statistics, as autovacuum keeps them in production
            cursor.execute("ANALYZE")
    # The benchmark process built 150,000 diary rows in Python; a server process holds none of
    # them. Freeze what exists now so the collector's full passes over that setup heap do not
    # land inside the measured requests.
    gc.collect()
    gc.freeze()
    jwt = {"HTTP_AUTHORIZATION": f"Bearer {AccessToken.for_user(nutritionist)}"}
    api = "/api/v1/nutritionist/patients"

    body = client.get(api, {"limit": 20, "sort": "-adherence"}, **jwt).json()
    assert body["total_results"] == PATIENTS and len(body["results"]) == 20
    rates = [r["adherence_rate"] for r in body["results"]]
    assert rates == sorted(rates, reverse=True) and rates[0] is not None
    assert body["results"][0]["current_weight_kg"] is not None

    page_client = client.__class__()
    page_client.force_login(nutritionist)
    cases = {
        "api limit 20 by name": (client, api, {"limit": 20}, jwt),
        "api limit 20 by adherence (500)": (client, api, {"limit": 20, "sort": "-adherence"}, jwt),
        "api limit 20 by progress (500)": (client, api, {"limit": 20, "sort": "-progress"}, jwt),
        "page by name": (page_client, "/consulta/pacientes/", {}, {}),
        "page by adherence (500)": (page_client, "/consulta/pacientes/", {"sort": "adherence"}, {}),
    }
    rows, results = {}, {}
    for label, (c, url, params, headers) in cases.items():
        def call(c=c, url=url, params=params, headers=headers):
            assert c.get(url, params, **headers).status_code == 200

        rows[label] = measure(call, RUNS, warmup=2)
        results[label] = rows[label] | {"queries": _count(c, url, params, headers)}
    gc.unfreeze()
    show(f"Roster, {PATIENTS} patients × {DAYS} days ({connection.vendor})", rows)
    for label, r in results.items():
        print(f"  {label}: {r['queries']} queries")
    bench_results["clinical_roster"] = {
        "patients": PATIENTS, "days": DAYS, "target_p95_ms": TARGET_P95_MS, "database": connection.vendor,
        "cases": results,
    }
    assert results["api limit 20 by name"]["queries"] == ROSTER_API_QUERIES
    assert results["api limit 20 by adherence (500)"]["queries"] == ROSTER_API_QUERIES + 3
    assert results["api limit 20 by progress (500)"]["queries"] == ROSTER_API_QUERIES + 2
    if connection.vendor == "postgresql":
        for label, r in results.items():
            assert r["p95_ms"] < TARGET_P95_MS, f"{label}: p95 {r['p95_ms']} ms"
