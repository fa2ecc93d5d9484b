"""Home-page section of the practice: pending care requests for the nutritionist and
pending invitations for the patient. Imported from ``clinical.apps`` (integrator)."""

from __future__ import annotations

from accounts.home_sections import register


@register("practice_care_pending", order=20)
def care_pending_section(request) -> dict | None:
    from clinical import rules
    from clinical.models import CareRelationship, CareStatus

    user = request.user
    if not user.is_authenticated:
        return None
    invitations = list(
        CareRelationship.objects.filter(patient=user, status=CareStatus.INVITED).select_related("nutritionist")[:5]
    )
    requests = []
    if rules.is_verified_nutritionist(user):
        requests = list(
            CareRelationship.objects.filter(nutritionist=user, status=CareStatus.REQUESTED)
            .select_related("patient").order_by("-invited_at")[:5]
        )
    if not invitations and not requests:
        return None
    return {"template": "clinical/practice/home_section.html",
            "context": {"care_invitations": invitations, "care_requests": requests}}
