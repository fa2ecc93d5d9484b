"""Pages of the roster part: the patient list, a patient's summary, diary and targets."""

from django.urls import path

from clinical.views import roster

urlpatterns = [
    path("pacientes/", roster.roster, name="roster"),
    path("pacientes/<int:patient_id>/", roster.patient_detail, name="patient_detail"),
    path("pacientes/<int:patient_id>/diario/", roster.patient_diary, name="patient_diary"),
    path("pacientes/<int:patient_id>/metas/", roster.patient_targets, name="patient_targets"),
    path("pacientes/<int:patient_id>/atencion/", roster.patient_care, name="patient_care"),
]
