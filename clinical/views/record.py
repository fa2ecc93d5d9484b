"""Pages of the clinical record (htmx): the record (history, items, labs), anthropometry,
SOAP notes and documents of a patient as their nutritionist sees them, and ``mi-expediente``
where the patient sees and edits their own record, measurements and documents and reads
who has consulted them.

Views parse input and call ``clinical.services.record`` / ``clinical.selectors.record``.
Every form posts with htmx to an action URL: on success the action answers with the page's
section partial (``HX-Retarget`` to the section); on a validation error with the form
partial and its messages. Without JavaScript the same forms post normally and redirect back
(or show the form page with its errors). Anything out of reach is a 404.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date as date_type
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from clinical import reference
from clinical.api.record_views import document_file_response
from clinical.models import DocumentKind, RecordItemKind
from clinical.rules import patient_access
from clinical.selectors import record as selectors
from clinical.services import record as services

RESOURCE_LABELS = {
    "record": gettext_lazy("expediente (antecedentes)"),
    "item": gettext_lazy("elementos del expediente"),
    "lab": gettext_lazy("resultados de laboratorio"),
    "note": gettext_lazy("notas clínicas"),
    "measurement": gettext_lazy("medidas"),
    "document": gettext_lazy("documentos"),
    "plan": gettext_lazy("plan de alimentación"),
}
LOG_PAGE_SIZE = 20

# ---------------------------------------------------------------------------------------
# forms described as data, rendered by clinical/record/form_page.html#form


@dataclass
class Field:
    name: str
    label: str
    type: str = "text"  # text, textarea, select, date, number, file
    value: object = ""
    choices: list = field(default_factory=list)
    required: bool = False
    help: str = ""
    step: str = ""
    errors: list = field(default_factory=list)


@dataclass
class Form:
    id: str
    action: str
    fields: list
    submit: str
    title: str = ""
    errors: list = field(default_factory=list)
    multipart: bool = False
    cancel: str = ""
    grid: bool = True

    def bind(self, data, exc: ValidationError | None = None) -> Form:
        """Keep what the user typed and put the service's messages on their fields."""
        names = {f.name for f in self.fields}
        for f in self.fields:
            if f.type != "file" and data is not None and f.name in data:
                f.value = data.get(f.name)
        if exc is not None:
            if hasattr(exc, "error_dict"):
                for key, msgs in exc.message_dict.items():
                    target = next((f for f in self.fields if f.name == key), None) if key in names else None
                    if target is not None:
                        target.errors.extend(msgs)
                    else:
                        self.errors.extend(msgs)
            else:
                self.errors.extend(exc.messages)
        return self


def _iso(value) -> str:
    return value.isoformat() if value else ""


def _plain(value) -> str:
    return "" if value is None else str(value)


def history_form(patient_id, record=None) -> Form:
    return Form(
        id="history-form", action=reverse("clinical:record_history_edit", args=[patient_id]),
        submit=_("Guardar antecedentes"), grid=False,
        fields=[
            Field("medical_history", _("Antecedentes médicos"), "textarea",
                  record.medical_history if record else ""),
            Field("family_history", _("Antecedentes familiares"), "textarea", record.family_history if record else ""),
            Field("lifestyle", _("Estilo de vida"), "textarea", record.lifestyle if record else "",
                  help=_("Actividad física, sueño, tabaco, alcohol, horarios de comida.")),
        ],
    )


def item_form(patient_id, item=None) -> Form:
    action = (reverse("clinical:record_item_edit", args=[patient_id, item.pk]) if item
              else reverse("clinical:record_item_add", args=[patient_id]))
    return Form(
        id=f"item-{item.pk}-form" if item else "item-add-form", action=action,
        submit=_("Guardar") if item else _("Agregar al expediente"),
        title=_("Editar elemento") if item else _("Agregar condición, medicamento, alergia..."),
        fields=[
            Field("kind", _("Tipo"), "select", item.kind if item else RecordItemKind.CONDITION,
                  choices=list(RecordItemKind.choices), required=True),
            Field("title", _("Nombre"), value=item.title if item else "", required=True,
                  help=_("Por ejemplo «Diabetes tipo 2», «Metformina», «Penicilina».")),
            Field("detail", _("Detalle"), "textarea", item.detail if item else "",
                  help=_("Medicamento: dosis y frecuencia. Alergia: reacción. Condición: estado.")),
            Field("noted_on", _("Fecha"), "date", _iso(item.noted_on) if item else ""),
            Field("ended_on", _("Hasta (opcional)"), "date", _iso(item.ended_on) if item else ""),
        ],
    )


def lab_form(patient_id) -> Form:
    return Form(
        id="lab-add-form", action=reverse("clinical:lab_add", args=[patient_id]), submit=_("Agregar resultado"),
        title=_("Agregar resultado de laboratorio"),
        fields=[
            Field("test", _("Estudio"), "select", "glucose_fasting", choices=reference.lab_test_choices(),
                  required=True),
            Field("test_name", _("Nombre del estudio (si elegiste «Otro estudio»)")),
            Field("unit", _("Unidad (si elegiste «Otro estudio»)")),
            Field("value", _("Resultado"), "number", required=True, step="any"),
            Field("taken_on", _("Fecha del estudio"), "date", required=True),
            Field("notes", _("Notas"), "textarea"),
        ],
    )


MEASUREMENT_LABELS = {
    "weight_kg": gettext_lazy("Peso (kg)"),
    "height_cm": gettext_lazy("Estatura (cm)"),
    "waist_cm": gettext_lazy("Cintura (cm)"),
    "hip_cm": gettext_lazy("Cadera (cm)"),
    "body_fat_pct": gettext_lazy("Grasa corporal (%)"),
    "muscle_mass_kg": gettext_lazy("Masa muscular (kg)"),
    "systolic_mmhg": gettext_lazy("Presión sistólica (mmHg)"),
    "diastolic_mmhg": gettext_lazy("Presión diastólica (mmHg)"),
}


def measurement_form(patient_id, m=None, default_height=None) -> Form:
    action = (reverse("clinical:measurement_edit", args=[patient_id, m.pk]) if m
              else reverse("clinical:measurement_add", args=[patient_id]))
    fields = [Field("measured_on", _("Fecha"), "date", _iso(m.measured_on) if m else "")]
    for name, label in MEASUREMENT_LABELS.items():
        low, high, _unit = reference.MEASUREMENT_RANGES[name]
        help_text = ""
        if name == "height_cm" and not m and default_height:
            help_text = _("Si la dejas vacía se usa la del perfil: %(cm)s cm.") % {"cm": default_height}
        fields.append(Field(name, str(label), "number", _plain(getattr(m, name)) if m else "",
                            step="1" if name.endswith("mmhg") else "0.1", help=help_text))
    fields.append(Field("notes", _("Notas"), "textarea", m.notes if m else ""))
    return Form(id=f"measurement-{m.pk}-form" if m else "measurement-add-form", action=action,
                submit=_("Guardar") if m else _("Registrar medidas"),
                title=_("Corregir medidas") if m else _("Registrar medidas"), fields=fields)


def note_form(patient_id, note=None) -> Form:
    action = (reverse("clinical:note_edit", args=[patient_id, note.pk]) if note
              else reverse("clinical:note_add", args=[patient_id]))
    return Form(
        id=f"note-{note.pk}-form" if note else "note-add-form", action=action, grid=False,
        submit=_("Guardar nota"), title=_("Editar nota") if note else _("Nueva nota SOAP"),
        fields=[
            Field("subjective", _("S · Subjetivo"), "textarea", note.subjective if note else "",
                  help=_("Lo que refiere el paciente: síntomas, hábitos, apego.")),
            Field("objective", _("O · Objetivo"), "textarea", note.objective if note else "",
                  help=_("Medidas, laboratorios, exploración.")),
            Field("assessment", _("A · Análisis"), "textarea", note.assessment if note else ""),
            Field("plan", _("P · Plan"), "textarea", note.plan if note else ""),
        ],
    )


def amend_form(patient_id, note) -> Form:
    return Form(id=f"note-{note.pk}-amend-form", action=reverse("clinical:note_amend", args=[patient_id, note.pk]),
                submit=_("Agregar adenda"), grid=False,
                fields=[Field("text", _("Adenda"), "textarea", required=True)])


def document_form(patient_id) -> Form:
    return Form(
        id="document-form", action=reverse("clinical:document_upload", args=[patient_id]), multipart=True,
        submit=_("Subir documento"), title=_("Subir documento"),
        fields=[
            Field("title", _("Título"), required=True, help=_("Por ejemplo «Química sanguínea marzo».")),
            Field("kind", _("Tipo"), "select", DocumentKind.LAB_REPORT, choices=list(DocumentKind.choices)),
            Field("file", _("Archivo"), "file", required=True, help=_("PDF, JPEG o PNG, hasta 10 MB.")),
        ],
    )


# ---------------------------------------------------------------------------------------
# helpers


def _htmx(request) -> bool:
    return bool(getattr(request, "htmx", False)) and not request.htmx.history_restore_request


def not_found_as_404(view):
    """Anything the actor may not reach answers 404, like a page that does not exist."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except ObjectDoesNotExist:
            raise Http404
    return wrapper


def _render(request, template, context, partial=None, status=200):
    name = f"{template}#{partial}" if partial and _htmx(request) else template
    response = render(request, name, context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _back_url(request, patient_id, name, anchor) -> str:
    if str(patient_id) == str(request.user.pk):
        return reverse("clinical:my_record") + f"#{anchor}"
    return reverse(f"clinical:{name}", args=[patient_id]) + f"#{anchor}"


def _form_error(request, form: Form, data, exc, back: str):
    form.bind(data, exc)
    form.cancel = back
    status = 200 if _htmx(request) else 400
    return _render(request, "clinical/record/form_page.html", {"form": form, "back": back}, "form", status=status)


def _section(request, template, partial, context, target):
    response = render(request, f"{template}#{partial}", context)
    response["HX-Retarget"] = f"#{target}"
    response["HX-Reswap"] = "outerHTML"
    return response


def _data(request) -> dict:
    return {key: request.POST.get(key) for key in request.POST}


# ---------------------------------------------------------------------------------------
# contexts of the sections


def record_context(request, patient_id, *, log=True) -> dict:
    data = selectors.record_page(actor=request.user, patient_id=patient_id, request=request, log=log)
    pid = data["patient"].pk
    data.update(
        history_form=history_form(pid, data["record"]), item_form=item_form(pid), lab_form=lab_form(pid),
        lab_chart_data=[
            {"id": f"lab-chart-{i}", "label": f"{c.label} ({c.unit})",
             "labels": [p[0] for p in c.points], "values": [p[1] for p in c.points]}
            for i, c in enumerate(data["lab_charts"])
        ],
    )
    return data


def measurements_context(request, patient_id, *, log=True) -> dict:
    qs = selectors.measurement_list(actor=request.user, patient_id=patient_id, request=request, log=log)
    rows = list(qs)
    access = patient_access(actor=request.user, patient_id=patient_id)
    patient = access.patient
    profile = getattr(patient, "profile", None)
    sex, height = getattr(profile, "sex", "") or "", getattr(profile, "height_cm", None)
    summary = selectors.anthropometry_summary(patient=patient, measurements=rows)
    series = summary["series"]
    chart = {
        "dates": [date_format(date_type.fromisoformat(d), "j M y") for d in series["dates"]],
        "sets": [
            {"id": "chart-weight", "label": _("Peso (kg)"), "values": series["weight"]},
            {"id": "chart-waist", "label": _("Cintura (cm)"), "values": series["waist"]},
            {"id": "chart-fat", "label": _("Grasa corporal (%)"), "values": series["body_fat"]},
            {"id": "chart-bmi", "label": _("IMC"), "values": series["bmi"]},
        ],
    }
    chart["sets"] = [s for s in chart["sets"] if sum(1 for v in s["values"] if v is not None) >= 2]
    return {
        "access": access, "patient": patient,
        "measurements": [{"m": m, **selectors.measurement_derived(m, sex=sex, default_height=height)} for m in rows],
        "summary": summary, "chart": chart, "measurement_form": measurement_form(patient.pk, default_height=height),
    }


def documents_context(request, patient_id, *, log=True) -> dict:
    docs = list(selectors.document_list(actor=request.user, patient_id=patient_id, request=request, log=log))
    access = patient_access(actor=request.user, patient_id=patient_id)
    return {"access": access, "patient": access.patient, "documents": docs,
            "document_form": document_form(access.patient.pk)}


def notes_context(request, patient_id, *, log=True) -> dict:
    notes = list(selectors.note_list(actor=request.user, patient_id=patient_id, request=request, log=log))
    access = services.notes_access(actor=request.user, patient_id=patient_id)
    pid = access.patient.pk
    rows = []
    for note in notes:
        locked = services.note_is_locked(note)
        mine = note.author_id == request.user.pk
        rows.append({"note": note, "locked": locked, "can_edit": mine and not locked,
                     "amend_form": amend_form(pid, note)})
    return {"access": access, "patient": access.patient, "notes": rows, "note_form": note_form(pid)}


def access_log_context(request) -> dict:
    paginator = Paginator(selectors.access_log_list(actor=request.user), LOG_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    lines = [
        {"line": line, "resource": RESOURCE_LABELS.get(line.resource, line.resource),
         "who": _("Tú") if line.actor_id == request.user.pk else (
             (line.actor.get_full_name() or line.actor.username) if line.actor else _("Usuario eliminado"))}
        for line in page.object_list
    ]
    return {"log_page": page, "log_lines": lines}


# ---------------------------------------------------------------------------------------
# the record (nutritionist) and its actions (nutritionist or the patient on their own id)

RECORD_T = "clinical/record/record.html"
MY_T = "clinical/record/my_record.html"


def _record_template(request, patient_id) -> str:
    return MY_T if str(patient_id) == str(request.user.pk) else RECORD_T


@login_required
@require_GET
@not_found_as_404
def patient_record(request, patient_id):
    context = record_context(request, patient_id)
    if context["access"].is_self:
        return redirect("clinical:my_record")
    context["active"] = "record"
    return _render(request, RECORD_T, context, "body")


def _record_action(request, patient_id, action, form: Form, section: str, target: str, success: str):
    data = _data(request)
    try:
        action(data)
    except ValidationError as exc:
        return _form_error(request, form, data, exc, _back_url(request, patient_id, "patient_record", target))
    if _htmx(request):
        return _section(request, _record_template(request, patient_id), section,
                        record_context(request, patient_id, log=False), target)
    messages.success(request, success)
    return redirect(_back_url(request, patient_id, "patient_record", target))


@login_required
@require_POST
@not_found_as_404
def record_history_edit(request, patient_id):
    return _record_action(
        request, patient_id,
        lambda data: services.record_update(actor=request.user, patient_id=patient_id, data=data, request=request),
        history_form(patient_id), "history", "record-history", _("Se guardaron los antecedentes."),
    )


@login_required
@require_POST
@not_found_as_404
def record_item_add(request, patient_id):
    return _record_action(
        request, patient_id,
        lambda data: services.record_item_add(actor=request.user, patient_id=patient_id, data=data, request=request),
        item_form(patient_id), "items", "record-items", _("Se agregó al expediente."),
    )


@login_required
@require_http_methods(["GET", "POST"])
@not_found_as_404
def record_item_edit(request, patient_id, item_id):
    items = selectors.record_item_list(actor=request.user, patient_id=patient_id, log=False)
    item = items.filter(pk=item_id).first()
    if item is None:
        raise Http404
    form = item_form(patient_id, item)
    back = _back_url(request, patient_id, "patient_record", "record-items")
    if request.method == "GET":
        form.cancel = back
        return _render(request, "clinical/record/form_page.html", {"form": form, "back": back}, "form")
    return _record_action(
        request, patient_id,
        lambda data: services.record_item_update(actor=request.user, patient_id=patient_id, item_id=item_id,
                                                 data=data, request=request),
        form, "items", "record-items", _("Se guardaron los cambios."),
    )


@login_required
@require_POST
@not_found_as_404
def record_item_delete(request, patient_id, item_id):
    return _record_action(
        request, patient_id,
        lambda data: services.record_item_delete(actor=request.user, patient_id=patient_id, item_id=item_id,
                                                 request=request),
        item_form(patient_id), "items", "record-items", _("Se eliminó el elemento."),
    )


@login_required
@require_POST
@not_found_as_404
def lab_add(request, patient_id):
    return _record_action(
        request, patient_id,
        lambda data: services.lab_result_add(actor=request.user, patient_id=patient_id, data=data, request=request),
        lab_form(patient_id), "labs", "record-labs", _("Se agregó el resultado."),
    )


@login_required
@require_POST
@not_found_as_404
def lab_delete(request, patient_id, lab_id):
    return _record_action(
        request, patient_id,
        lambda data: services.lab_result_delete(actor=request.user, patient_id=patient_id, lab_id=lab_id,
                                                request=request),
        lab_form(patient_id), "labs", "record-labs", _("Se eliminó el resultado."),
    )


# ---------------------------------------------------------------------------------------
# measurements

MEASURE_T = "clinical/record/measurements.html"


def _measure_template(request, patient_id) -> str:
    return MY_T if str(patient_id) == str(request.user.pk) else MEASURE_T


@login_required
@require_GET
@not_found_as_404
def patient_measurements(request, patient_id):
    context = measurements_context(request, patient_id)
    if context["access"].is_self:
        return redirect(reverse("clinical:my_record") + "#measurements")
    context["active"] = "measurements"
    return _render(request, MEASURE_T, context, "body")


def _measure_action(request, patient_id, action, form, success):
    data = _data(request)
    back = _back_url(request, patient_id, "patient_measurements", "measurements")
    try:
        action(data)
    except ValidationError as exc:
        return _form_error(request, form, data, exc, back)
    if _htmx(request):
        return _section(request, _measure_template(request, patient_id), "measurements",
                        measurements_context(request, patient_id, log=False), "measurements")
    messages.success(request, success)
    return redirect(back)


@login_required
@require_POST
@not_found_as_404
def measurement_add(request, patient_id):
    return _measure_action(
        request, patient_id,
        lambda data: services.measurement_add(actor=request.user, patient_id=patient_id, data=data, request=request),
        measurement_form(patient_id), _("Se registraron las medidas."),
    )


@login_required
@require_http_methods(["GET", "POST"])
@not_found_as_404
def measurement_edit(request, patient_id, measurement_id):
    m = selectors.measurement_list(actor=request.user, patient_id=patient_id, log=False).filter(
        pk=measurement_id).first()
    if m is None:
        raise Http404
    form = measurement_form(patient_id, m)
    if request.method == "GET":
        back = _back_url(request, patient_id, "patient_measurements", "measurements")
        form.cancel = back
        return _render(request, "clinical/record/form_page.html", {"form": form, "back": back}, "form")
    return _measure_action(
        request, patient_id,
        lambda data: services.measurement_update(actor=request.user, patient_id=patient_id,
                                                 measurement_id=measurement_id, data=data, request=request),
        form, _("Se guardaron los cambios."),
    )


@login_required
@require_POST
@not_found_as_404
def measurement_delete(request, patient_id, measurement_id):
    return _measure_action(
        request, patient_id,
        lambda data: services.measurement_delete(actor=request.user, patient_id=patient_id,
                                                 measurement_id=measurement_id, request=request),
        measurement_form(patient_id), _("Se eliminaron las medidas."),
    )


# ---------------------------------------------------------------------------------------
# SOAP notes (nutritionists only)

NOTES_T = "clinical/record/notes.html"


@login_required
@require_GET
@not_found_as_404
def patient_notes(request, patient_id):
    context = notes_context(request, patient_id)
    context["active"] = "notes"
    return _render(request, NOTES_T, context, "body")


def _note_action(request, patient_id, action, form, success):
    data = _data(request)
    back = reverse("clinical:patient_notes", args=[patient_id]) + "#notes"
    try:
        action(data)
    except ValidationError as exc:
        return _form_error(request, form, data, exc, back)
    except PermissionDenied as exc:
        return _form_error(request, form, data, ValidationError(str(exc)), back)
    if _htmx(request):
        return _section(request, NOTES_T, "notes", notes_context(request, patient_id, log=False), "notes")
    messages.success(request, success)
    return redirect(back)


@login_required
@require_POST
@not_found_as_404
def note_add(request, patient_id):
    return _note_action(
        request, patient_id,
        lambda data: services.note_create(actor=request.user, patient_id=patient_id, data=data, request=request),
        note_form(patient_id), _("Se guardó la nota."),
    )


@login_required
@require_http_methods(["GET", "POST"])
@not_found_as_404
def note_edit(request, patient_id, note_id):
    _access, note = selectors.note_get(actor=request.user, patient_id=patient_id, note_id=note_id, log=False)
    form = note_form(patient_id, note)
    if request.method == "GET":
        back = reverse("clinical:patient_notes", args=[patient_id]) + "#notes"
        form.cancel = back
        if note.author_id != request.user.pk or services.note_is_locked(note):
            form.errors.append(_("La nota tiene más de 24 horas o no es tuya: ya no se puede editar; agrega una adenda."))
        return _render(request, "clinical/record/form_page.html", {"form": form, "back": back}, "form")
    return _note_action(
        request, patient_id,
        lambda data: services.note_update(actor=request.user, patient_id=patient_id, note_id=note_id, data=data,
                                          request=request),
        form, _("Se guardaron los cambios de la nota."),
    )


@login_required
@require_POST
@not_found_as_404
def note_amend(request, patient_id, note_id):
    _access, note = selectors.note_get(actor=request.user, patient_id=patient_id, note_id=note_id, log=False)
    return _note_action(
        request, patient_id,
        lambda data: services.note_amend(actor=request.user, patient_id=patient_id, note_id=note_id,
                                         text=data.get("text"), request=request),
        amend_form(patient_id, note), _("Se agregó la adenda."),
    )


@login_required
@require_POST
@not_found_as_404
def note_delete(request, patient_id, note_id):
    _access, note = selectors.note_get(actor=request.user, patient_id=patient_id, note_id=note_id, log=False)
    return _note_action(
        request, patient_id,
        lambda data: services.note_delete(actor=request.user, patient_id=patient_id, note_id=note_id,
                                          request=request),
        amend_form(patient_id, note), _("Se eliminó la nota."),
    )


# ---------------------------------------------------------------------------------------
# documents

DOCS_T = "clinical/record/documents.html"


def _docs_template(request, patient_id) -> str:
    return MY_T if str(patient_id) == str(request.user.pk) else DOCS_T


@login_required
@require_GET
@not_found_as_404
def patient_documents(request, patient_id):
    context = documents_context(request, patient_id)
    if context["access"].is_self:
        return redirect(reverse("clinical:my_record") + "#documents")
    context["active"] = "documents"
    return _render(request, DOCS_T, context, "body")


def _docs_action(request, patient_id, action, success):
    data = _data(request)
    back = _back_url(request, patient_id, "patient_documents", "documents")
    try:
        action(data)
    except ValidationError as exc:
        return _form_error(request, document_form(patient_id), data, exc, back)
    except PermissionDenied as exc:
        return _form_error(request, document_form(patient_id), data, ValidationError(str(exc)), back)
    if _htmx(request):
        return _section(request, _docs_template(request, patient_id), "documents",
                        documents_context(request, patient_id, log=False), "documents")
    messages.success(request, success)
    return redirect(back)


@login_required
@require_POST
@not_found_as_404
def document_upload(request, patient_id):
    return _docs_action(
        request, patient_id,
        lambda data: services.document_upload(
            actor=request.user, patient_id=patient_id, file=request.FILES.get("file"), title=data.get("title"),
            kind=data.get("kind") or DocumentKind.OTHER, request=request),
        _("Se subió el documento."),
    )


@login_required
@require_POST
@not_found_as_404
def document_delete(request, patient_id, document_id):
    return _docs_action(
        request, patient_id,
        lambda data: services.document_delete(actor=request.user, patient_id=patient_id, document_id=document_id,
                                              request=request),
        _("Se eliminó el documento."),
    )


@login_required
@require_GET
@not_found_as_404
def document_download(request, patient_id, document_id):
    document = selectors.document_get(actor=request.user, patient_id=patient_id, document_id=document_id,
                                      download=True, request=request)
    return document_file_response(document)


# ---------------------------------------------------------------------------------------
# the patient's own record


@login_required
@require_GET
def my_record(request):
    """The patient's record, measurements, documents and access log on one page. With htmx
    and ``?page=`` only the access log partial (its pagination)."""
    if _htmx(request) and "page" in request.GET:
        return _render(request, MY_T, access_log_context(request), "access_log")
    pid = request.user.pk
    context = {
        **record_context(request, pid),
        **measurements_context(request, pid),
        **documents_context(request, pid),
        **access_log_context(request),
    }
    return _render(request, MY_T, context, "body")

