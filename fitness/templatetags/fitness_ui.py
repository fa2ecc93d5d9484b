"""Display helpers for workout pages."""

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def prescription(item) -> str:
    """What to do: "3 × 12", "3 × 30 s", "20 min" (a warm-up move: "90 s")."""
    if item.minutes:
        return _("%(n)s min") % {"n": item.minutes}
    if item.work_seconds:
        if item.sets > 1:
            return _("%(sets)s × %(s)s s") % {"sets": item.sets, "s": item.work_seconds}
        return _("%(s)s s") % {"s": item.work_seconds}
    if item.reps:
        return _("%(sets)s × %(reps)s") % {"sets": item.sets, "reps": item.reps}
    return ""


@register.filter
def rest_text(item) -> str:
    """Rest after each set, when there is one."""
    if not item.rest_seconds or item.minutes:
        return ""
    return _("descanso %(s)s s") % {"s": item.rest_seconds}
