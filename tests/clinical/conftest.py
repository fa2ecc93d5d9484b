"""Fixtures of the practice: a verified nutritionist and open care with chosen consents."""

import pytest

from clinical.services import messages as message_services


@pytest.fixture
def make_nutritionist(make_user):
    """A nutritionist whose profile staff verified (role granted), ready to take patients."""
    from django.utils import timezone

    from accounts.models import Role, RoleGrant
    from clinical.models import NutritionistProfile, VerificationStatus

    counter = {"n": 0}

    def _make(verified=True, **extra):
        counter["n"] += 1
        profile_fields = {
            k: extra.pop(k)
            for k in list(extra)
            if k in {"specializations", "city", "state", "languages", "consultation_fee_mxn", "accepting_patients",
                     "clinic_name", "bio", "years_experience"}
        }
        user = make_user(user_type="nutritionist", first_name=extra.pop("first_name", "Nora"),
                         last_name=extra.pop("last_name", f"Nutrióloga {counter['n']}"), **extra)
        NutritionistProfile.objects.create(
            user=user,
            slug=f"{user.username}",
            license_number=f"{1234500 + user.pk}",
            verification_status=VerificationStatus.VERIFIED if verified else VerificationStatus.PENDING,
            verified_at=timezone.now() if verified else None,
            languages=profile_fields.pop("languages", ["es"]),
            **profile_fields,
        )
        if verified:
            RoleGrant.objects.get_or_create(user=user, role=Role.NUTRITIONIST)
        return user

    return _make


@pytest.fixture
def nutritionist(make_nutritionist):
    return make_nutritionist()


@pytest.fixture
def make_care():
    """Open (active) care between a nutritionist and a patient with the given consents
    (default: every scope granted)."""
    from django.utils import timezone

    from clinical.models import CareConsent, CareRelationship, CareStatus, ConsentScope

    def _make(nutritionist, patient, scopes=None, status=CareStatus.ACTIVE, **fields):
        scopes = ConsentScope.values if scopes is None else scopes
        rel = CareRelationship.objects.create(
            nutritionist=nutritionist, patient=patient, status=status, assigned_at=timezone.now(),
            initiated_by=nutritionist, **fields,
        )
        for scope in ConsentScope.values:
            CareConsent.objects.create(relationship=rel, scope=scope, granted=scope in scopes)
        return rel

    return _make


# ---------------------------------------------------------------------------------------
# a nutritionist–patient pair in open care with their conversation (messages tests)

@pytest.fixture
def patient(make_user):
    """The patient of ``nutritionist`` in the messages tests (modules may define their own)."""
    return make_user(first_name="Paola", last_name="Paciente")


@pytest.fixture
def care(nutritionist, patient, make_care):
    return make_care(nutritionist, patient)


@pytest.fixture
def conversation(care, nutritionist, patient):
    return message_services.conversation_open(actor=nutritionist, patient_id=patient.pk)
