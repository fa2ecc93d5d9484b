"""Foundation benchmarks: what a request costs before any feature adds to it.

* GET /api/v1/health, p50/p95 over 300 requests (the whole middleware stack, no database);
* POST /api/v1/auth/login, p50/p95 over 50 requests with the production password hasher
  (PBKDF2; the suite's MD5 would hide the cost a person actually waits for), rate limits off;
* GET /api/v1/users/notifications for a user with 100 notifications: the query count pinned
  (the same for a page of 20 and of 100: no N+1), and p50/p95 over 100 requests.

Run with ``make bench``; figures are printed and written to bench/results.json. Requests go
through Django's test client (in-process), so these are server-side costs without network.
"""

from __future__ import annotations

import statistics
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework_simplejwt.tokens import AccessToken

import config.settings as configured

pytestmark = [pytest.mark.bench, pytest.mark.django_db]

NOTIFICATIONS_QUERIES = 3  # user (JWT), count, page


def measure(fn, n: int, warmup: int = 5) -> dict:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    q = statistics.quantiles(samples, n=100, method="inclusive")
    return {
        "n": n,
        "p50_ms": round(statistics.median(samples), 3),
        "p95_ms": round(q[94], 3),
        "max_ms": round(samples[-1], 3),
        "mean_ms": round(statistics.fmean(samples), 3),
    }


def show(title: str, rows: dict[str, dict]) -> None:
    print(f"\n{title}")
    print(f"  {'case':<34} {'n':>5} {'p50 ms':>9} {'p95 ms':>9} {'max ms':>9}")
    for name, r in rows.items():
        print(f"  {name:<34} {r['n']:>5} {r['p50_ms']:>9.2f} {r['p95_ms']:>9.2f} {r['max_ms']:>9.2f}")


def test_bench_health(client, bench_results):
    def call():
        assert client.get("/api/v1/health").status_code == 200

    health = measure(call, 300)
    show("GET /api/v1/health", {"health": health})
    bench_results["health"] = health


def test_bench_login(client, settings, make_user, password, bench_results):
    settings.API_RATE_LIMITS_ENABLED = False
    settings.ACCOUNT_RATE_LIMITS = False
    user = make_user(email="bench@example.mx")
    body = {"email": user.email, "password": password}

    def call():
        response = client.post("/api/v1/auth/login", body, content_type="application/json")
        assert response.status_code == 200, response.content
        assert response.json()["tokens"]["access_token"]

    fast = measure(call, 50)  # the suite's MD5 hasher: everything but password hashing
    settings.PASSWORD_HASHERS = configured.PASSWORD_HASHERS
    user.set_password(password)
    user.save(update_fields=["password"])
    real = measure(call, 50)
    show("POST /api/v1/auth/login", {f"login ({configured.PASSWORD_HASHERS[0].rsplit('.', 1)[-1]})": real,
                                      "login (MD5, i.e. without hashing)": fast})
    bench_results["login"] = real | {"hasher": configured.PASSWORD_HASHERS[0]}
    bench_results["login_without_hashing"] = fast


def test_bench_notifications_list(client, settings, user, django_assert_num_queries, bench_results):
    from accounts.models import Notification

    settings.API_RATE_LIMITS_ENABLED = False
    Notification.objects.bulk_create(
        Notification(user=user, kind="bench", title=f"Aviso {i}", body="cuerpo", data={"i": i}) for i in range(100)
    )
    auth = {"HTTP_AUTHORIZATION": f"Bearer {AccessToken.for_user(user)}"}
    url = "/api/v1/users/notifications"

    rows, queries = {}, {}
    for limit in (20, 100):
        with django_assert_num_queries(NOTIFICATIONS_QUERIES):
            response = client.get(url, {"limit": limit}, **auth)
        assert response.status_code == 200
        body = response.json()
        assert body["total_results"] == 100 and len(body["results"]) == limit
        with CaptureQueriesContext(connection) as ctx:
            client.get(url, {"limit": limit}, **auth)
        queries[limit] = len(ctx.captured_queries)

        def call(limit=limit):
            assert client.get(url, {"limit": limit}, **auth).status_code == 200

        rows[f"notifications limit={limit}"] = measure(call, 100)
    show(f"GET {url} (100 notifications; {NOTIFICATIONS_QUERIES} queries per request)", rows)
    bench_results["notifications_list"] = {
        "notifications": 100,
        "queries_per_request": queries,
        "limit_20": rows["notifications limit=20"],
        "limit_100": rows["notifications limit=100"],
        "ratio_p95_limit100_to_limit20": round(
            rows["notifications limit=100"]["p95_ms"] / rows["notifications limit=20"]["p95_ms"], 2
        ),
    }
