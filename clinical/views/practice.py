"""Pages of the practice (htmx): the public directory and profiles, the nutritionist's
professional profile, the staff verification queue, "Mi nutriólogo" (the patient's care and
consents), adding a patient and the invited patient's one-time set-password page.

Views parse input and call ``clinical.services.practice`` / ``clinical.services.care`` and the
selectors (the API calls the same functions). Full page normally; for htmx just the
``{% partialdef %}`` that changed. Anything the actor may not see is a 404.
"""

from __future__ import annotations

import mimetypes

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.middleware import redirect_page
from accounts.models import MexicanState, UserType
from clinical import rules
from clinical.forms_practice import (
    CareRequestForm,
    EndCareForm,
    InvitePatientForm,
    ProfessionalProfileForm,
    RejectForm,
    SetPasswordForm,
    errors_apply,
)
from clinical.models import OPEN_CARE, CareStatus, ConsentScope, Specialization
from clinical.selectors import care as care_selectors
from clinical.selectors import practice as selectors
from clinical.services import care as care_services
from clinical.services import practice as services

PER_PAGE = 12


def _htmx(request) -> bool:
    return bool(getattr(request, "htmx", False))


def _first_error(exc: ValidationError) -> str:
    return exc.messages[0] if exc.messages else _("Revisa los datos.")


def _file_response(field, *, filename: str):
    if not field:
        raise Http404
    try:
        handle = field.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404
    content_type = mimetypes.guess_type(field.name)[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=content_type, as_attachment=True, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# ---------------------------------------------------------------------------------------
# public directory


def _fee_text(profile) -> str:
    if profile.consultation_fee_mxn is None:
        return ""
    return f"${profile.consultation_fee_mxn:,} MXN"


def _card(profile) -> dict:
    specs = dict(Specialization.choices)
    langs = dict(services.LANGUAGE_CHOICES)
    return {
        "profile": profile,
        "name": profile.user.get_full_name() or profile.user.username,
        "initial": (profile.user.first_name or profile.user.username or "?")[:1].upper(),
        "specialties": [specs.get(s, s) for s in profile.specializations or []],
        "languages": [langs.get(code, code) for code in profile.languages or []],
        "fee": _fee_text(profile),
        "state": dict(MexicanState.choices).get(profile.state, profile.state),
    }


def directory(request):
    """Verified nutritionists with search, filters and pagination (anonymous visitors too)."""
    filters = selectors.directory_filters_clean(request.GET)
    qs = selectors.nutritionist_directory(**filters.as_kwargs())
    page_obj = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    query = urlencode([(k, v) for k, v in request.GET.items() if k != "page" and v])
    context = {
        "filters": filters,
        "page_obj": page_obj,
        "cards": [_card(p) for p in page_obj],
        "query": query,
        "specializations": Specialization.choices,
        "states": MexicanState.choices,
        "languages": services.LANGUAGE_CHOICES,
    }
    template = "clinical/practice/directory.html"
    if _htmx(request) and request.htmx.target == "directory-results":
        template += "#results"
    return render(request, template, context)


def nutritionist_public(request, slug):
    try:
        profile = selectors.nutritionist_public_get(slug=slug)
    except selectors.ProfileNotFound:
        raise Http404
    existing = care_selectors.care_current_with(patient=request.user, nutritionist=profile.user)
    days = dict(services.WEEKDAYS)
    hours = [(days[d], span) for d, _l in services.WEEKDAYS if (span := (profile.working_hours or {}).get(d))]
    context = {
        "card": _card(profile),
        "profile": profile,
        "hours": hours,
        "existing": existing,
        "is_self": request.user.is_authenticated and request.user.pk == profile.user_id,
        "form": CareRequestForm(),
        "scopes": ConsentScope.choices,
    }
    return render(request, "clinical/practice/public.html", context)


@login_required
@require_POST
def care_request(request, slug):
    consents = {scope: bool(request.POST.get(f"consent_{scope}")) for scope in ConsentScope.values}
    try:
        care_services.care_request(actor=request.user, nutritionist_slug=slug, message=request.POST.get("message", ""),
                                   consents=consents)
    except selectors.ProfileNotFound:
        raise Http404
    except ValidationError as exc:
        messages.error(request, _first_error(exc))
        return redirect_page(request, reverse("clinical:nutritionist_public", args=[slug]))
    messages.success(request, _("Enviamos tu solicitud. Te avisaremos cuando responda."))
    return redirect_page(request, reverse("clinical:my_care"))


# ---------------------------------------------------------------------------------------
# the nutritionist's professional profile


def _require_nutritionist_type(request):
    if request.user.user_type != UserType.NUTRITIONIST:
        raise Http404


@login_required
@require_http_methods(["GET", "POST"])
def practice_profile(request):
    _require_nutritionist_type(request)
    profile = selectors.profile_of(user=request.user)
    if request.method == "POST":
        form = ProfessionalProfileForm(request.POST, request.FILES)
        form.is_valid()
        try:
            profile = services.nutritionist_profile_save(actor=request.user, data=form.service_data(),
                                                         files=request.FILES)
        except ValidationError as exc:
            errors_apply(form, exc)
        except PermissionDenied:
            raise Http404
        else:
            if profile.verification_status == "pending":
                messages.success(request, _("Guardamos tu perfil. Nuestro equipo revisará tu cédula."))
            else:
                messages.success(request, _("Guardamos tu perfil profesional."))
            return redirect_page(request, reverse("clinical:practice_profile"))
    else:
        form = ProfessionalProfileForm(initial=ProfessionalProfileForm.initial_for(profile))
    template = "clinical/practice/profile_form.html"
    if _htmx(request) and request.method == "POST":
        template += "#form"
    return render(request, template, {"form": form, "profile": profile})


@login_required
def practice_license(request):
    """The owner downloads their own proof document."""
    profile = selectors.profile_of(user=request.user)
    if profile is None:
        raise Http404
    return _file_response(profile.license_document, filename=f"cedula-{profile.license_number}")


# ---------------------------------------------------------------------------------------
# staff verification


def _queue_context(request, reject_forms=None):
    queue = list(selectors.verification_queue(actor=request.user))
    specs = dict(Specialization.choices)
    rows = [
        {"profile": p, "specialties": [specs.get(s, s) for s in p.specializations or []],
         "form": (reject_forms or {}).get(p.pk) or RejectForm(auto_id=f"id_reject_{p.pk}_%s")}
        for p in queue
    ]
    return {"rows": rows}


@login_required
def verification_queue(request):
    try:
        context = _queue_context(request)
    except selectors.ProfileNotFound:
        raise Http404
    return render(request, "clinical/practice/verification_queue.html", context)


@login_required
def verification_license(request, profile_id):
    try:
        profile = selectors.verification_profile_get(actor=request.user, profile_id=profile_id)
    except selectors.ProfileNotFound:
        raise Http404
    return _file_response(profile.license_document, filename=f"cedula-{profile.license_number}")


def _queue_done(request, message: str, reject_forms=None):
    if not reject_forms:
        messages.success(request, message)
    if _htmx(request):
        return render(request, "clinical/practice/verification_queue.html#queue",
                      _queue_context(request, reject_forms))
    if reject_forms:
        return render(request, "clinical/practice/verification_queue.html", _queue_context(request, reject_forms),
                      status=400)
    return redirect_page(request, reverse("clinical:verification_queue"))


@login_required
@require_POST
def verification_verify(request, profile_id):
    try:
        profile = services.nutritionist_verify(actor=request.user, profile_id=profile_id, request=request)
    except services.ProfileNotFound:
        raise Http404
    except ValidationError as exc:
        messages.error(request, _first_error(exc))
        return redirect_page(request, reverse("clinical:verification_queue"))
    return _queue_done(request, _("Verificaste a %(n)s.") % {"n": profile.user.get_full_name() or profile.user.email})


@login_required
@require_POST
def verification_reject(request, profile_id):
    form = RejectForm(request.POST, auto_id=f"id_reject_{profile_id}_%s")
    form.is_valid()
    try:
        profile = services.nutritionist_reject(actor=request.user, profile_id=profile_id,
                                               reason=request.POST.get("reason", ""), request=request)
    except services.ProfileNotFound:
        raise Http404
    except ValidationError as exc:
        errors_apply(form, exc)
        return _queue_done(request, "", reject_forms={rules.id_parse(profile_id): form})
    return _queue_done(request, _("Rechazaste el perfil de %(n)s.") % {
        "n": profile.user.get_full_name() or profile.user.email})


# ---------------------------------------------------------------------------------------
# the patient's care ("Mi nutriólogo")


def _rel_context(rel, user) -> dict:
    consents = care_selectors.consents_map(rel)
    profile = getattr(rel.nutritionist, "nutritionist_profile", None)
    return {
        "rel": rel,
        "is_patient": rel.patient_id == user.pk,
        "profile": profile,
        "consent_rows": [(scope, label, consents[scope]) for scope, label in ConsentScope.choices],
        "history": care_selectors.consent_history(relationship=rel, limit=10) if rel.status in OPEN_CARE else [],
    }


@login_required
def my_care(request):
    groups = care_selectors.care_of_patient(user=request.user)
    context = {
        "pending": [_rel_context(r, request.user) for r in groups["pending"]],
        "open": [_rel_context(r, request.user) for r in groups["open"]],
        "past": [_rel_context(r, request.user) for r in groups["past"]],
        "end_form": EndCareForm(),
    }
    return render(request, "clinical/care/my_care.html", context)


def _after_care(request, rel):
    if rel.nutritionist_id == request.user.pk:
        # Ending care from the patient's pages goes back to the roster; answering a request, to
        # the invitations page where the requests are.
        ended = rel.status in (CareStatus.GRADUATED, CareStatus.DROPPED)
        return redirect_page(request, reverse("clinical:roster" if ended else "clinical:care_invite"))
    return redirect_page(request, reverse("clinical:my_care"))


def _care_action(request, relationship_id, func, success: str, **kwargs):
    try:
        rel = func(actor=request.user, relationship_id=relationship_id, **kwargs)
    except ObjectDoesNotExist:
        raise Http404
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _first_error(exc) if isinstance(exc, ValidationError) else (str(exc) or _("No permitido.")))
        try:
            rel = care_selectors.care_get(user=request.user, relationship_id=relationship_id)
        except ObjectDoesNotExist:
            raise Http404
        return _after_care(request, rel)
    messages.success(request, success)
    return _after_care(request, rel)


@login_required
@require_POST
def care_accept(request, relationship_id):
    consents = {scope: bool(request.POST.get(f"consent_{scope}")) for scope in ConsentScope.values}
    return _care_action(request, relationship_id, care_services.care_accept, _("¡Listo! La atención comenzó."),
                        consents=consents)


@login_required
@require_POST
def care_decline(request, relationship_id):
    return _care_action(request, relationship_id, care_services.care_decline, _("Listo, no se inició la atención."))


@login_required
@require_POST
def care_end(request, relationship_id):
    return _care_action(request, relationship_id, care_services.care_end, _("La atención terminó. Tu historial se conserva."),
                        outcome=request.POST.get("outcome", "graduated"), reason=request.POST.get("reason", ""))


@login_required
@require_POST
def care_consent(request, relationship_id):
    """Toggle one consent (htmx returns the switches of this relationship)."""
    scope = request.POST.get("scope", "")
    granted = bool(request.POST.get("granted"))
    try:
        care_services.consent_set(actor=request.user, relationship_id=relationship_id, scope=scope, granted=granted)
    except ObjectDoesNotExist:
        raise Http404
    except ValidationError as exc:
        messages.error(request, _first_error(exc))
    else:
        if not _htmx(request):
            messages.success(request, _("Guardamos tus permisos."))
    if _htmx(request):
        try:
            rel = care_selectors.care_get(user=request.user, relationship_id=relationship_id)
        except ObjectDoesNotExist:
            raise Http404
        return render(request, "clinical/care/my_care.html#consents", {"c": _rel_context(rel, request.user)})
    return redirect_page(request, reverse("clinical:my_care"))


# ---------------------------------------------------------------------------------------
# the nutritionist adds patients and answers requests


def _require_verified(request):
    if not rules.is_verified_nutritionist(request.user):
        raise Http404


@login_required
@require_http_methods(["GET", "POST"])
def care_invite(request):
    _require_verified(request)
    added = None
    if request.method == "POST":
        form = InvitePatientForm(request.POST)
        form.is_valid()
        try:
            added = care_services.patient_add(actor=request.user, data=form.service_data(), request=request)
        except ValidationError as exc:
            errors_apply(form, exc, aliases={"sex": "gender", "conditions": "health_conditions"})
        else:
            patient = added.relationship.patient
            if added.user_created:
                messages.success(request, _("Creamos la cuenta de %(e)s y le enviamos un enlace para entrar.") % {
                    "e": patient.email})
            else:
                messages.success(request, _("Enviamos la invitación a %(e)s.") % {"e": patient.email})
            if not _htmx(request):
                return redirect_page(request, reverse("clinical:care_invite"))
            form = InvitePatientForm()
    else:
        form = InvitePatientForm()
    context = {"form": form, "pending": list(care_selectors.care_requests_pending(nutritionist=request.user)),
               "added": added}
    template = "clinical/care/invite.html"
    if _htmx(request) and request.method == "POST":
        template += "#form"
    return render(request, template, context)


# ---------------------------------------------------------------------------------------
# the invited patient's one-time link


@require_http_methods(["GET", "POST"])
def invitation(request, token):
    try:
        inv = care_services.invitation_get(token=token)
    except care_services.InvitationInvalid:
        return render(request, "clinical/care/invitation.html", {"invalid": True}, status=410)
    form = SetPasswordForm(request.POST or None)
    if request.method == "POST":
        try:
            user = care_services.invitation_password_set(token=token, password=request.POST.get("password", ""),
                                                         password2=request.POST.get("password2", ""))
        except care_services.InvitationInvalid:
            return render(request, "clinical/care/invitation.html", {"invalid": True}, status=410)
        except ValidationError as exc:
            form.is_valid()
            errors_apply(form, exc)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Tu contraseña quedó lista. Acepta la atención y elige qué compartir."))
            return redirect_page(request, reverse("clinical:my_care"))
    return render(request, "clinical/care/invitation.html", {"form": form, "invitation": inv,
                                                             "nutritionist": inv.relationship.nutritionist})
