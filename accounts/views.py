"""Account pages (htmx). Views parse input, call ``accounts.services`` / ``accounts.selectors``
and render a template; when htmx asks, they render just the ``{% partialdef %}`` region."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseServerError
from django.shortcuts import redirect, render
from django.template import loader
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import home_sections, selectors, services
from accounts.forms import (
    AccountDeleteForm,
    MarketingConsentForm,
    NotificationPreferencesForm,
    PhotoForm,
    ProfileForm,
)
from accounts.models import ConsentRecord, LegalDocument, Notification
from accounts.templatetags.accounts_ui import device_label

NOTIFICATIONS_PER_PAGE = 20


# ---------------------------------------------------------------------------------------
# helpers


def _htmx(request) -> bool:
    return bool(getattr(request, "htmx", False))


def _hx_redirect(request, url: str):
    """A redirect that also works for htmx (``HX-Location`` keeps it an htmx navigation)."""
    if _htmx(request):
        resp = HttpResponse(status=204)
        resp["HX-Location"] = url
        return resp
    return redirect(url)


def _safe_next(request, default: str) -> str:
    nxt = request.POST.get("next") or request.GET.get("next") or ""
    if nxt and url_has_allowed_host_and_scheme(
        nxt, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return nxt
    return default


def _error_messages(exc: ValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return exc.message_dict
    return {"__all__": exc.messages}


# ---------------------------------------------------------------------------------------
# landing and home


@login_required
def home(request):
    user = request.user
    is_nutritionist_type = user.user_type == "nutritionist"
    context = {
        "summary": selectors.profile_summary(user=user),
        "mfa": selectors.mfa_status(user=user),
        "is_staff_user": user.is_staff,
        "is_nutritionist_type": is_nutritionist_type,
        "nutritionist_verified": is_nutritionist_type and selectors.nutritionist_is_verified(user=user),
        "sections": home_sections.sections_for(request),
    }
    return render(request, "accounts/home.html", context)


# ---------------------------------------------------------------------------------------
# profile


def _profile_context(request, form=None, photo_form=None):
    user = selectors.user_with_profile(user_id=request.user.pk)
    if form is None:
        form = ProfileForm(initial=ProfileForm.initial_for(user))
    return {
        "form": form,
        "photo_form": photo_form or PhotoForm(),
        "profile_user": user,
        "profile": getattr(user, "profile", None),
        "summary": selectors.profile_summary(user=user),
    }


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    if request.method == "GET":
        return render(request, "accounts/profile.html", _profile_context(request))

    form = ProfileForm(request.POST)
    old_language = request.user.language
    user = None
    if form.is_valid():  # choices only; the service does the real validation
        try:
            user = services.profile_update(actor=request.user, user=request.user, data=form.service_data())
        except ValidationError as exc:
            for field, errors in _error_messages(exc).items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
    if user is None:
        messages.error(request, _("Revisa los campos marcados; no se guardó ningún cambio."))
        context = _profile_context(request, form=form)
        if _htmx(request):
            return render(request, "accounts/profile.html#profile-form", context, status=422)
        return render(request, "accounts/profile.html", context, status=422)

    messages.success(request, _("Tu perfil se guardó."))
    if user.language != old_language:
        # The page must be drawn again in the new language.
        if _htmx(request):
            resp = HttpResponse(status=204)
            resp["HX-Redirect"] = reverse("accounts:profile")
            return resp
        return redirect("accounts:profile")
    if _htmx(request):
        return render(request, "accounts/profile.html#profile-form", _profile_context(request))
    return redirect("accounts:profile")


@login_required
@require_POST
def profile_validate(request, field: str):
    """Inline validation of one profile field: returns that field's partial with its error."""
    if field not in ProfileForm.base_fields:
        raise Http404
    form = ProfileForm(request.POST)
    form.is_valid()
    if not form.errors.get(field):
        value = form.service_data([field]).get(field, "")
        for error in _validate_profile_value(request.user, field, value):
            form.add_error(field, error)
    return render(request, "accounts/profile.html#field", {"field": form[field], "validated": True})


def _validate_profile_value(user, field: str, value) -> list[str]:
    from accounts.models import Profile

    try:
        if field in services.USER_FIELDS:
            services.user_fields_clean(user=user, data={field: value})
        else:
            instance = Profile.objects.filter(user=user).first()
            services.profile_clean(data={field: value}, instance=instance)
    except ValidationError as exc:
        return _error_messages(exc).get(field) or exc.messages
    return []


@login_required
@require_POST
def profile_photo(request):
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.profile_photo_set(
                actor=request.user, user=request.user, upload=form.cleaned_data["photo"]
            )
        except ValidationError as exc:
            for error in exc.messages:
                form.add_error("photo", error)
    if form.errors:
        status = 422
        messages.error(request, _("No pudimos cambiar tu foto."))
    else:
        status = 200
        messages.success(request, _("Tu foto se actualizó."))
        form = PhotoForm()
    context = _profile_context(request, photo_form=form)
    if _htmx(request):
        return render(request, "accounts/profile.html#photo-card", context, status=status)
    if status == 200:
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", context, status=status)


# ---------------------------------------------------------------------------------------
# security hub


def _security_context(request, marketing_form=None, prefs_form=None):
    user = request.user
    consents = services.consent_state(user=user)
    marketing = consents.get(ConsentRecord.Kind.MARKETING, {})
    from allauth.account.models import EmailAddress

    return {
        "emails": EmailAddress.objects.filter(user=user).order_by("-primary", "email"),
        "mfa": selectors.mfa_status(user=user),
        "sessions": [
            {
                "session": s,
                "device": device_label(s.user_agent),
                "is_current": s.session_key == request.session.session_key,
            }
            for s in selectors.user_session_list(user=user)[:10]
        ],
        "events": list(selectors.audit_event_list(user=user)[:10]),
        "marketing": marketing,
        "marketing_form": marketing_form
        or MarketingConsentForm(initial={"granted": marketing.get("granted", False)}),
        "prefs_form": prefs_form
        or NotificationPreferencesForm(prefs=selectors.notification_preferences(user=user)),
        "privacy": consents.get(ConsentRecord.Kind.PRIVACY_NOTICE, {}),
    }


@login_required
@require_GET
def security(request):
    return render(request, "accounts/security.html", _security_context(request))


@login_required
@require_POST
def security_marketing(request):
    form = MarketingConsentForm(request.POST)
    form.is_valid()
    granted = bool(form.cleaned_data.get("granted"))
    services.consent_marketing_set(user=request.user, granted=granted, request=request)
    if granted:
        messages.success(request, _("Te enviaremos consejos y novedades por correo."))
    else:
        messages.success(request, _("Ya no te enviaremos correos de marketing."))
    if _htmx(request):
        return render(request, "accounts/security.html#marketing", _security_context(request))
    return redirect("accounts:security")


@login_required
@require_POST
def security_notifications(request):
    prefs = selectors.notification_preferences(user=request.user)
    form = NotificationPreferencesForm(request.POST, prefs=prefs)
    if form.is_valid():
        services.notification_preferences_set(user=request.user, prefs=form.prefs())
        messages.success(request, _("Tus preferencias de notificaciones se guardaron."))
    if _htmx(request):
        return render(request, "accounts/security.html#notification-prefs", _security_context(request))
    return redirect("accounts:security")


@login_required
@require_http_methods(["GET", "POST"])
def account_delete(request):
    """Cancel one's own account (soft delete + anonymisation), then sign out."""
    from django.contrib.auth import logout

    form = AccountDeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.account_delete_self(
                user=request.user, password=form.cleaned_data["password"], request=request
            )
        except ValidationError as exc:
            for field, errors in _error_messages(exc).items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            logout(request)
            messages.success(request, _("Tu cuenta se eliminó. Gracias por haber usado NutriMX."))
            return _hx_redirect(request, reverse("landing"))
    return render(request, "accounts/account_delete.html", {"form": form})


# ---------------------------------------------------------------------------------------
# notifications inbox


def _notifications_page(request):
    paginator = Paginator(selectors.notification_list(user=request.user), NOTIFICATIONS_PER_PAGE)
    return paginator.get_page(request.GET.get("page") or 1)


@login_required
@require_GET
def notifications(request):
    page = _notifications_page(request)
    # The unread count comes from the layout's context processor (``unread_notifications``).
    context = {"page_obj": page, "notifications": page.object_list}
    if _htmx(request) and request.GET.get("page"):
        return render(request, "accounts/notifications.html#page-rows", context)
    if _htmx(request):
        return render(request, "accounts/notifications.html#inbox", context)
    return render(request, "accounts/notifications.html", context)


def _own_notification(request, notification_id) -> Notification:
    try:
        return selectors.notification_list(user=request.user).get(pk=notification_id)
    except Notification.DoesNotExist:
        raise Http404


@login_required
@require_GET
def notification_row(request, notification_id: int):
    """One inbox row: the websocket script fetches it to prepend a new notification."""
    notification = _own_notification(request, notification_id)
    return render(request, "accounts/notifications.html#row", {"n": notification})


@login_required
@require_POST
def notification_read(request, notification_id: int):
    try:
        notification = services.notification_mark_read(user=request.user, notification_id=notification_id)
    except Notification.DoesNotExist:
        raise Http404
    if _htmx(request):
        return render(request, "accounts/notifications.html#row-read", {"n": notification})
    return redirect("accounts:notifications")


@login_required
@require_GET
def notification_open(request, notification_id: int):
    """Follow a notification's link, marking it read on the way."""
    try:
        notification = services.notification_mark_read(user=request.user, notification_id=notification_id)
    except Notification.DoesNotExist:
        raise Http404
    link = notification.link or ""
    if link and url_has_allowed_host_and_scheme(link, allowed_hosts={request.get_host()}):
        return redirect(link)
    return redirect("accounts:notifications")


@login_required
@require_POST
def notifications_read_all(request):
    changed = services.notification_mark_all_read(user=request.user)
    if changed:
        messages.success(request, _("Marcaste todas como leídas."))
    if _htmx(request):
        page = _notifications_page(request)
        return render(
            request,
            "accounts/notifications.html#inbox",
            {"page_obj": page, "notifications": page.object_list},
        )
    return redirect("accounts:notifications")


# ---------------------------------------------------------------------------------------
# consent and legal documents


@login_required
@require_http_methods(["GET", "POST"])
def consent(request):
    nxt = _safe_next(request, reverse("home"))
    if request.method == "POST":
        if request.POST.get("accept") != "1":
            messages.error(request, _("Para seguir usando NutriMX necesitas aceptar el aviso de privacidad."))
            return redirect(f"{reverse('accounts:consent')}?next={nxt}")
        services.consent_accept_current(user=request.user, request=request)
        messages.success(request, _("Gracias. Registramos tu aceptación del aviso de privacidad."))
        return _hx_redirect(request, nxt)
    if services.consent_privacy_is_current(user=request.user) and "next" in request.GET:
        return redirect(nxt)
    document = services.legal_document_current(LegalDocument.Kind.PRIVACY)
    context = {
        "document": document,
        "version": services.privacy_notice_version(),
        "next": nxt,
        "already_current": services.consent_privacy_is_current(user=request.user),
        "privacy_email": settings.PRIVACY_CONTACT_EMAIL,
    }
    return render(request, "accounts/consent.html", context)


def _legal(request, kind: str, template_default: str):
    document = services.legal_document_current(kind)
    return render(
        request,
        "legal/document.html",
        {
            "document": document,
            "kind": kind,
            "default_template": template_default,
            "privacy_email": settings.PRIVACY_CONTACT_EMAIL,
            "version": services.privacy_notice_version()
            if kind == LegalDocument.Kind.PRIVACY
            else services.terms_version(),
        },
    )


@require_GET
def legal_privacy(request):
    return _legal(request, LegalDocument.Kind.PRIVACY, "legal/privacy_default.html")


@require_GET
def legal_terms(request):
    return _legal(request, LegalDocument.Kind.TERMS, "legal/terms_default.html")


# ---------------------------------------------------------------------------------------
# errors


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    """The 500 page renders without context processors or the database."""
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render())
