"""Pages of the resources part of the site that Wagtail does not serve itself: the lead-magnet
form, the counting download view, and the cookie-banner choice. They parse input, call
``content.resources`` and render."""

from __future__ import annotations

from urllib.parse import urlparse

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseForbidden, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from config.http import client_ip
from content import resources
from content.context_processors import COOKIE_CHOICES, COOKIE_MAX_AGE, COOKIE_NAME


class LeadForm(forms.Form):
    """Parses the gate's fields; the rules (valid email, consent, rate) live in the service."""

    email = forms.CharField(label=_("Tu correo"), max_length=254,
                            widget=forms.EmailInput(attrs={"autocomplete": "email", "class": "input",
                                                           "inputmode": "email"}))
    name = forms.CharField(label=_("Tu nombre"), max_length=120, required=False,
                           widget=forms.TextInput(attrs={"autocomplete": "given-name", "class": "input"}))
    consent = forms.BooleanField(required=False)
    marketing = forms.BooleanField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent"].label = resources.lead_consent_text()
        self.fields["marketing"].label = resources.lead_marketing_text()


def resource_state(request, page, **extra) -> dict:
    """What resource_page.html needs about access and delivery, whether Wagtail serves the page
    (the ``resource_state`` template tag calls this) or the lead view renders it."""
    allowed, reason = resources.resource_access(request.user, page)
    state = {
        "allowed": allowed,
        "reason": reason,
        "message": resources.ACCESS_MESSAGES.get(reason, ""),
        "download_url": "",
        "lead_form": None,
        "lead_download_url": "",
        "deliverable": bool(page.file_id or page.external_url),
    }
    if allowed and state["deliverable"]:
        if page.lead_magnet:
            state["lead_form"] = LeadForm(auto_id="lead_%s")
        else:
            state["download_url"] = resources.download_path(page)
    state.update(extra)
    return state


@require_POST
def resource_lead(request, resource_id: int):
    try:
        page = resources.resource_get_live(resource_id)
    except Exception as exc:  # noqa: BLE001 - missing or unpublished: 404
        raise Http404() from exc
    if not page.lead_magnet:
        return redirect(page.url)
    form = LeadForm(request.POST, auto_id="lead_%s")
    status = 200
    lead_download_url = ""
    if form.is_valid():
        try:
            _lead, lead_download_url = resources.lead_capture(
                resource=page,
                email=form.cleaned_data["email"],
                name=form.cleaned_data["name"],
                consent=form.cleaned_data["consent"],
                marketing_opt_in=form.cleaned_data["marketing"],
                user=request.user,
                ip=client_ip(request),
                site_url=request.build_absolute_uri("/"),
            )
        except resources.LeadRateLimited:
            form.add_error(None, _("Recibimos demasiadas solicitudes desde tu conexión. Intenta de nuevo en una hora."))
            status = 422 if getattr(request, "htmx", False) else 429  # htmx swaps 422 only
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errs in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errs)
            else:
                form.add_error(None, exc.messages)
            status = 422
    else:
        status = 422
    ctx = {"page": page, "self": page,
           "resource_state": resource_state(request, page, lead_form=None if lead_download_url else form,
                                            lead_download_url=lead_download_url)}
    template = "content/resource_page.html#lead-gate" if getattr(request, "htmx", False) else \
        "content/resource_page.html"
    return render(request, template, ctx, status=status)


def _error_page(request, status: int, title, message, page=None):
    return render(request, "content/download_error.html",
                  {"status": status, "title": title, "message": message, "resource": page}, status=status)


@require_GET
def resource_download(request, token: str):
    try:
        grant = resources.download_grant_check(token)
    except resources.DownloadLinkExpired:
        return _error_page(request, 410, _("Este enlace ya caducó"),
                           _("Los enlaces de descarga valen una hora y pocos usos. Vuelve a la página del recurso "
                             "para pedir uno nuevo."))
    except resources.DownloadLinkInvalid:
        return _error_page(request, 403, _("Este enlace no es válido"),
                           _("El enlace está incompleto o fue modificado. Vuelve a la página del recurso para "
                             "obtener uno nuevo."))
    from content.models import ResourcePage

    try:
        page, allowed, reason = resources.resource_for_download(grant=grant, user=request.user)
    except ResourcePage.DoesNotExist as exc:
        raise Http404() from exc
    except resources.DownloadLinkInvalid:
        return _error_page(request, 403, _("Este enlace no es válido"),
                           _("El enlace está incompleto o fue modificado. Vuelve a la página del recurso para "
                             "obtener uno nuevo."))
    if not allowed:
        return _error_page(request, 403, _("Necesitas acceso a este recurso"),
                           resources.ACCESS_MESSAGES.get(reason, ""), page=page)
    resources.resource_download_count(resource=page)
    if page.file_id and page.file is not None:
        return resources.resource_file_response(page=page)
    if page.external_url:
        return HttpResponseRedirect(page.external_url)
    raise Http404()


@csrf_exempt  # the banner may sit in a page served from the anonymous cache; checked by Origin instead
@require_POST
def cookie_choice(request):
    """The cookie banner's answer: a cookie for a year; back to the page (JSON for fetch)."""
    origin = request.headers.get("Origin")
    if origin and origin != "null" and urlparse(origin).netloc != request.get_host():
        return HttpResponseForbidden()
    choice = request.POST.get("choice", "")
    if choice not in COOKIE_CHOICES:
        choice = "necessary"
    nxt = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        nxt = "/"
    if request.headers.get("X-Requested-With") == "fetch":
        response = JsonResponse({"choice": choice})
    else:
        response = HttpResponseRedirect(nxt)
    response.set_cookie(COOKIE_NAME, choice, max_age=COOKIE_MAX_AGE, samesite="Lax", secure=request.is_secure(),
                        httponly=False)
    return response
