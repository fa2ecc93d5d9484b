"""Pages of the record part under /consulta/ (namespace ``clinical``)."""

from django.urls import path

from clinical.views import record as v

P = "pacientes/<int:patient_id>"

urlpatterns = [
    path(f"{P}/expediente/", v.patient_record, name="patient_record"),
    path(f"{P}/expediente/antecedentes/", v.record_history_edit, name="record_history_edit"),
    path(f"{P}/expediente/elementos/", v.record_item_add, name="record_item_add"),
    path(f"{P}/expediente/elementos/<int:item_id>/", v.record_item_edit, name="record_item_edit"),
    path(f"{P}/expediente/elementos/<int:item_id>/eliminar/", v.record_item_delete, name="record_item_delete"),
    path(f"{P}/expediente/laboratorios/", v.lab_add, name="lab_add"),
    path(f"{P}/expediente/laboratorios/<int:lab_id>/eliminar/", v.lab_delete, name="lab_delete"),
    path(f"{P}/medidas/", v.patient_measurements, name="patient_measurements"),
    path(f"{P}/medidas/nueva/", v.measurement_add, name="measurement_add"),
    path(f"{P}/medidas/<int:measurement_id>/", v.measurement_edit, name="measurement_edit"),
    path(f"{P}/medidas/<int:measurement_id>/eliminar/", v.measurement_delete, name="measurement_delete"),
    path(f"{P}/notas/", v.patient_notes, name="patient_notes"),
    path(f"{P}/notas/nueva/", v.note_add, name="note_add"),
    path(f"{P}/notas/<int:note_id>/", v.note_edit, name="note_edit"),
    path(f"{P}/notas/<int:note_id>/adenda/", v.note_amend, name="note_amend"),
    path(f"{P}/notas/<int:note_id>/eliminar/", v.note_delete, name="note_delete"),
    path(f"{P}/documentos/", v.patient_documents, name="patient_documents"),
    path(f"{P}/documentos/subir/", v.document_upload, name="document_upload"),
    path(f"{P}/documentos/<int:document_id>/descargar/", v.document_download, name="document_download"),
    path(f"{P}/documentos/<int:document_id>/eliminar/", v.document_delete, name="document_delete"),
    path("mi-expediente/", v.my_record, name="my_record"),
]
