"""Public site benchmarks: the home page an anonymous visitor gets.

* GET / with the home HTML cached (the target: p95 under 50 ms), over 300 requests;
* GET / rendered every time (the cache cleared before each request), over 50 requests, to show
  what the cache saves; and the query count of a cached hit.

The home has every section an editor would add (hero with figures, features, programs, latest
posts with six published posts with images, final call to action). Run with ``make bench``.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.benchmarks.test_bench_foundation import measure, show
from tests.content.home_blog_fixtures import make_post, site_tree  # noqa: F401

pytestmark = [pytest.mark.bench, pytest.mark.django_db]

HOME_P95_TARGET_MS = 50


def test_bench_home_cached(client, site_tree, make_post, bench_results):  # noqa: F811
    for i in range(6):
        make_post(f"Entrada de prueba {i}", date=datetime.date(2026, 1, 1) + datetime.timedelta(days=i),
                  tags=["nutricion"])

    def get(expect):
        response = client.get("/")
        assert response.status_code == 200
        assert response["X-Home-Cache"] == expect

    def uncached():
        cache.clear()
        get("miss")

    rendered = measure(uncached, 50)
    client.get("/")  # fill the cache
    cached = measure(lambda: get("hit"), 300)
    with CaptureQueriesContext(connection) as queries:
        get("hit")
    show("GET / (home, anonymous)", {"rendered every time": rendered, "cached": cached})
    print(f"  queries on a cached hit: {len(queries)}")
    bench_results["content_home"] = {
        "cached": cached,
        "rendered": rendered,
        "cached_hit_queries": len(queries),
        "p50_speedup": round(rendered["p50_ms"] / cached["p50_ms"], 1) if cached["p50_ms"] else None,
        "target_p95_ms": HOME_P95_TARGET_MS,
    }
    assert cached["p95_ms"] < HOME_P95_TARGET_MS
