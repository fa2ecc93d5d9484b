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

from django.db.models import Count, Q

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


def adherence_windows(*, patient_ids, today: date_type, windows=(7,)) -> dict[int, dict[int, dict]]:
    """``{days: {patient_id: stats}}`` for each window of ``days`` ending ``today`` (see
    ``adherence_bulk`` for the stats). One diary query, the plan queries and one log query
    cover every window at once (conditional counts), so the roster pays for 7 and 30 days once."""
    patient_ids = list(patient_ids)
    windows = sorted(set(windows))
    longest = windows[-1]
    first_day = today - timedelta(days=longest - 1)
    starts = {days: today - timedelta(days=days - 1) for days in windows}
    logged = {
        row["user_id"]: row
        for row in DiaryEntry.objects.filter(user_id__in=patient_ids, date__range=(first_day, today))
        .values("user_id")
        .annotate(**{f"d{days}": Count("date", distinct=True, filter=Q(date__gte=starts[days])) for days in windows})
        .order_by()
    }
    planned = planned_counts(patient_ids=patient_ids, start=first_day, end=today)
    followed = {
        row["patient_id"]: row
        for row in PlanItemLog.objects.filter(
            patient_id__in=patient_ids, date__range=(first_day, today), item__day__plan__status=PlanStatus.ACTIVE
        )
        .values("patient_id")
        .annotate(**{f"d{days}": Count("id", filter=Q(date__gte=starts[days])) for days in windows})
        .order_by()
    }
    out: dict[int, dict[int, dict]] = {days: {} for days in windows}
    for pid in patient_ids:
        for days in windows:
            total_planned = sum(n for day, n in planned.get(pid, {}).items() if day >= starts[days])
            done = min((followed.get(pid) or {}).get(f"d{days}", 0), total_planned)
            k = (logged.get(pid) or {}).get(f"d{days}", 0)
            out[days][pid] = {
                "days": days,
                "logged_days": k,
                "logging_pct": round(100 * k / days),
                "planned": total_planned,
                "followed": done,
                "plan_pct": round(100 * done / total_planned) if total_planned else None,
            }
    return out


def adherence_bulk(*, patient_ids, today: date_type, days: int = 7) -> dict[int, dict]:
    """``{patient_id: {"days": n, "logged_days": k, "logging_pct": int, "planned": p,
    "followed": f, "plan_pct": int | None}}`` for the window of ``days`` ending ``today``."""
    return adherence_windows(patient_ids=patient_ids, today=today, windows=(days,))[days]
