"""Meal-plan generator benchmark: a 7-day plan for 50 random profiles.

Each profile: sex, age, weight, height, activity and goal drawn at random (targets computed
from the profile as in the app), a random budget and 0-2 random allergies or restrictions.
The whole service runs (candidates, one MILP per day, saving the plan and its items).
Measured: median and p95 seconds per plan, and the worst deviation of any day from its
target (energy must stay within 5 %, protein, fat and carbohydrate within 10 %).
Target: every plan under 5 s, every day within tolerance. Run with ``make bench``.
"""

from __future__ import annotations

import random
import statistics
import time

import pytest

pytestmark = [pytest.mark.bench, pytest.mark.django_db]

PROFILES = 50
CHOICES = ["gluten", "lacteos", "huevo", "cacahuate", "nueces", "mariscos", "pescado", "vegetariano", "sin_cerdo",
           "vegano"]


def test_bench_generate_seven_days(bench_results, make_user, mexican_recipes):
    from clinical.generator import catalog, optimizer
    from clinical.models import MealPlanItem
    from clinical.services import plan_generator as gen

    rng = random.Random(2026)
    seconds, worst, relaxed, costs = [], {m: 0.0 for m in optimizer.MACROS}, [], []
    for n in range(PROFILES):
        person = make_user(
            sex=rng.choice(["female", "male"]), weight_kg=rng.randint(48, 120), height_cm=rng.randint(148, 195),
            date_of_birth=f"{rng.randint(1950, 2006)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
            activity_level=rng.choice(["sedentary", "light", "moderate", "active", "very_active"]),
            goal=rng.choice(["weight_loss", "maintenance", "muscle_gain"]),
        )
        avoid = rng.sample(CHOICES, rng.randint(0, 2))
        started = time.perf_counter()
        result = gen.meal_plan_generate(
            actor=person, days=7, budget=rng.choice(["bajo", "medio", "alto"]),
            allergies=[c for c in avoid if c in catalog.ALLERGIES],
            restrictions=[c for c in avoid if c in catalog.RESTRICTIONS], seed=n,
        )
        seconds.append(time.perf_counter() - started)
        plan, targets = result.plan, result.targets
        relaxed.append(plan.generated_meta["relaxed"])
        costs.append(sum(d.cost for d in result.days) / 7)
        totals: dict[int, dict[str, float]] = {}
        for item in MealPlanItem.objects.filter(day__plan=plan).select_related("day"):
            row = totals.setdefault(item.day.number, dict.fromkeys(optimizer.MACROS, 0.0))
            for m in optimizer.MACROS:
                row[m] += getattr(item, m)
        assert len(totals) == 7
        for row in totals.values():
            for m in optimizer.MACROS:
                worst[m] = max(worst[m], abs(row[m] - targets[m]) / targets[m])
    seconds.sort()
    p95 = statistics.quantiles(seconds, n=100, method="inclusive")[94]
    figures = {
        "profiles": PROFILES, "days": 7,
        "median_s": round(statistics.median(seconds), 3), "p95_s": round(p95, 3), "max_s": round(seconds[-1], 3),
        "worst_deviation_pct": {m: round(100 * v, 2) for m, v in worst.items()},
        "plans_with_relaxation": sum(1 for r in relaxed if r),
        "relaxations": sorted({x for r in relaxed for x in r}),
        "mean_daily_cost_mxn": round(statistics.fmean(costs), 2),
    }
    print(f"\nMeal-plan generator, 7 days × {PROFILES} random profiles")
    print(f"  median {figures['median_s']:.2f} s, p95 {figures['p95_s']:.2f} s, max {figures['max_s']:.2f} s")
    print(f"  worst day deviation (%): {figures['worst_deviation_pct']}")
    print(f"  plans with a relaxed constraint: {figures['plans_with_relaxation']} {figures['relaxations']}")
    print(f"  mean daily cost of what is eaten: ${figures['mean_daily_cost_mxn']}")
    bench_results["plan_generator_7_days"] = figures
    assert seconds[-1] < 5.0
    assert worst["energy_kcal"] <= 0.05 and all(worst[m] <= 0.10 for m in ("protein_g", "fat_g", "carbs_g"))
