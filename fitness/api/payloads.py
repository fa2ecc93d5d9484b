"""JSON shapes of workout plans for the API (the pages render the same selector data)."""

from __future__ import annotations

from fitness import selectors as sel


def item_payload(item) -> dict:
    ex = item.exercise
    return {
        "order": item.order, "block": item.block, "exercise": {
            "code": ex.code, "name": ex.name, "name_es": ex.name_es, "name_en": ex.name_en, "type": ex.type,
            "muscles": ex.muscles, "equipment": ex.equipment, "level": ex.level, "met": ex.met,
            "instructions": ex.instructions_es,
        },
        "sets": item.sets, "reps": item.reps, "work_seconds": item.work_seconds, "minutes": item.minutes,
        "rest_seconds": item.rest_seconds,
    }


def log_payload(log) -> dict:
    entry = log.exercise_log
    return {
        "id": log.pk, "session_id": log.session_id, "date": log.date, "minutes": log.minutes, "rpe": log.rpe,
        "exercise_log": None if entry is None else {
            "id": entry.pk, "date": entry.date, "activity_code": entry.activity_id, "name": entry.name,
            "minutes": entry.minutes, "energy_kcal": entry.energy_kcal,
        },
    }


def plan_summary(plan) -> dict:
    return {
        "id": plan.pk, "title": plan.title, "goal": plan.goal, "level": plan.level, "status": plan.status,
        "weekdays": plan.weekdays, "days_per_week": plan.days_per_week, "session_minutes": plan.session_minutes,
        "equipment": plan.equipment, "text_source": plan.text_source, "created_at": plan.created_at,
        "sessions_count": getattr(plan, "sessions_count", None),
    }


def plan_detail(plan, *, user) -> dict:
    week = sel.plan_week(plan, user=user)
    sessions = []
    for day in week["days"]:
        s = day.session
        if s is None:
            continue
        sessions.append({
            "id": s.pk, "day_number": s.day_number, "weekday": s.weekday, "weekday_label": day.label,
            "focus": s.focus, "title": s.title, "minutes": s.minutes, "met": s.met,
            "activity_code": s.activity_id, "estimated_kcal": day.kcal,
            "exercises": [item_payload(i) for i in s.items.all()],
            "logged_dates": [log.date for log in day.logs],
        })
    out = plan_summary(plan)
    out.update({
        "description": plan.description, "tips": plan.tips, "safety_note": plan.safety_note or None,
        "rest_days": [d.weekday for d in week["days"] if d.session is None],
        "weight_kg": week["weight_kg"], "assumed_weight": week["assumed_weight"],
        "week_kcal": week["week_kcal"], "week_minutes": week["week_minutes"],
        "sessions_count": len(sessions), "sessions": sessions,
    })
    return out
