"""Adherence of patients, computed in bulk for the roster and one patient's pages.

- ``logging``: share of days in the window with at least one diary entry.
- ``plan``: planned items of the patient's assigned plans on those days that the patient
  logged (or marked eaten as planned), over all planned items. None when no plan covered
  the window.

Both over the last ``days`` days ending ``today`` (inclusive). A fixed number of queries
whatever the number of patients.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date as date_type
from datetime import timedelta

from django.db.models import Count

from clinical.models import MealPlan, MealPlanItem, PlanItemLog, PlanStatus
from nutrition.models import DiaryEntry


def plan_day_number(plan_start: date_type, day: date_type, days_in_plan: int) -> int | None:
    """Which day (1..N) of a cyclic plan falls on ``day``; None before the start."""
    if days_in_plan <= 0 or day < plan_start:
        return None
    return (day - plan_start).days % days_in_plan + 1


def planned_counts(*, patient_ids, start: date_type, end: date_type) -> dict[int, dict[date_type, int]]:
    """``{patient_id: {date: planned items}}`` from assigned plans (2 queries)."""
    plans = list(
        MealPlan.objects.filter(patient_id__in=patient_ids, status=PlanStatus.ACTIVE, start_date__lte=end)
        .exclude(end_date__lt=start)
        .values("id", "patient_id", "start_date", "end_date")
    )
    if not plans:
        return {}
    per_day = defaultdict(dict)  # plan id -> {day number: items}
    days_in = defaultdict(int)
    for row in (
        MealPlanItem.objects.filter(day__plan_id__in=[p["id"] for p in plans])
        .values("day__plan_id", "day__number")
        .annotate(n=Count("id"))
    ):
        per_day[row["day__plan_id"]][row["day__number"]] = row["n"]
    from clinical.models import MealPlanDay

    for row in MealPlanDay.objects.filter(plan_id__in=[p["id"] for p in plans]).values("plan_id").annotate(n=Count("id")):
        days_in[row["plan_id"]] = row["n"]
    result: dict[int, dict[date_type, int]] = defaultdict(dict)
    for plan in plans:
        first = max(start, plan["start_date"])
        last = min(end, plan["end_date"] or end)
        day = first
        while day <= last:
            number = plan_day_number(plan["start_date"], day, days_in[plan["id"]])
            count = per_day[plan["id"]].get(number, 0) if number else 0
            if count:
                result[plan["patient_id"]][day] = result[plan["patient_id"]].get(day, 0) + count
            day += timedelta(days=1)
    return result


def adherence_bulk(*, patient_ids, today: date_type, days: int = 7) -> dict[int, dict]:
    """``{patient_id: {"days": n, "logged_days": k, "logging_pct": int, "planned": p,
    "followed": f, "plan_pct": int | None}}`` for the window of ``days`` ending ``today``."""
    patient_ids = list(patient_ids)
    start = today - timedelta(days=days - 1)
    logged_days = dict(
        DiaryEntry.objects.filter(user_id__in=patient_ids, date__range=(start, today))
        .values("user_id")
        .annotate(n=Count("date", distinct=True))
        .values_list("user_id", "n")
    )
    planned = planned_counts(patient_ids=patient_ids, start=start, end=today)
    followed = dict(
        PlanItemLog.objects.filter(patient_id__in=patient_ids, date__range=(start, today), item__day__plan__status=PlanStatus.ACTIVE)
        .values("patient_id")
        .annotate(n=Count("id"))
        .values_list("patient_id", "n")
    )
    out = {}
    for pid in patient_ids:
        total_planned = sum(planned.get(pid, {}).values())
        done = min(followed.get(pid, 0), total_planned)
        k = logged_days.get(pid, 0)
        out[pid] = {
            "days": days,
            "logged_days": k,
            "logging_pct": round(100 * k / days),
            "planned": total_planned,
            "followed": done,
            "plan_pct": round(100 * done / total_planned) if total_planned else None,
        }
    return out
