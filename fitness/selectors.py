"""Reads of workout plans, scoped to their owner: the list, one plan with its sessions and
exercises, the week view (seven days, rest days included) with estimated kcal, and the
exercise catalogue.

Another person's plan is never fetched: it raises ``WorkoutPlanNotFound`` (404) exactly as
a plan that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone

from fitness.errors import WorkoutPlanNotFound, WorkoutSessionNotFound
from fitness.models import (
    LEVEL_RANK,
    Exercise,
    ExerciseRole,
    Weekday,
    WorkoutLog,
    WorkoutPlan,
    WorkoutSession,
    WorkoutSessionExercise,
)
from nutrition.services.diary import DEFAULT_WEIGHT_KG, exercise_kcal


def _id(value) -> int | None:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**63 else None


def workout_plan_list(*, user) -> QuerySet[WorkoutPlan]:
    """The person's plans, newest first, with how many sessions each has."""
    return WorkoutPlan.objects.filter(user=user).annotate(sessions_count=Count("sessions")).order_by(
        "-created_at", "-id"
    )


def workout_plan_get(*, user, plan_id) -> WorkoutPlan:
    """One of the person's plans with sessions, exercises and activities prefetched, or
    ``WorkoutPlanNotFound``."""
    pk = _id(plan_id)
    if pk is None or user is None or not user.is_authenticated:
        raise WorkoutPlanNotFound()
    plan = (
        WorkoutPlan.objects.filter(pk=pk, user=user)
        .prefetch_related(
            Prefetch(
                "sessions",
                queryset=WorkoutSession.objects.select_related("activity").prefetch_related(
                    Prefetch("items", queryset=WorkoutSessionExercise.objects.select_related("exercise"))
                ),
            )
        )
        .first()
    )
    if plan is None:
        raise WorkoutPlanNotFound()
    return plan


def workout_session_of(plan: WorkoutPlan, session_id) -> WorkoutSession:
    """A session of an already-fetched plan, or ``WorkoutSessionNotFound``."""
    pk = _id(session_id)
    for session in plan.sessions.all():
        if session.pk == pk:
            return session
    raise WorkoutSessionNotFound()


def body_weight(*, user) -> tuple[float, bool]:
    """(kg, assumed): the profile's weight, or nutrition's default when none is known. The
    same weight nutrition's ``exercise_estimate`` uses when a session is logged."""
    from accounts.models import Profile

    known = Profile.objects.filter(user=user).values_list("weight_kg", flat=True).first()
    return (float(known), False) if known else (DEFAULT_WEIGHT_KG, True)


def session_kcal(session: WorkoutSession, weight_kg: float, minutes: int | None = None) -> float | None:
    """Estimated kcal of a session: its logged activity's MET × kg × hours (nutrition's formula)."""
    if session.activity is None:
        return None
    return exercise_kcal(met=session.activity.met, weight_kg=weight_kg, minutes=minutes or session.minutes)


@dataclass
class WeekDay:
    weekday: int
    label: str
    session: WorkoutSession | None = None
    blocks: list = field(default_factory=list)  # [(block label, [items])]
    kcal: float | None = None
    logs: list = field(default_factory=list)
    done_today: WorkoutLog | None = None
    is_today: bool = False


def plan_week(plan: WorkoutPlan, *, user) -> dict:
    """The seven days of the plan for the page and the API: each training day with its
    exercises grouped by block, estimated kcal and the dates it was logged; rest days empty.
    Two queries beyond the prefetched plan (weight, logs)."""
    from fitness.models import Block

    weight, assumed = body_weight(user=user)
    logs_by_session: dict[int, list[WorkoutLog]] = {}
    for log in WorkoutLog.objects.filter(session__plan=plan, user=user).select_related("exercise_log").order_by(
        "-date"
    ):
        logs_by_session.setdefault(log.session_id, []).append(log)
    today = timezone.localdate()
    sessions = {s.weekday: s for s in plan.sessions.all()}
    labels = dict(Block.choices)
    days = []
    total_kcal = 0.0
    for weekday, label in Weekday.choices:
        day = WeekDay(weekday=weekday, label=str(label), is_today=today.weekday() == weekday)
        session = sessions.get(weekday)
        if session is not None:
            day.session = session
            grouped: dict[str, list] = {}
            for item in session.items.all():
                grouped.setdefault(item.block, []).append(item)
            day.blocks = [(code, str(labels[code]), grouped[code]) for code in Block.values if code in grouped]
            day.kcal = session_kcal(session, weight)
            total_kcal += day.kcal or 0
            day.logs = logs_by_session.get(session.pk, [])
            day.done_today = next((log for log in day.logs if log.date == today), None)
        days.append(day)
    return {
        "days": days,
        "weight_kg": weight,
        "assumed_weight": assumed,
        "week_kcal": round(total_kcal),
        "week_minutes": sum(s.minutes for s in sessions.values()),
    }


def exercises_list(*, type_: str | None = None, level: str | None = None, equipment=None,
                   include_phases: bool = False) -> QuerySet[Exercise] | list[Exercise]:
    """The catalogue, optionally only one type, up to a level, and only what ``equipment``
    (a list of codes) allows. Warm-up and cool-down moves only with ``include_phases``."""
    qs = Exercise.objects.all().order_by("type", "name_es")
    if not include_phases:
        qs = qs.filter(role=ExerciseRole.PRINCIPAL)
    if type_:
        qs = qs.filter(type=type_)
    items = list(qs)
    if level in LEVEL_RANK:
        items = [e for e in items if LEVEL_RANK[e.level] <= LEVEL_RANK[level]]
    if equipment is not None:
        have = set(equipment) | {"ninguno"}
        items = [e for e in items if e.needs <= have]
    return items
