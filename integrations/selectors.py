"""Reads of the integrations: the AI usage report for staff."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, Sum
from django.utils import timezone

from integrations.models import AIUsage


def ai_usage_report(*, days: int = 30, top: int = 20) -> dict:
    """Requests, tokens and estimated cost of the last ``days`` days: totals, by feature,
    by person and by practice (the nutritionist a patient's calls are attributed to)."""
    since = timezone.now() - timedelta(days=days)
    rows = AIUsage.objects.filter(created_at__gte=since)
    aggregates = {
        "requests": Count("id"),
        "failed": Count("id", filter=Q(ok=False)),
        "prompt_tokens": Sum("prompt_tokens"),
        "completion_tokens": Sum("completion_tokens"),
        "cost_usd": Sum("cost_usd"),
    }
    totals = rows.aggregate(**aggregates)
    by_feature = list(rows.values("feature").annotate(**aggregates).order_by("-requests"))
    by_user = list(rows.exclude(user=None).values("user").annotate(**aggregates).order_by("-cost_usd", "-requests")[:top])
    by_practice = list(
        rows.exclude(practice=None).values("practice").annotate(**aggregates).order_by("-cost_usd", "-requests")[:top]
    )
    ids = {r["user"] for r in by_user} | {r["practice"] for r in by_practice}
    people = get_user_model().objects.in_bulk(ids)
    for row in by_user:
        row["person"] = people.get(row["user"])
    for row in by_practice:
        row["person"] = people.get(row["practice"])
    errors = list(rows.filter(ok=False).values("error_code").annotate(n=Count("id")).order_by("-n"))
    return {"days": days, "totals": totals, "by_feature": by_feature, "by_user": by_user,
            "by_practice": by_practice, "errors": errors}
