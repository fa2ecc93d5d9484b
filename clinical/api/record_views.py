"""Clinical record API (mobile): record, items, labs, measurements, SOAP notes, documents and
the patient's own access log. Views parse input and call ``clinical.services.record`` /
``clinical.selectors.record``, the same functions the pages call. A patient uses their own id.

Errors: PATIENT_NOT_FOUND / NOT_FOUND (404, also for anything out of reach),
VALIDATION_ERROR (400, per field), NOTE_LOCKED (400), PERMISSION_DENIED (403: editing
someone else's note or document you can see).
"""

from __future__ import annotations

from django.http import FileResponse, HttpResponseRedirect
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response

from clinical import reference
from clinical.api.base import ClinicalApiView
from clinical.selectors import record as selectors
from clinical.services import record as services
from config.api import PagePagination, body_dict, error_responses

TAG = ["Expediente clínico"]


class RecordApiView(ClinicalApiView):
    """Reads count against ``default``; writes against ``clinical_write``."""



def _person(user) -> dict | None:
    if user is None:
        return None
    return {"id": user.pk, "name": user.get_full_name() or user.username}


def _paginate(view, request, qs, serialize):
    paginator = PagePagination()
    page = paginator.paginate_queryset(qs, request, view=view)
    return paginator.get_paginated_response([serialize(obj) for obj in page])


# ---------------------------------------------------------------------------------------
# payloads


def record_payload(record, patient) -> dict:
    return {
        "patient_id": patient.pk,
        "medical_history": record.medical_history if record else "",
        "family_history": record.family_history if record else "",
        "lifestyle": record.lifestyle if record else "",
        "updated_by": _person(record.updated_by) if record else None,
        "updated_at": record.updated_at.isoformat() if record else None,
    }


def item_payload(item) -> dict:
    return {
        "id": item.pk, "kind": item.kind, "kind_label": str(item.get_kind_display()), "title": item.title,
        "detail": item.detail, "noted_on": item.noted_on.isoformat(),
        "ended_on": item.ended_on.isoformat() if item.ended_on else None,
        "recorded_by": _person(item.recorded_by), "created_at": item.created_at.isoformat(),
        "updated_at": item.updated_at.isoformat(),
    }


def lab_payload(lab, sex="") -> dict:
    flag = reference.lab_flag(lab.test, lab.value, sex)
    return {
        "id": lab.pk, "test": lab.test.strip(), "test_label": reference.lab_test_label(lab.test).strip(),
        "value": lab.value, "unit": lab.unit, "reference_range": lab.reference_range, "flag": flag or None,
        "notes": lab.notes, "taken_on": lab.taken_on.isoformat(), "recorded_by": _person(lab.recorded_by),
    }


def _num(value):
    return float(value) if value is not None else None


def measurement_payload(m, sex="", default_height=None) -> dict:
    derived = selectors.measurement_derived(m, sex=sex, default_height=default_height)
    bmi_cat = derived["bmi_category"]
    whtr, whr, bp = derived["waist_height"], derived["waist_hip"], derived["blood_pressure"]
    return {
        "id": m.pk, "measured_on": m.measured_on.isoformat(),
        **{f: _num(getattr(m, f)) for f in ("weight_kg", "height_cm", "waist_cm", "hip_cm", "body_fat_pct",
                                             "muscle_mass_kg")},
        "systolic_mmhg": m.systolic_mmhg, "diastolic_mmhg": m.diastolic_mmhg, "notes": m.notes,
        "bmi": derived["bmi"], "bmi_category": {"code": bmi_cat[0], "label": bmi_cat[1]} if bmi_cat else None,
        "waist_height_ratio": {"value": whtr[0], "code": whtr[1], "label": whtr[2]} if whtr else None,
        "waist_hip_ratio": {"value": whr[0], "code": whr[1], "label": whr[2]} if whr else None,
        "blood_pressure_category": {"code": bp[0], "label": bp[1]} if bp else None,
        "recorded_by": _person(m.recorded_by),
    }


def note_payload(note) -> dict:
    return {
        "id": note.pk, "author": _person(note.author),
        **{f: getattr(note, f) for f in services.SOAP_FIELDS},
        "created_at": note.created_at.isoformat(), "edited_at": note.edited_at.isoformat() if note.edited_at else None,
        "locked": services.note_is_locked(note),
        "amendments": [
            {"id": a.pk, "author": _person(a.author), "text": a.text, "created_at": a.created_at.isoformat()}
            for a in note.amendments.all()
        ],
    }


def document_payload(doc, request) -> dict:
    from django.urls import reverse

    return {
        "id": doc.pk, "title": doc.title, "kind": doc.kind, "kind_label": str(doc.get_kind_display()),
        "content_type": doc.content_type, "size_bytes": doc.size_bytes, "uploaded_by": _person(doc.uploaded_by),
        "created_at": doc.created_at.isoformat(),
        "download_url": request.build_absolute_uri(
            reverse("api-clinical-document-download", args=[doc.patient_id, doc.pk])
        ),
    }


def log_payload(line) -> dict:
    return {
        "id": line.pk, "actor": _person(line.actor), "action": line.action,
        "action_label": str(line.get_action_display()), "resource": line.resource, "object_id": line.object_id,
        "created_at": line.created_at.isoformat(),
    }


def _sex_height(patient):
    profile = getattr(patient, "profile", None)
    return getattr(profile, "sex", "") or "", getattr(profile, "height_cm", None)


# ---------------------------------------------------------------------------------------
# record


class RecordView(RecordApiView):
    @extend_schema(tags=TAG, summary="Expediente del paciente", operation_id="clinical_record_get",
                   responses={200: dict, **error_responses(401, 404)})
    def get(self, request, patient_id):
        access, record = selectors.record_get(actor=request.user, patient_id=patient_id, request=request)
        return Response(record_payload(record, access.patient))

    @extend_schema(tags=TAG, summary="Actualizar antecedentes y estilo de vida", operation_id="clinical_record_put",
                   request=dict, responses={200: dict, **error_responses(400, 401, 404)})
    def put(self, request, patient_id):
        record = services.record_update(actor=request.user, patient_id=patient_id, data=body_dict(request),
                                        request=request)
        return Response(record_payload(record, record.patient))


class RecordItemsView(RecordApiView):
    @extend_schema(tags=TAG, summary="Condiciones, medicamentos, alergias...", operation_id="clinical_items_list",
                   parameters=[OpenApiParameter("kind", str), OpenApiParameter("page", int),
                               OpenApiParameter("limit", int)],
                   responses={200: dict, **error_responses(400, 401, 404)})
    def get(self, request, patient_id):
        kind = request.query_params.get("kind") or None
        if kind is not None:
            services.clean_choice(kind, "kind", services.RecordItemKind.values)
        qs = selectors.record_item_list(actor=request.user, patient_id=patient_id, kind=kind, request=request)
        return _paginate(self, request, qs, item_payload)

    @extend_schema(tags=TAG, summary="Agregar un elemento al expediente", operation_id="clinical_items_create",
                   request=dict, responses={201: dict, **error_responses(400, 401, 404)})
    def post(self, request, patient_id):
        item = services.record_item_add(actor=request.user, patient_id=patient_id, data=body_dict(request),
                                        request=request)
        return Response(item_payload(item), status=status.HTTP_201_CREATED)


class RecordItemView(RecordApiView):
    @extend_schema(tags=TAG, summary="Editar un elemento", operation_id="clinical_items_update", request=dict,
                   responses={200: dict, **error_responses(400, 401, 404)})
    def put(self, request, patient_id, item_id):
        item = services.record_item_update(actor=request.user, patient_id=patient_id, item_id=item_id,
                                           data=body_dict(request), request=request)
        return Response(item_payload(item))

    @extend_schema(tags=TAG, summary="Eliminar un elemento", operation_id="clinical_items_delete",
                   responses={204: None, **error_responses(401, 404)})
    def delete(self, request, patient_id, item_id):
        services.record_item_delete(actor=request.user, patient_id=patient_id, item_id=item_id, request=request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class LabsView(RecordApiView):
    @extend_schema(tags=TAG, summary="Resultados de laboratorio", operation_id="clinical_labs_list",
                   parameters=[OpenApiParameter("page", int), OpenApiParameter("limit", int)],
                   responses={200: dict, **error_responses(400, 401, 404)})
    def get(self, request, patient_id):
        qs = selectors.lab_list(actor=request.user, patient_id=patient_id, request=request)
        return _paginate(self, request, qs, lambda lab: lab_payload(lab, _sex_height(lab.record.patient)[0]))

    @extend_schema(tags=TAG, summary="Agregar un resultado de laboratorio", operation_id="clinical_labs_create",
                   description="`test`: código de la tabla de referencia u `other` con `test_name` y `unit`.",
                   request=dict, responses={201: dict, **error_responses(400, 401, 404)})
    def post(self, request, patient_id):
        lab = services.lab_result_add(actor=request.user, patient_id=patient_id, data=body_dict(request),
                                      request=request)
        return Response(lab_payload(lab, _sex_height(lab.record.patient)[0]), status=status.HTTP_201_CREATED)


class LabView(RecordApiView):
    @extend_schema(tags=TAG, summary="Eliminar un resultado", operation_id="clinical_labs_delete",
                   responses={204: None, **error_responses(401, 404)})
    def delete(self, request, patient_id, lab_id):
        services.lab_result_delete(actor=request.user, patient_id=patient_id, lab_id=lab_id, request=request)
        return Response(status=status.HTTP_204_NO_CONTENT)


# ---------------------------------------------------------------------------------------
# measurements


class MeasurementsView(RecordApiView):
    @extend_schema(tags=TAG, summary="Medidas antropométricas", operation_id="clinical_measurements_list",
                   parameters=[OpenApiParameter("page", int), OpenApiParameter("limit", int)],
                   responses={200: dict, **error_responses(400, 401, 404)})
    def get(self, request, patient_id):
        qs = selectors.measurement_list(actor=request.user, patient_id=patient_id, request=request)
        return _paginate(self, request, qs, lambda m: measurement_payload(m, *_sex_height(m.patient)))

    @extend_schema(tags=TAG, summary="Registrar medidas", operation_id="clinical_measurements_create", request=dict,
                   responses={201: dict, **error_responses(400, 401, 404)})
    def post(self, request, patient_id):
        m = services.measurement_add(actor=request.user, patient_id=patient_id, data=body_dict(request), request=request)
        sex, height = _sex_height(m.patient)
        return Response(measurement_payload(m, sex, height), status=status.HTTP_201_CREATED)


class MeasurementView(RecordApiView):
    @extend_schema(tags=TAG, summary="Corregir medidas", operation_id="clinical_measurements_update", request=dict,
                   responses={200: dict, **error_responses(400, 401, 404)})
    def put(self, request, patient_id, measurement_id):
        m = services.measurement_update(actor=request.user, patient_id=patient_id, measurement_id=measurement_id,
                                        data=body_dict(request), request=request)
        sex, height = _sex_height(m.patient)
        return Response(measurement_payload(m, sex, height))

    @extend_schema(tags=TAG, summary="Eliminar medidas", operation_id="clinical_measurements_delete",
                   responses={204: None, **error_responses(401, 404)})
    def delete(self, request, patient_id, measurement_id):
        services.measurement_delete(actor=request.user, patient_id=patient_id, measurement_id=measurement_id,
                                    request=request)
        return Response(status=status.HTTP_204_NO_CONTENT)


# ---------------------------------------------------------------------------------------
# notes


class NotesView(RecordApiView):
    @extend_schema(tags=TAG, summary="Notas SOAP (solo nutriólogos del paciente)", operation_id="clinical_notes_list",
                   parameters=[OpenApiParameter("page", int), OpenApiParameter("limit", int)],
                   responses={200: dict, **error_responses(400, 401, 404)})
    def get(self, request, patient_id):
        qs = selectors.note_list(actor=request.user, patient_id=patient_id, request=request)
        return _paginate(self, request, qs, note_payload)

    @extend_schema(tags=TAG, summary="Escribir una nota SOAP", operation_id="clinical_notes_create", request=dict,
                   responses={201: dict, **error_responses(400, 401, 404)})
    def post(self, request, patient_id):
        note = services.note_create(actor=request.user, patient_id=patient_id, data=body_dict(request), request=request)
        return Response(note_payload(note), status=status.HTTP_201_CREATED)


class NoteView(RecordApiView):
    @extend_schema(tags=TAG, summary="Editar una nota (24 h)", operation_id="clinical_notes_update", request=dict,
                   responses={200: dict, **error_responses(400, 401, 403, 404)})
    def put(self, request, patient_id, note_id):
        note = services.note_update(actor=request.user, patient_id=patient_id, note_id=note_id, data=body_dict(request),
                                    request=request)
        return Response(note_payload(note))


class NoteAmendmentsView(RecordApiView):
    @extend_schema(tags=TAG, summary="Agregar una adenda", operation_id="clinical_notes_amend", request=dict,
                   responses={201: dict, **error_responses(400, 401, 404)})
    def post(self, request, patient_id, note_id):
        services.note_amend(actor=request.user, patient_id=patient_id, note_id=note_id,
                            text=body_dict(request).get("text"), request=request)
        _access, note = selectors.note_get(actor=request.user, patient_id=patient_id, note_id=note_id, log=False)
        return Response(note_payload(note), status=status.HTTP_201_CREATED)


# ---------------------------------------------------------------------------------------
# documents


class DocumentsView(RecordApiView):
    @extend_schema(tags=TAG, summary="Documentos del paciente", operation_id="clinical_documents_list",
                   parameters=[OpenApiParameter("page", int), OpenApiParameter("limit", int)],
                   responses={200: dict, **error_responses(400, 401, 404)})
    def get(self, request, patient_id):
        qs = selectors.document_list(actor=request.user, patient_id=patient_id, request=request)
        return _paginate(self, request, qs, lambda d: document_payload(d, request))

    @extend_schema(tags=TAG, summary="Subir un documento (PDF, JPEG o PNG, hasta 10 MB)",
                   operation_id="clinical_documents_upload", request={"multipart/form-data": dict},
                   responses={201: dict, **error_responses(400, 401, 404)})
    def post(self, request, patient_id):
        data = request.data
        doc = services.document_upload(
            actor=request.user, patient_id=patient_id, file=request.FILES.get("file"),
            title=data.get("title"), kind=data.get("kind") or "other", request=request,
        )
        return Response(document_payload(doc, request), status=status.HTTP_201_CREATED)


class DocumentView(RecordApiView):
    @extend_schema(tags=TAG, summary="Datos de un documento", operation_id="clinical_documents_get",
                   responses={200: dict, **error_responses(401, 404)})
    def get(self, request, patient_id, document_id):
        doc = selectors.document_get(actor=request.user, patient_id=patient_id, document_id=document_id,
                                     request=request)
        return Response(document_payload(doc, request))

    @extend_schema(tags=TAG, summary="Eliminar un documento (quien lo subió)", operation_id="clinical_documents_delete",
                   responses={204: None, **error_responses(401, 403, 404)})
    def delete(self, request, patient_id, document_id):
        services.document_delete(actor=request.user, patient_id=patient_id, document_id=document_id, request=request)
        return Response(status=status.HTTP_204_NO_CONTENT)


def document_file_response(document):
    """Stream the file as an attachment, or redirect to a signed URL when the storage is
    remote (S3: the URL expires after PRIVATE_URL_EXPIRE_SECONDS)."""
    storage = document.file.storage
    try:
        storage.path(document.file.name)
    except (NotImplementedError, AttributeError):
        response = HttpResponseRedirect(document.file.url)
        response["Cache-Control"] = "private, no-store"
        return response
    from django.utils.text import slugify

    ext = document.file.name.rsplit(".", 1)[-1]
    filename = f"{slugify(document.title)[:60] or 'documento'}.{ext}"
    response = FileResponse(document.file.open("rb"), as_attachment=True, filename=filename,
                            content_type=document.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


class DocumentDownloadView(RecordApiView):
    @extend_schema(tags=TAG, summary="Descargar un documento", operation_id="clinical_documents_download",
                   responses={200: bytes, 302: None, **error_responses(401, 404)})
    def get(self, request, patient_id, document_id):
        doc = selectors.document_get(actor=request.user, patient_id=patient_id, document_id=document_id,
                                     download=True, request=request)
        return document_file_response(doc)


class MyAccessLogView(RecordApiView):
    @extend_schema(tags=TAG, summary="Quién ha consultado tu expediente", operation_id="clinical_my_access_log",
                   parameters=[OpenApiParameter("page", int), OpenApiParameter("limit", int)],
                   responses={200: dict, **error_responses(400, 401)})
    def get(self, request):
        return _paginate(self, request, selectors.access_log_list(actor=request.user), log_payload)
