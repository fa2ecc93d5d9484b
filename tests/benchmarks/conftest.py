"""Benchmarks run only when asked for: ``make bench`` (``-m bench``). Any other run, such as
``make test`` or a bare ``pytest``, leaves them out."""

import pytest


def pytest_collection_modifyitems(config, items):
    if "bench" in (config.getoption("markexpr") or "").replace("not bench", ""):
        return
    kept = [item for item in items if item.get_closest_marker("bench") is None]
    if len(kept) != len(items):
        config.hook.pytest_deselected(items=[item for item in items if item not in kept])
        items[:] = kept


@pytest.fixture(scope="session")
def bench_results():
    """Collects the figures of this run and writes them to bench/results.json at the end."""
    import json
    import platform
    import sys
    from datetime import UTC, datetime
    from pathlib import Path

    from django.conf import settings
    from django.db import connection

    results: dict = {}
    yield results
    if not results:
        return
    health = results.get("health", {}).get("p50_ms")
    ratios = {}
    if health and "login" in results:
        ratios["login_p50_over_health_p50"] = round(results["login"]["p50_ms"] / health, 1)
    if health and "notifications_list" in results:
        ratios["notifications_limit20_p50_over_health_p50"] = round(
            results["notifications_list"]["limit_20"]["p50_ms"] / health, 1
        )
        ratios["notifications_p95_limit100_over_limit20"] = results["notifications_list"].pop("ratio_p95_limit100_to_limit20")
    out = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "environment": {
            "python": sys.version.split()[0],
            "machine": platform.machine(),
            "database": connection.vendor,
            "cache": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1],
            "client": "django.test.Client (in-process, no network)",
        },
        "benchmarks": results,
        "ratios": ratios,
    }
    path = Path(__file__).resolve().parents[2] / "bench" / "results.json"
    path.parent.mkdir(exist_ok=True)
    # A run of some benchmarks (-k, one file) updates their figures and keeps the others'.
    try:
        previous = json.loads(path.read_text())
    except (OSError, ValueError):
        previous = {}
    out["benchmarks"] = {**previous.get("benchmarks", {}), **results}
    out["ratios"] = {**previous.get("ratios", {}), **ratios}
    path.write_text(json.dumps(out, indent=2, ensure_ascii=False) + "\n")
    print(f"\nratios: {ratios}\nwrote {path}")
