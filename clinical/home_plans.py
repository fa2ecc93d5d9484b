"""Home page section "Tu plan de hoy" for a patient whose active plan covers today.
Imported by ``clinical.apps.ClinicalConfig.ready`` (the integrator wires it)."""

from __future__ import annotations

from accounts.home_sections import register


@register("clinical_plan_today", order=20)
def plan_today_section(request) -> dict | None:
    from clinical.views.plans import today_context

    if not getattr(request.user, "is_authenticated", False):
        return None
    context = today_context(request)
    if context is None:
        return None
    return {"template": "clinical/plans/home_today.html", "context": context}
