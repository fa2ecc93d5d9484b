"""The scoping every clinical endpoint relies on."""

import pytest

from clinical.models import CareStatus, ConsentScope
from clinical.rules import PatientNotFound, patient_access


def test_patient_reaches_own_data(user):
    access = patient_access(actor=user, patient_id=user.pk, scope=ConsentScope.CLINICAL_RECORD)
    assert access.is_self and access.patient == user


def test_nutritionist_needs_open_care_and_consent(nutritionist, make_nutritionist, user, make_care):
    with pytest.raises(PatientNotFound):
        patient_access(actor=nutritionist, patient_id=user.pk)
    make_care(nutritionist, user, scopes=[ConsentScope.DIARY])
    assert patient_access(actor=nutritionist, patient_id=user.pk, scope=ConsentScope.DIARY).patient == user
    with pytest.raises(PatientNotFound):
        patient_access(actor=nutritionist, patient_id=user.pk, scope=ConsentScope.CLINICAL_RECORD)
    other = make_nutritionist()
    with pytest.raises(PatientNotFound):
        patient_access(actor=other, patient_id=user.pk)


def test_ended_or_pending_care_gives_nothing(nutritionist, user, make_care):
    make_care(nutritionist, user, status=CareStatus.GRADUATED)
    with pytest.raises(PatientNotFound):
        patient_access(actor=nutritionist, patient_id=user.pk)


def test_unverified_nutritionist_gets_nothing(make_nutritionist, user, make_care):
    pending = make_nutritionist(verified=False)
    make_care(pending, user)
    with pytest.raises(PatientNotFound):
        patient_access(actor=pending, patient_id=user.pk)


def test_garbage_ids_look_missing(nutritionist):
    for bad in ("abc", None, "1; drop", 10**30):
        with pytest.raises(PatientNotFound):
            patient_access(actor=nutritionist, patient_id=bad)
