"""JSON shapes of the practice API (plain functions; the services own every rule)."""

from __future__ import annotations

from accounts.models import MexicanState
from clinical.models import OPEN_CARE, Specialization


def _photo(profile, request):
    if not profile.photo:
        return None
    url = profile.photo.url
    return request.build_absolute_uri(url) if request is not None else url


def nutritionist_summary(profile, *, request=None) -> dict:
    user = profile.user
    specs = dict(Specialization.choices)
    return {
        "slug": profile.slug,
        "name": user.get_full_name() or user.username,
        "photo_url": _photo(profile, request),
        "specializations": [{"code": s, "label": str(specs.get(s, s))} for s in profile.specializations or []],
        "city": profile.city,
        "state": profile.state,
        "state_name": dict(MexicanState.choices).get(profile.state, ""),
        "consultation_fee_mxn": profile.consultation_fee_mxn,
        "languages": list(profile.languages or []),
        "years_experience": profile.years_experience,
        "accepting_patients": profile.accepting_patients,
        "online_consultations": profile.online_consultations,
        "is_verified": profile.is_verified,
    }


def nutritionist_public(profile, *, request=None) -> dict:
    return {
        **nutritionist_summary(profile, request=request),
        "license_number": profile.license_number,
        "education": profile.education,
        "certifications": profile.certifications,
        "clinic_name": profile.clinic_name,
        "clinic_address": profile.clinic_address,
        "clinic_phone": profile.clinic_phone,
        "working_hours": profile.working_hours,
        "accepts_insurance": profile.accepts_insurance,
        "bio": profile.bio,
    }


def nutritionist_own(profile, *, request=None) -> dict:
    return {
        **nutritionist_public(profile, request=request),
        "id": profile.pk,
        "verification_status": profile.verification_status,
        "rejection_reason": profile.rejection_reason,
        "submitted_at": profile.submitted_at.isoformat() if profile.submitted_at else None,
        "verified_at": profile.verified_at.isoformat() if profile.verified_at else None,
        "has_license_document": bool(profile.license_document),
        "active_patients_count": profile.active_patients_count,
        "total_patients_count": profile.total_patients_count,
    }


def pending_profile(profile, *, request=None) -> dict:
    from django.urls import reverse

    data = nutritionist_own(profile, request=request)
    data["email"] = profile.user.email
    data["license_document_url"] = (
        request.build_absolute_uri(reverse("clinical:verification_license", args=[profile.pk]))
        if profile.license_document and request is not None else None
    )
    return data


def _person(user) -> dict:
    return {"id": user.pk, "name": user.get_full_name() or user.username, "email": user.email}


def care_item(rel, *, viewer, consents: dict) -> dict:
    as_patient = rel.patient_id == viewer.pk
    other = rel.nutritionist if as_patient else rel.patient
    profile = getattr(rel.nutritionist, "nutritionist_profile", None) if as_patient else None
    return {
        "id": rel.pk,
        "role": "patient" if as_patient else "nutritionist",
        "status": rel.status,
        "status_label": str(rel.get_status_display()),
        "is_open": rel.status in OPEN_CARE,
        "initiated_by_me": rel.initiated_by_id == viewer.pk,
        "other_party": {**_person(other), "slug": profile.slug if profile is not None else None},
        "consents": consents,
        "message": rel.message,
        "invited_at": rel.invited_at.isoformat() if rel.invited_at else None,
        "assigned_at": rel.assigned_at.isoformat() if rel.assigned_at else None,
        "ended_at": rel.ended_at.isoformat() if rel.ended_at else None,
        "end_reason": rel.end_reason,
    }
