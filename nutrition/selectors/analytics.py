"""Reads for analytics and the progress page: daily summaries, trends with statistics and
insights, the most eaten foods, the meal history, the weight trend and the figures of the
progress page.

The database adds up: every function runs a fixed number of queries whatever the number of
diary entries (sums grouped by day, by day and meal, or by food), then arranges the rows in
Python. Dates are the user's local dates (America/Mexico_City, ``timezone.localdate()``).

Input arrives as the API and the page receive it (strings); the ``*_clean`` helpers turn it
into values or raise ``ValidationError`` with one message per field, which the API answers as
400 VALIDATION_ERROR.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from datetime import date as date_type
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db.models import Avg, Case, Count, F, IntegerField, Min, Sum, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from nutrition.calc import macro_split
from nutrition.models import MEAL_TO_SEED, DiaryEntry, Meal, WeightLog, is_spanish
from nutrition.selectors.diary import daily_totals, streak_days, targets_get
from nutrition.targets import Targets

PERIODS = {"7d": 7, "30d": 30, "90d": 90, "1y": 365}
POPULAR_PERIODS = ("7d", "30d", "90d")
DEFAULT_PERIOD = "30d"
# API metric -> diary entry field, and the target it is compared with.
METRICS = {"calories": "energy_kcal", "protein": "protein_g", "carbs": "carbs_g", "fat": "fat_g"}
SUMMARY_FIELDS = {"calories": "energy_kcal", "protein": "protein_g", "carbs": "carbs_g", "fat": "fat_g", "fiber": "fiber_g"}
MAX_SUMMARY_DAYS = 90
DEFAULT_SUMMARY_DAYS = 7
MAX_HISTORY_LIMIT = 100
POPULAR_LIMIT = 20
SEED_MEALS = ("breakfast", "lunch", "dinner", "snack")
# A day "meets" a goal when its value is within these shares of the target: calories ±10 %,
# carbohydrate and fat ±15 %; protein counts from 90 % of the target upwards (no ceiling).
GOAL_BANDS = {"calories": (0.10, 0.10), "protein": (0.10, None), "carbs": (0.15, 0.15), "fat": (0.15, 0.15)}
TREND_WINDOW_DAYS = 14  # insights compare the last 2 weeks with the 2 weeks before
TREND_MIN_DAYS = 3  # logged days each window needs before a trend is worth saying
TREND_STABLE_PCT = 3  # a change smaller than this is "stable"
BALANCE_TOLERANCE_PTS = 5  # protein share within ±5 percentage points of the target's share
SMOOTHING_WINDOW = 7  # weight: centred moving average over 7 weigh-ins


# ---------------------------------------------------------------------------------------
# input


def _invalid(field: str, message: str) -> ValidationError:
    return ValidationError({field: [message]})


def period_clean(value, *, allowed=tuple(PERIODS), default: str = DEFAULT_PERIOD) -> str:
    """``7d``, ``30d``, ``90d`` or ``1y`` (``allowed`` narrows the choice); empty -> default."""
    value = str(value or "").strip().lower() or default
    if value not in allowed:
        raise _invalid("period", _("Periodo no válido. Usa %(choices)s.") % {"choices": ", ".join(allowed)})
    return value


def metric_clean(value) -> str:
    """``calories`` (default), ``protein``, ``carbs`` or ``fat``."""
    value = str(value or "").strip().lower() or "calories"
    if value not in METRICS:
        raise _invalid("metric", _("Métrica no válida. Usa calories, protein, carbs o fat."))
    return value


def _int_clean(value, field: str, *, default: int, low: int, high: int) -> int:
    if value in (None, ""):
        return default
    try:
        number = int(str(value).strip())
    except ValueError:
        raise _invalid(field, _("Escribe un número entero entre %(low)s y %(high)s.") % {"low": low, "high": high})
    if not low <= number <= high:
        raise _invalid(field, _("Escribe un número entero entre %(low)s y %(high)s.") % {"low": low, "high": high})
    return number


def date_param_clean(value, *, field: str = "date", default: date_type | None = None) -> date_type | None:
    """A past or present ``YYYY-MM-DD`` date; empty -> ``default``."""
    if value in (None, ""):
        return default
    if isinstance(value, date_type):
        day = value
    else:
        try:
            day = date_type.fromisoformat(str(value).strip())
        except ValueError:
            raise _invalid(field, _("Fecha no válida; usa el formato AAAA-MM-DD."))
    if day > timezone.localdate():
        raise _invalid(field, _("La fecha no puede ser futura."))
    return day


def _period_start(period: str, today: date_type) -> date_type:
    return today - timedelta(days=PERIODS[period] - 1)


# ---------------------------------------------------------------------------------------
# small arithmetic


def _round(value, places: int = 1):
    return None if value is None else round(value, places)


def _percent(value, goal):
    if not goal or value is None:
        return None
    return round(100 * value / goal, 1)


def goal_met(metric: str, value: float | None, goal: float | None) -> bool:
    """Whether one day's ``value`` meets the ``goal`` of ``metric`` (see ``GOAL_BANDS``)."""
    if value is None or not goal:
        return False
    below, above = GOAL_BANDS[metric]
    if value < goal * (1 - below):
        return False
    return above is None or value <= goal * (1 + above)


def describe(values: list[float]) -> dict:
    """average, median, min, max and the population standard deviation of ``values``
    (the logged days are the whole population described, not a sample); None when empty."""
    if not values:
        return {"average": None, "median": None, "min": None, "max": None, "std_deviation": None}
    return {
        "average": round(statistics.fmean(values), 1),
        "median": round(statistics.median(values), 1),
        "min": round(min(values), 1),
        "max": round(max(values), 1),
        "std_deviation": round(statistics.pstdev(values), 1),
    }


def smooth(values: list[float], window: int = SMOOTHING_WINDOW) -> list[float]:
    """Centred moving average: each value becomes the mean of itself and up to ``window // 2``
    neighbours on each side (fewer at the ends, where the window is cut)."""
    half = window // 2
    out = []
    for i in range(len(values)):
        part = values[max(0, i - half): i + half + 1]
        out.append(round(sum(part) / len(part), 2))
    return out


def _goals(targets: Targets) -> dict:
    return {"calories": targets.energy_kcal, "protein": targets.protein_g, "carbs": targets.carbs_g, "fat": targets.fat_g}


def _meal_rows(*, user, start: date_type, end: date_type):
    """Sums per (date, meal) between two dates. One query."""
    return (
        DiaryEntry.objects.filter(user=user, date__gte=start, date__lte=end)
        .values("date", "meal")
        .annotate(
            entries=Count("id"),
            energy_kcal=Sum("energy_kcal"),
            protein_g=Sum("protein_g"),
            fat_g=Sum("fat_g"),
            carbs_g=Sum("carbs_g"),
            fiber_g=Sum("fiber_g"),
        )
        .order_by()
    )


# ---------------------------------------------------------------------------------------
# daily summary


def daily_summary(*, user, date=None, days=DEFAULT_SUMMARY_DAYS) -> dict:
    """Seed 003 ``/analytics/daily-summary``: one summary per day for the ``days`` days
    ending on ``date`` (default today), oldest first, days without entries included with
    zeros; averages over the days that have entries; the current streak.

    Four queries whatever the number of entries: sums per day and meal, profile, target
    override, logged dates (streak)."""
    today = timezone.localdate()
    end = date_param_clean(date, default=today)
    days = _int_clean(days, "days", default=DEFAULT_SUMMARY_DAYS, low=1, high=MAX_SUMMARY_DAYS)
    start = end - timedelta(days=days - 1)

    per_day: dict[date_type, dict] = {}
    for row in _meal_rows(user=user, start=start, end=end):
        day = per_day.setdefault(row["date"], {"meals": {}, "entries": 0, **dict.fromkeys(SUMMARY_FIELDS.values())})
        day["entries"] += row["entries"]
        day["meals"][row["meal"]] = row["energy_kcal"] or 0.0
        for field in SUMMARY_FIELDS.values():
            if row[field] is not None:
                day[field] = (day[field] or 0.0) + row[field]
    targets = targets_get(user=user)
    goals = _goals(targets)

    summaries, logged = [], []
    for i in range(days):
        d = start + timedelta(days=i)
        day = per_day.get(d)
        if day is None:
            nutrition = {key: 0 for key in SUMMARY_FIELDS}
            meals = {}
            entries = 0
        else:
            nutrition = {key: _round(day[field]) for key, field in SUMMARY_FIELDS.items()}
            meals = day["meals"]
            entries = day["entries"]
            logged.append(nutrition)
        distribution = dict.fromkeys(SEED_MEALS, 0.0)
        for code, kcal in meals.items():
            distribution[MEAL_TO_SEED[code]] += kcal
        summaries.append(
            {
                "date": d.isoformat(),
                "nutrition": nutrition,
                "goals": goals,
                "progress": {key: _percent(nutrition[key] or 0, goals[key]) for key in goals},
                "analyses_count": len(meals),
                "foods_count": entries,
                "meal_distribution": {key: round(value, 1) for key, value in distribution.items()},
                "meals": {code: round(meals.get(code, 0.0), 1) for code in Meal.values},
            }
        )

    def average(key):
        values = [n[key] for n in logged if n[key] is not None]
        return round(statistics.fmean(values), 1) if values else None

    return {
        "period": {"from": start.isoformat(), "to": end.isoformat(), "days": days},
        "daily_summaries": summaries,
        "averages": {
            "daily_calories": average("calories"),
            "daily_protein": average("protein"),
            "daily_carbs": average("carbs"),
            "daily_fat": average("fat"),
        },
        "streak_days": streak_days(user=user, today=today),
    }


# ---------------------------------------------------------------------------------------
# trends and insights


def _trend_message(metric: str, direction: str, pct: int) -> str:
    messages = {
        ("calories", "up"): _("Tus calorías promedio han aumentado %(pct)s %% en las últimas 2 semanas"),
        ("calories", "down"): _("Tus calorías promedio han disminuido %(pct)s %% en las últimas 2 semanas"),
        ("calories", "stable"): _("Tus calorías promedio se han mantenido estables en las últimas 2 semanas"),
        ("protein", "up"): _("Tu proteína promedio ha aumentado %(pct)s %% en las últimas 2 semanas"),
        ("protein", "down"): _("Tu proteína promedio ha disminuido %(pct)s %% en las últimas 2 semanas"),
        ("protein", "stable"): _("Tu proteína promedio se ha mantenido estable en las últimas 2 semanas"),
        ("carbs", "up"): _("Tus carbohidratos promedio han aumentado %(pct)s %% en las últimas 2 semanas"),
        ("carbs", "down"): _("Tus carbohidratos promedio han disminuido %(pct)s %% en las últimas 2 semanas"),
        ("carbs", "stable"): _("Tus carbohidratos promedio se han mantenido estables en las últimas 2 semanas"),
        ("fat", "up"): _("Tu grasa promedio ha aumentado %(pct)s %% en las últimas 2 semanas"),
        ("fat", "down"): _("Tu grasa promedio ha disminuido %(pct)s %% en las últimas 2 semanas"),
        ("fat", "stable"): _("Tu grasa promedio se ha mantenido estable en las últimas 2 semanas"),
    }
    return messages[(metric, direction)] % {"pct": pct}


def _goal_message(metric: str, met: int, days: int) -> str:
    messages = {
        "calories": _("Has alcanzado tu meta de calorías %(met)s de los últimos %(days)s días"),
        "protein": _("Has alcanzado tu meta de proteína %(met)s de los últimos %(days)s días"),
        "carbs": _("Has alcanzado tu meta de carbohidratos %(met)s de los últimos %(days)s días"),
        "fat": _("Has alcanzado tu meta de grasa %(met)s de los últimos %(days)s días"),
    }
    return messages[metric] % {"met": met, "days": days}


def _goal_distance(metric: str, value: float, goal: float) -> float:
    # More protein than the target is not a problem; for the rest, any gap is.
    return max(0.0, goal - value) if metric == "protein" else abs(value - goal)


def trend_insight(*, metric: str, series: dict[date_type, float], goal, today: date_type) -> dict | None:
    """Compare the average of the last 14 days with the 14 days before (logged days only);
    None when either window has fewer than 3 logged days. A change moving the average
    towards the goal is positive, away from it negative, under 3 % neutral."""
    recent_start = today - timedelta(days=TREND_WINDOW_DAYS - 1)
    before_start = recent_start - timedelta(days=TREND_WINDOW_DAYS)
    recent = [v for d, v in series.items() if recent_start <= d <= today]
    before = [v for d, v in series.items() if before_start <= d < recent_start]
    if len(recent) < TREND_MIN_DAYS or len(before) < TREND_MIN_DAYS:
        return None
    recent_avg, before_avg = statistics.fmean(recent), statistics.fmean(before)
    if not before_avg:
        return None
    change = 100 * (recent_avg - before_avg) / before_avg
    pct = round(abs(change))
    if pct < TREND_STABLE_PCT:
        return {"type": "trend", "message": _trend_message(metric, "stable", pct), "impact": "neutral"}
    impact = "neutral"
    if goal:
        closer = _goal_distance(metric, recent_avg, goal) - _goal_distance(metric, before_avg, goal)
        impact = "positive" if closer < 0 else "negative" if closer > 0 else "neutral"
    direction = "up" if change > 0 else "down"
    return {"type": "trend", "message": _trend_message(metric, direction, pct), "impact": impact}


def goal_insight(*, metric: str, met_days: int, period_days: int) -> dict:
    """How many days of the period met the goal: positive from 60 % of the days, negative
    under 30 %."""
    share = met_days / period_days if period_days else 0
    impact = "positive" if share >= 0.6 else "negative" if share < 0.3 else "neutral"
    return {"type": "goal", "message": _goal_message(metric, met_days, period_days), "impact": impact}


def streak_insight(streak: int) -> dict:
    """The current run of logged days: positive from 3 days."""
    if streak <= 0:
        return {
            "type": "streak",
            "message": _("No registraste comidas ayer ni hoy; registra una comida para empezar una racha."),
            "impact": "negative",
        }
    message = ngettext(
        "Llevas %(n)s día seguido registrando lo que comes",
        "Llevas %(n)s días seguidos registrando lo que comes",
        streak,
    ) % {"n": streak}
    return {"type": "streak", "message": message, "impact": "positive" if streak >= 3 else "neutral"}


def balance_insight(*, protein_g: float, fat_g: float, carbs_g: float, targets: Targets) -> dict | None:
    """Share of energy from protein in the period against the share the targets plan."""
    share = macro_split(None, protein_g, fat_g, carbs_g)["protein"]
    planned = macro_split(None, targets.protein_g, targets.fat_g, targets.carbs_g)["protein"]
    if not share or not planned:
        return None
    args = {"share": round(share), "goal": round(planned)}
    if share < planned - BALANCE_TOLERANCE_PTS:
        message = _(
            "La proteína aporta solo %(share)s %% de tu energía; tu meta es %(goal)s %%. "
            "Suma frijoles, huevo, pescado o pollo a tus comidas."
        )
        impact = "negative"
    elif share > planned + BALANCE_TOLERANCE_PTS:
        message = _("La proteína aporta %(share)s %% de tu energía, por encima de tu meta de %(goal)s %%.")
        impact = "neutral"
    else:
        message = _("La proteína aporta %(share)s %% de tu energía, cerca de tu meta de %(goal)s %%.")
        impact = "positive"
    return {"type": "balance", "message": message % args, "impact": impact}


def _analysis(*, metric: str, period: str, today: date_type, totals: dict, targets: Targets, streak: int) -> dict:
    """Data points, statistics and insights of one metric from per-day sums that cover at
    least the period and the 28 days the trend insight compares."""
    field = METRICS[metric]
    goal = _goals(targets)[metric]
    start = _period_start(period, today)
    series = {d: row[field] for d, row in totals.items() if row.get(field) is not None}
    in_period = sorted((d, v) for d, v in series.items() if start <= d <= today)
    values = [v for _d, v in in_period]
    met = sum(1 for v in values if goal_met(metric, v, goal))
    stats = describe(values)
    stats["goal_achievement_rate"] = round(100 * met / len(values), 1) if values else None

    insights = []
    trend = trend_insight(metric=metric, series=series, goal=goal, today=today)
    if trend:
        insights.append(trend)
    if values:
        insights.append(goal_insight(metric=metric, met_days=met, period_days=PERIODS[period]))
    insights.append(streak_insight(streak))
    period_rows = [row for d, row in totals.items() if start <= d <= today]
    if period_rows:
        balance = balance_insight(
            protein_g=sum(r.get("protein_g") or 0 for r in period_rows),
            fat_g=sum(r.get("fat_g") or 0 for r in period_rows),
            carbs_g=sum(r.get("carbs_g") or 0 for r in period_rows),
            targets=targets,
        )
        if balance:
            insights.append(balance)
    return {
        "period": period,
        "metric": metric,
        "data_points": [
            {"date": d.isoformat(), "value": round(v, 1), "goal": goal, "percentage": _percent(v, goal)}
            for d, v in in_period
        ],
        "insights": insights,
        "statistics": stats,
        "met_days": met,
        "logged_days": len(values),
    }


def _fetch_start(period: str, today: date_type) -> date_type:
    return min(_period_start(period, today), today - timedelta(days=2 * TREND_WINDOW_DAYS - 1))


def trends(*, user, period=DEFAULT_PERIOD, metric="calories") -> dict:
    """Seed 003 ``/analytics/trends``: one data point per logged day of the period (up to
    today), statistics over those days, and insights (2-week trend, goal days, streak,
    protein share) in the active language. Four queries: per-day sums, profile, target
    override, logged dates."""
    period = period_clean(period)
    metric = metric_clean(metric)
    today = timezone.localdate()
    totals = daily_totals(user=user, start=_fetch_start(period, today), end=today)
    targets = targets_get(user=user)
    result = _analysis(
        metric=metric, period=period, today=today, totals=totals, targets=targets,
        streak=streak_days(user=user, today=today),
    )
    return {key: result[key] for key in ("period", "metric", "data_points", "insights", "statistics")}


# ---------------------------------------------------------------------------------------
# popular foods


def popular_foods(*, user, period=DEFAULT_PERIOD) -> dict:
    """Seed 003 ``/analytics/popular-foods``: the 20 foods logged most often in the period
    (ties: more calories first), with total calories, mean grams per entry and times per
    week. Quick adds (no food) are left out. One grouped query."""
    period = period_clean(period, allowed=POPULAR_PERIODS)
    today = timezone.localdate()
    days = PERIODS[period]
    rows = (
        DiaryEntry.objects.filter(user=user, date__gte=_period_start(period, today), date__lte=today, food__isnull=False)
        .values("food_id", "food__source", "food__name_es", "food__name_en", "food__category")
        .annotate(count=Count("id"), kcal=Sum("energy_kcal"), grams=Avg("grams"))
        .order_by("-count", F("kcal").desc(nulls_last=True), "food_id")[:POPULAR_LIMIT]
    )
    spanish = is_spanish()
    foods = []
    for r in rows:
        es, en = r["food__name_es"], r["food__name_en"]
        foods.append(
            {
                "food_id": f"{r['food__source']}_{r['food_id']}",
                "name": (es or en) if spanish else (en or es),
                "category": r["food__category"] or None,
                "consumption_count": r["count"],
                "total_calories": _round(r["kcal"]),
                "avg_portion_grams": _round(r["grams"]),
                "frequency_per_week": round(r["count"] * 7 / days, 1),
            }
        )
    return {"period": period, "foods": foods}


# ---------------------------------------------------------------------------------------
# meal history


def meal_type_clean(value) -> list[str] | None:
    """Seed 003's breakfast/lunch/dinner/snack (snack = both colaciones) or one of our five
    slots -> the slots to show; empty -> None (all)."""
    value = str(value or "").strip().lower()
    if not value:
        return None
    if value in SEED_MEALS:
        return [code for code, seed in MEAL_TO_SEED.items() if seed == value]
    if value in Meal.values:
        return [value]
    raise _invalid("meal_type", _("Tipo de comida no válido. Usa breakfast, lunch, dinner o snack."))


_SLOT_ORDER = Case(
    *[When(meal=code, then=Value(i)) for i, code in enumerate(Meal.values)], output_field=IntegerField()
)


def meal_history(*, user, page=1, limit=20, from_date=None, to_date=None, meal_type=None) -> dict:
    """Seed 003 ``/users/history`` adapted to the diary: each item is one meal of one day
    (its entries grouped), newest first. Pagination runs on the grouped rows in the
    database; the entries of the page come in one more query (three in all)."""
    page = _int_clean(page, "page", default=1, low=1, high=10**6)
    limit = _int_clean(limit, "limit", default=20, low=1, high=MAX_HISTORY_LIMIT)
    start = date_param_clean(from_date, field="from_date")
    end = date_param_clean(to_date, field="to_date")
    if start and end and start > end:
        raise _invalid("from_date", _("La fecha inicial debe ser anterior o igual a la final."))
    meals = meal_type_clean(meal_type)

    qs = DiaryEntry.objects.filter(user=user)
    if start:
        qs = qs.filter(date__gte=start)
    if end:
        qs = qs.filter(date__lte=end)
    if meals:
        qs = qs.filter(meal__in=meals)
    groups = (
        qs.values("date", "meal")
        .annotate(total=Sum("energy_kcal"), count=Count("id"), first=Min("created_at"), slot=_SLOT_ORDER)
        .order_by("-date", "-slot")
    )
    total = groups.count()
    offset = (page - 1) * limit
    rows = list(groups[offset: offset + limit]) if offset < total else []

    by_group: dict[tuple, list] = defaultdict(list)
    if rows:
        keys = {(r["date"], r["meal"]) for r in rows}
        entries = (
            qs.filter(date__gte=min(d for d, _m in keys), date__lte=max(d for d, _m in keys), meal__in={m for _d, m in keys})
            .only("date", "meal", "name", "energy_kcal", "created_at")
            .order_by("created_at", "id")
        )
        for e in entries:
            if (e.date, e.meal) in keys:
                by_group[(e.date, e.meal)].append(e)

    analyses = []
    for r in rows:
        items = by_group[(r["date"], r["meal"])]
        analyses.append(
            {
                "id": f"{r['date'].isoformat()}:{r['meal']}",
                "total_calories": _round(r["total"]),
                "foods_count": r["count"],
                "confidence_score": None,
                "meal_type": MEAL_TO_SEED[r["meal"]],
                "meal": r["meal"],
                "date": r["date"].isoformat(),
                "created_at": timezone.localtime(r["first"]).isoformat(),
                "foods_summary": [_food_line(e) for e in items],
            }
        )
    return {
        "page": page,
        "limit": limit,
        "total_pages": math.ceil(total / limit) if total else 0,
        "total_results": total,
        "analyses": analyses,
    }


def _food_line(entry) -> str:
    if entry.energy_kcal is None:
        return entry.name
    return _("%(name)s (%(kcal)s cal)") % {"name": entry.name, "kcal": round(entry.energy_kcal, 1)}


# ---------------------------------------------------------------------------------------
# weight


def _weight_points(*, user, start: date_type, end: date_type) -> list[dict]:
    """[{date, weight_kg, smoothed}] of the weigh-ins between two dates, oldest first."""
    logs = list(
        WeightLog.objects.filter(user=user, date__gte=start, date__lte=end).order_by("date").values_list("date", "weight_kg")
    )
    weights = [float(w) for _d, w in logs]
    return [
        {"date": d, "weight_kg": w, "smoothed": s}
        for (d, _w), w, s in zip(logs, weights, smooth(weights), strict=True)
    ]


def _weight_change(points: list[dict]) -> float | None:
    if len(points) < 2:
        return None
    return round(points[-1]["weight_kg"] - points[0]["weight_kg"], 1)


def weight_trend(*, user, period=DEFAULT_PERIOD) -> dict:
    """Weigh-ins of the period with a smoothed line (centred moving average over 7
    weigh-ins) and the change from the first to the last. One query."""
    period = period_clean(period)
    today = timezone.localdate()
    points = _weight_points(user=user, start=_period_start(period, today), end=today)
    return {
        "period": period,
        "points": [{**p, "date": p["date"].isoformat()} for p in points],
        "change_kg": _weight_change(points),
    }


# ---------------------------------------------------------------------------------------
# progress page


def _calorie_table(days: list[dict], period_days: int, target) -> list[dict]:
    """Rows for the accessible table under the calories chart: each logged day for periods
    up to 30 days, else each week (starting Monday) with its average over logged days."""
    logged = [d for d in days if d["kcal"] is not None]
    if period_days <= 31:
        return [{"date": d["date"], "end": None, "kcal": d["kcal"], "days": 1, "percent": d["percent"]} for d in logged]
    weeks: dict[date_type, list] = defaultdict(list)
    for d in logged:
        weeks[d["date"] - timedelta(days=d["date"].weekday())].append(d)
    first, last = days[0]["date"], days[-1]["date"]
    rows = []
    for monday in sorted(weeks):
        items = weeks[monday]
        kcal = round(statistics.fmean(i["kcal"] for i in items), 1)
        rows.append(
            {"date": max(monday, first), "end": min(monday + timedelta(days=6), last), "kcal": kcal, "days": len(items),
             "percent": _percent(kcal, target)}
        )
    return rows


def progress_page_data(*, user, period=DEFAULT_PERIOD) -> dict:
    """Everything the progress page shows for a period: cards (streak, average kcal against
    the target, goal achievement rate, weight change), calories per day, macro split, weight
    with its smoothed line, kcal per meal slot, insights, and rows for the text tables.
    Five queries: sums per day and meal, profile, target override, logged dates, weight."""
    period = period_clean(period)
    today = timezone.localdate()
    period_days = PERIODS[period]
    start = _period_start(period, today)

    totals: dict[date_type, dict] = {}
    meal_kcal = dict.fromkeys(Meal.values, 0.0)
    for row in _meal_rows(user=user, start=_fetch_start(period, today), end=today):
        day = totals.setdefault(row["date"], {"entries": 0})
        day["entries"] += row["entries"]
        for field in ("energy_kcal", "protein_g", "fat_g", "carbs_g"):
            if row[field] is not None:
                day[field] = (day.get(field) or 0.0) + row[field]
        if start <= row["date"] and row["energy_kcal"] is not None:
            meal_kcal[row["meal"]] += row["energy_kcal"]
    targets = targets_get(user=user)
    streak = streak_days(user=user, today=today)
    analysis = _analysis(metric="calories", period=period, today=today, totals=totals, targets=targets, streak=streak)
    weight = _weight_points(user=user, start=start, end=today)

    days = []
    for i in range(period_days):
        d = start + timedelta(days=i)
        kcal = totals.get(d, {}).get("energy_kcal")
        days.append({"date": d, "kcal": _round(kcal), "percent": _percent(kcal, targets.energy_kcal)})

    in_period = [row for d, row in totals.items() if d >= start]
    grams = {f: round(sum(r.get(f) or 0 for r in in_period), 1) for f in ("protein_g", "fat_g", "carbs_g")}
    split = macro_split(None, grams["protein_g"], grams["fat_g"], grams["carbs_g"])
    logged_days = analysis["logged_days"]
    meal_total = sum(meal_kcal.values())
    meals = [
        {
            "code": code,
            "label": label,
            "kcal_per_day": round(meal_kcal[code] / logged_days, 1) if logged_days else 0,
            "share": round(100 * meal_kcal[code] / meal_total, 1) if meal_total else 0,
        }
        for code, label in Meal.choices
    ]
    stats = analysis["statistics"]
    return {
        "period": period,
        "period_days": period_days,
        "start": start,
        "end": today,
        "has_food": logged_days > 0,
        "has_weight": bool(weight),
        "has_data": logged_days > 0 or bool(weight),
        "streak_days": streak,
        "logged_days": logged_days,
        "met_days": analysis["met_days"],
        "target_kcal": targets.energy_kcal,
        "average_kcal": stats["average"],
        "average_percent": _percent(stats["average"], targets.energy_kcal),
        "statistics": stats,
        "goal_achievement_rate": stats["goal_achievement_rate"],
        "days": days,
        "calorie_rows": _calorie_table(days, period_days, targets.energy_kcal),
        "macros": {"grams": grams, "split": split},
        "weight": {
            "points": weight,
            "change_kg": _weight_change(weight),
            "latest_kg": weight[-1]["weight_kg"] if weight else None,
        },
        "meals": meals,
        "insights": analysis["insights"],
    }

