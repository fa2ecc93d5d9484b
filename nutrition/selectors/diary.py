"""Reads of the diary: a day (meals, totals against targets, water, exercise, weight), a
week, and the user's targets. Query counts are fixed whatever the number of entries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date as date_type
from datetime import timedelta

from django.db.models import Count, Q, Sum

from nutrition import smae
from nutrition.calc import add_up, macro_split
from nutrition.models import (
    ENTRY_NUTRIENTS,
    DiaryEntry,
    ExerciseLog,
    Meal,
    NutritionTarget,
    WaterLog,
    WeightLog,
)
from nutrition.targets import Targets, targets_apply_overrides, targets_compute

# The day's figures compared with targets, in the order the page shows them.
PROGRESS_FIELDS = ("energy_kcal", "protein_g", "fat_g", "carbs_g", "fiber_g", "sodium_mg")
# Sodium is a ceiling: going over is bad, not "goal reached".
CEILINGS = {"sodium_mg"}


def targets_get(*, user) -> Targets:
    """The user's daily targets: computed from the profile, with any override applied.
    Two queries (profile, override)."""
    from accounts.models import Profile

    profile = Profile.objects.filter(user=user).first() or Profile(user=user)
    override = NutritionTarget.objects.select_related("set_by").filter(user=user).first()
    targets = targets_apply_overrides(targets_compute(profile), override, goal=profile.goal)
    # SMAE exchanges per meal the nutritionist planned ({meal: {code: count}}), shown next to
    # what was logged in each meal.
    targets.meal_equivalents = (override.meal_equivalents if override is not None else None) or {}
    if targets.meal_equivalents and not targets.set_by_name and override.set_by_id not in (None, override.user_id):
        targets.set_by_name = override.set_by.get_full_name() if override.set_by else ""
    return targets


def targets_explain(*, user) -> dict:
    """How the targets were computed, for the targets page: the profile, the computed values,
    the effective ones (with overrides), the override row, activity factor, goal adjustment
    and macro split in percent."""
    from accounts.models import Profile
    from nutrition.targets import ACTIVITY_FACTORS, GOAL_ADJUSTMENT, MACRO_SPLIT

    profile = Profile.objects.filter(user=user).first() or Profile(user=user)
    override = NutritionTarget.objects.select_related("set_by").filter(user=user).first()
    computed = targets_compute(profile)
    targets = targets_apply_overrides(targets_compute(profile), override, goal=profile.goal)
    goal = profile.goal or "maintenance"
    split = MACRO_SPLIT.get(goal, MACRO_SPLIT["default"])
    return {
        "profile": profile,
        "override": override,
        "computed": computed,
        "targets": targets,
        "factor": ACTIVITY_FACTORS.get(profile.activity_level, 1.2) if computed.complete else None,
        "adjustment": GOAL_ADJUSTMENT.get(goal, 0),
        "split": {"protein": round(split[0] * 100), "fat": round(split[1] * 100), "carbs": round(split[2] * 100)},
    }


def diary_entry_get(*, user, entry_id) -> DiaryEntry:
    """One of ``user``'s own entries (``DiaryEntry.DoesNotExist`` otherwise: another person's
    entry is never fetched)."""
    return DiaryEntry.objects.select_related("food", "portion").get(user=user, pk=entry_id)


def activities_list() -> list:
    """The MET table, sorted by name in the active language."""
    from nutrition.models import Activity, is_spanish

    return list(Activity.objects.order_by("name_es" if is_spanish() else "name_en"))


def progress_rows(totals: dict, targets: Targets) -> list[dict]:
    rows = []
    for name in PROGRESS_FIELDS:
        value = totals.get(name)
        goal = getattr(targets, name)
        percent = round(100 * (value or 0) / goal, 1) if goal else None
        over = percent is not None and percent > (100 if name in CEILINGS else 110)
        rows.append(
            {
                "field": name,
                "value": value,
                "goal": goal,
                "percent": percent,
                "bar": min(100, percent or 0),
                "remaining": None if goal is None else round(goal - (value or 0), 1),
                "over": over,
                "ceiling": name in CEILINGS,
            }
        )
    return rows


@dataclass
class MealBlock:
    code: str
    label: str
    entries: list = field(default_factory=list)
    totals: dict = field(default_factory=dict)
    equivalents: list = field(default_factory=list)
    planned: list = field(default_factory=list)  # SMAE exchanges the nutritionist planned


@dataclass
class Day:
    date: date_type
    meals: list[MealBlock]
    totals: dict
    targets: Targets
    progress: list[dict]
    macro_split: dict
    equivalents: list
    water_ml: int
    water_logs: list
    exercise: list
    exercise_kcal: float
    weight: WeightLog | None
    entry_count: int


def _entry_equivalents(entry) -> dict:
    if entry.food is not None and entry.grams:
        return smae.food_equivalents(entry.food, entry.grams)
    return smae.nutrient_equivalents({f: getattr(entry, f) for f in ("carbs_g", "protein_g", "fat_g")})


def diary_day(*, user, day: date_type) -> Day:
    """Everything the day page and ``/analytics/daily-summary`` show for one date, in 7 queries
    whatever the number of entries (entries with their foods, profile, override, water,
    exercise, weight, SMAE groups once per process)."""
    entries = list(
        DiaryEntry.objects.filter(user=user, date=day)
        .select_related("food", "food__smae_group", "portion")
        .order_by("created_at", "id")
    )
    smae.groups()
    targets = targets_get(user=user)
    meals = []
    for code, label in Meal.choices:
        items = [e for e in entries if e.meal == code]
        equivalents = smae.merge(_entry_equivalents(e) for e in items)
        meals.append(
            MealBlock(
                code=code,
                label=label,
                entries=items,
                totals=add_up({f: getattr(e, f) for f in ENTRY_NUTRIENTS} for e in items),
                equivalents=smae.as_list(equivalents),
                planned=smae.as_list(targets.meal_equivalents.get(code) or {}),
            )
        )
    totals = add_up({f: getattr(e, f) for f in ENTRY_NUTRIENTS} for e in entries)
    water_logs = list(WaterLog.objects.filter(user=user, date=day).order_by("created_at"))
    exercise = list(ExerciseLog.objects.filter(user=user, date=day).select_related("activity").order_by("created_at"))
    weight = WeightLog.objects.filter(user=user, date=day).first()
    return Day(
        date=day,
        meals=meals,
        totals=totals,
        targets=targets,
        progress=progress_rows(totals, targets),
        macro_split=macro_split(totals["energy_kcal"], totals["protein_g"], totals["fat_g"], totals["carbs_g"]),
        equivalents=smae.as_list(smae.merge(_entry_equivalents(e) for e in entries)),
        water_ml=sum(w.ml for w in water_logs),
        water_logs=water_logs,
        exercise=exercise,
        exercise_kcal=round(sum(x.energy_kcal for x in exercise), 1),
        weight=weight,
        entry_count=len(entries),
    )


def daily_totals(*, user, start: date_type, end: date_type) -> dict[date_type, dict]:
    """{date: {energy_kcal, protein_g, fat_g, carbs_g, fiber_g, sodium_mg, sugars_g, entries}} for
    the days between ``start`` and ``end`` (inclusive) that have entries. One query."""
    rows = (
        DiaryEntry.objects.filter(user=user, date__gte=start, date__lte=end)
        .values("date")
        .annotate(
            entries=Count("id"),
            **{f: Sum(f) for f in ("energy_kcal", "protein_g", "fat_g", "carbs_g", "fiber_g", "sodium_mg", "sugars_g")},
        )
        .order_by("date")
    )
    return {r.pop("date"): r for r in rows}


def diary_week(*, user, day: date_type) -> dict:
    """The Monday-to-Sunday week around ``day``: per-day totals and targets (3 queries)."""
    start = day - timedelta(days=day.weekday())
    end = start + timedelta(days=6)
    totals = daily_totals(user=user, start=start, end=end)
    targets = targets_get(user=user)
    days = []
    for i in range(7):
        d = start + timedelta(days=i)
        t = totals.get(d, {})
        kcal = t.get("energy_kcal")
        days.append(
            {
                "date": d,
                "energy_kcal": kcal,
                "protein_g": t.get("protein_g"),
                "fat_g": t.get("fat_g"),
                "carbs_g": t.get("carbs_g"),
                "entries": t.get("entries", 0),
                "percent": round(100 * (kcal or 0) / targets.energy_kcal, 1) if targets.energy_kcal else None,
            }
        )
    logged = [d for d in days if d["entries"]]
    average = round(sum(d["energy_kcal"] or 0 for d in logged) / len(logged)) if logged else None
    return {"start": start, "end": end, "days": days, "targets": targets, "average_kcal": average,
            "logged_days": len(logged)}


def logged_dates(*, user, since: date_type | None = None) -> list[date_type]:
    qs = DiaryEntry.objects.filter(user=user)
    if since:
        qs = qs.filter(date__gte=since)
    return list(qs.values_list("date", flat=True).distinct().order_by("-date"))


def streak_days(*, user, today: date_type) -> int:
    """Consecutive days with at least one entry, ending today (or yesterday, so the streak does
    not look broken in the morning before breakfast is logged)."""
    dates = set(logged_dates(user=user, since=today - timedelta(days=800)))
    start = today if today in dates else today - timedelta(days=1)
    count = 0
    while start in dates:
        count += 1
        start -= timedelta(days=1)
    return count


def meal_filter(meal: str | None):
    return Q(meal=meal) if meal else Q()
