"""Meal plan builder benchmark: recomputing a day's totals after an edit.

A day with 5 meal slots × 4 items. Measured over 30 runs each (p50/p95):
* the htmx item-add request end to end (POST, service, re-rendered slot + out-of-band totals),
* ``plan_day_totals`` alone.
Target: under 100 ms. Run with ``make bench``.
"""

from __future__ import annotations

import pytest

from tests.benchmarks.test_bench_foundation import measure, show

pytestmark = [pytest.mark.bench, pytest.mark.django_db]

MEALS = ("desayuno", "colacion_matutina", "comida", "colacion_vespertina", "cena")
GROUPS = ("cereales_sin_grasa", "aoa_bajo", "verduras", "frutas")


def test_bench_plan_day_totals(bench_results, client, make_user):
    from django.db import connection

    from accounts.models import Role, RoleGrant
    from clinical.models import MealPlanItem, NutritionistProfile, VerificationStatus
    from clinical.selectors.plans import plan_day_totals
    from clinical.services.plans import plan_create, plan_item_add

    author = make_user(user_type="nutritionist", first_name="Nora")
    NutritionistProfile.objects.create(user=author, slug=author.username, license_number="9912345",
                                       verification_status=VerificationStatus.VERIFIED)
    RoleGrant.objects.get_or_create(user=author, role=Role.NUTRITIONIST)
    plan = plan_create(actor=author, title="Bench", days=1, targets={"energy_kcal": 2000})
    for meal in MEALS:
        for group in GROUPS:
            plan_item_add(actor=author, plan_id=plan.pk, day_number=1, meal=meal, kind="smae", smae_group=group,
                          quantity=1)
    client.force_login(author)
    url = f"/consulta/planes/{plan.pk}/items/"

    def add():
        resp = client.post(url, {"day": 1, "meal": "comida", "kind": "smae", "smae_group": "frutas", "quantity": "1"},
                           HTTP_HX_REQUEST="true")
        assert resp.status_code == 200
        MealPlanItem.objects.filter(day__plan=plan).order_by("-id").first().delete()  # keep 20 items

    request = measure(add, 30)
    totals = measure(lambda: plan_day_totals(plan, 1), 30)
    show(f"Plan day totals, 5 slots × 4 items ({connection.vendor})",
         {"htmx item add (end to end)": request, "plan_day_totals": totals})
    bench_results["clinical_plan_day_totals"] = {
        "database": connection.vendor, "items": 20, "htmx_item_add": request, "plan_day_totals": totals,
        "target_ms": 100, "meets_target": request["p95_ms"] < 100 and totals["p95_ms"] < 100,
    }
    assert totals["p95_ms"] < 100
