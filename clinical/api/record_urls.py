"""Clinical record API under /api/v1/ (no trailing slash). Ids are strings so garbage looks
missing (404) instead of an unmatched route."""

from django.urls import path

from clinical.api import record_views as v

P = "patients/<str:patient_id>"

urlpatterns = [
    path(f"{P}/record", v.RecordView.as_view(), name="api-clinical-record"),
    path(f"{P}/record/items", v.RecordItemsView.as_view(), name="api-clinical-record-items"),
    path(f"{P}/record/items/<str:item_id>", v.RecordItemView.as_view(), name="api-clinical-record-item"),
    path(f"{P}/labs", v.LabsView.as_view(), name="api-clinical-labs"),
    path(f"{P}/labs/<str:lab_id>", v.LabView.as_view(), name="api-clinical-lab"),
    path(f"{P}/measurements", v.MeasurementsView.as_view(), name="api-clinical-measurements"),
    path(f"{P}/measurements/<str:measurement_id>", v.MeasurementView.as_view(), name="api-clinical-measurement"),
    path(f"{P}/notes", v.NotesView.as_view(), name="api-clinical-notes"),
    path(f"{P}/notes/<str:note_id>", v.NoteView.as_view(), name="api-clinical-note"),
    path(f"{P}/notes/<str:note_id>/amendments", v.NoteAmendmentsView.as_view(), name="api-clinical-note-amendments"),
    path(f"{P}/documents", v.DocumentsView.as_view(), name="api-clinical-documents"),
    path(f"{P}/documents/<str:document_id>", v.DocumentView.as_view(), name="api-clinical-document"),
    path(f"{P}/documents/<str:document_id>/download", v.DocumentDownloadView.as_view(),
         name="api-clinical-document-download"),
    path("me/access-log", v.MyAccessLogView.as_view(), name="api-clinical-my-access-log"),
]
