"""Roster API under /api/v1/ (seed 000 paths, no trailing slash)."""

from django.urls import path

from clinical.api import roster_views as v

urlpatterns = [
    path("nutritionist/patients", v.PatientsView.as_view(), name="nutritionist-patients"),
    path("nutritionist/patients/<int:patient_id>", v.PatientDetailView.as_view(), name="nutritionist-patient"),
    path("nutritionist/patients/<int:patient_id>/diary", v.PatientDiaryView.as_view(),
         name="nutritionist-patient-diary"),
    path("nutritionist/patients/<int:patient_id>/targets", v.PatientTargetsView.as_view(),
         name="nutritionist-patient-targets"),
]
