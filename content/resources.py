"""Resources and the leads they bring: who may open a resource, the lead-magnet gate, signed
download links, download counts; plus the reads the resource, video, testimonial and FAQ
templates need. Services (writes) and selectors (reads) of this part of the site live here so
they do not collide with ``content.services`` / ``content.selectors``.

The one access rule is :func:`resource_access`; pages, the download view and tests call it.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from config.api import rate_hit

DOWNLOAD_SALT = "content.resource_download"
DOWNLOAD_MAX_AGE = 60 * 60  # a download link lives one hour
DOWNLOAD_MAX_USES = 3  # the page's link, the emailed link and one retry; more is a replay
LEAD_RATE = "10/h"  # lead submissions per IP


class AccessReason:
    OK = "ok"
    SIGN_IN = "sign_in"  # anonymous: sign up or sign in
    PROGRAM = "program_required"  # signed in, not in a program (open care with a nutritionist)
    PREMIUM = "premium_required"  # signed in, not premium


# ---------------------------------------------------------------------------------------
# the access rule


def _is_premium(user) -> bool:
    return bool(user.is_staff or user.has_role("nutritionist"))


def _in_program(user) -> bool:
    """An open care relationship as patient (memoised on the user for the request)."""
    cached = getattr(user, "_content_in_program", None)
    if cached is None:
        from clinical.models import OPEN_CARE, CareRelationship

        cached = CareRelationship.objects.filter(patient=user, status__in=OPEN_CARE).exists()
        user._content_in_program = cached
    return cached


def resource_access(user, resource) -> tuple[bool, str]:
    """Who may open a resource, by its access level.

    * free: anyone;
    * registered: anyone signed in;
    * program: signed in with an open care relationship (patients in a programme), and
      everyone premium;
    * premium: staff and nutritionists (for now).

    Returns ``(allowed, reason_code)``; the reason says what the person can do about it.
    """
    from content.models import AccessLevel

    level = resource.access_level
    if level == AccessLevel.FREE:
        return True, AccessReason.OK
    if user is None or not user.is_authenticated:
        return False, AccessReason.SIGN_IN
    if level == AccessLevel.REGISTERED:
        return True, AccessReason.OK
    if _is_premium(user):
        return True, AccessReason.OK
    if level == AccessLevel.PROGRAM:
        return (True, AccessReason.OK) if _in_program(user) else (False, AccessReason.PROGRAM)
    return False, AccessReason.PREMIUM


ACCESS_MESSAGES = {
    AccessReason.SIGN_IN: _("Este recurso es para personas con cuenta en NutriMX. Crea tu cuenta gratis o entra "
                            "para abrirlo."),
    AccessReason.PROGRAM: _("Este recurso es para quienes llevan un programa con un(a) nutriólogo(a) de NutriMX. "
                            "Busca a tu nutriólogo(a) en el directorio para empezar."),
    AccessReason.PREMIUM: _("Este recurso es premium: por ahora lo abren los nutriólogos verificados y el equipo "
                            "de NutriMX."),
}


# ---------------------------------------------------------------------------------------
# selectors


def resource_list(*, index_page, user, resource_type: str = "", access: str = ""):
    """The live resources under an index, filtered by type and access level, each with
    ``allowed`` / ``reason`` for this person."""
    from content.models import AccessLevel, ResourcePage, ResourceType

    qs = ResourcePage.objects.child_of(index_page).live().public().order_by("-first_published_at", "title")
    if resource_type in ResourceType.values:
        qs = qs.filter(resource_type=resource_type)
    else:
        resource_type = ""
    if access in AccessLevel.values:
        qs = qs.filter(access_level=access)
    else:
        access = ""
    items = list(qs.select_related("thumbnail"))
    for item in items:
        item.allowed, item.reason = resource_access(user, item)
    return {
        "resources": items,
        "type": resource_type,
        "access": access,
        "types": ResourceType.choices,
        "access_levels": AccessLevel.choices,
    }


def resource_get_live(resource_id: int):
    from content.models import ResourcePage

    return ResourcePage.objects.live().public().get(pk=resource_id)


def testimonials_for(value) -> list:
    """The testimonials a block chose, else the featured ones in their order."""
    from content.models import Testimonial

    chosen = [t for t in (value.get("testimonials") or []) if t is not None]
    if chosen:
        return chosen
    return list(Testimonial.objects.filter(featured=True).select_related("photo").order_by("order", "id")[:12])


def faqs_for(value) -> list:
    """The questions a block chose, else all of its category (or all) in order."""
    from content.models import FAQ

    chosen = [q for q in (value.get("questions") or []) if q is not None]
    if chosen:
        return chosen
    qs = FAQ.objects.all()
    category = (value.get("category") or "").strip()
    if category:
        qs = qs.filter(category=category)
    return list(qs.order_by("category", "order", "id")[:50])


def videos_by_category() -> list[tuple[str, list]]:
    """Published videos grouped by category label, categories in their declared order."""
    from content.models import SnippetCategory, Video

    groups: dict[str, list] = {}
    for video in Video.objects.filter(published=True).order_by("order", "id"):
        groups.setdefault(video.category, []).append(video)
    return [(label, groups[value]) for value, label in SnippetCategory.choices if value in groups]


# ---------------------------------------------------------------------------------------
# signed download links


@dataclass
class DownloadGrant:
    resource_id: int
    lead_id: int | None
    nonce: str


class DownloadLinkExpired(Exception):
    """The link is older than an hour, or was used too many times (410)."""


class DownloadLinkInvalid(Exception):
    """The link was altered or names another resource (403)."""


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=DOWNLOAD_SALT)


def download_token(resource, *, lead=None) -> str:
    payload = f"{resource.pk}.{lead.pk if lead is not None else 0}.{secrets.token_urlsafe(8)}"
    return _signer().sign(payload)


def download_path(resource, *, lead=None) -> str:
    return reverse("content:resource_download", kwargs={"token": download_token(resource, lead=lead)})


def download_grant_check(token: str) -> DownloadGrant:
    """Verify a link's signature and age, and count its use (a replay beyond the allowance fails)."""
    try:
        payload = _signer().unsign(token, max_age=DOWNLOAD_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise DownloadLinkExpired() from exc
    except signing.BadSignature as exc:
        raise DownloadLinkInvalid() from exc
    try:
        rid, lid, nonce = payload.split(".", 2)
        grant = DownloadGrant(int(rid), int(lid) or None, nonce)
    except ValueError as exc:
        raise DownloadLinkInvalid() from exc
    key = f"content:dl:{nonce}"
    cache.add(key, 0, timeout=DOWNLOAD_MAX_AGE + 60)
    try:
        uses = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=DOWNLOAD_MAX_AGE + 60)
        uses = 1
    if uses > DOWNLOAD_MAX_USES:
        raise DownloadLinkExpired()
    return grant


def resource_for_download(*, grant: DownloadGrant, user):
    """The resource a verified link names, if it may be downloaded now.

    Raises ``ResourcePage.DoesNotExist`` (404) when it is gone, ``DownloadLinkInvalid`` when a
    gated resource's link carries no lead of that resource, and returns ``(resource, allowed,
    reason)`` so the view can explain a missing access level."""
    from content.models import LeadCapture

    resource = resource_get_live(grant.resource_id)
    if resource.lead_magnet:
        if grant.lead_id is None or not LeadCapture.objects.filter(pk=grant.lead_id, resource=resource).exists():
            raise DownloadLinkInvalid()
    allowed, reason = resource_access(user, resource)
    return resource, allowed, reason


def resource_download_count(*, resource) -> None:
    from content.models import ResourcePage

    ResourcePage.objects.filter(pk=resource.pk).update(download_count=F("download_count") + 1)


# ---------------------------------------------------------------------------------------
# lead capture


class LeadRateLimited(Exception):
    pass


def lead_consent_text() -> str:
    """The exact words the visitor agrees to (stored with each lead)."""
    from accounts.services import privacy_notice_version

    return gettext(
        "Acepto que NutriMX trate mi correo y mi nombre para enviarme este recurso, conforme al Aviso de "
        "Privacidad versión %(version)s (%(url)s)."
    ) % {"version": privacy_notice_version(), "url": reverse("accounts:privacy")}


def lead_marketing_text() -> str:
    return gettext("Quiero recibir consejos y novedades de NutriMX por correo (puedo darme de baja cuando quiera).")


def lead_capture(*, resource, email: str, name: str = "", consent: bool, marketing_opt_in: bool = False,
                 user=None, ip: str | None = None, site_url: str = "") -> tuple:
    """Record a lead for a gated free resource and email its download link.

    Returns ``(lead, download_path)``. Raises ``LeadRateLimited`` after ``LEAD_RATE``
    submissions from one IP and ``ValidationError`` for a bad email or missing consent."""
    from content.models import AccessLevel, LeadCapture

    if not resource.lead_magnet or resource.access_level != AccessLevel.FREE:
        raise ValidationError(gettext("Este recurso no pide correo."))
    allowed, *_rest = rate_hit(f"content_lead:ip{ip or 'unknown'}", LEAD_RATE)
    if not allowed:
        raise LeadRateLimited()
    errors = {}
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = gettext("Escribe un correo válido, por ejemplo nombre@dominio.mx.")
    if not consent:
        errors["consent"] = gettext("Para enviarte el recurso necesitamos tu consentimiento.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        lead = LeadCapture.objects.create(
            resource=resource,
            email=email,
            name=(name or "").strip()[:120],
            consent_text=lead_consent_text(),
            marketing_opt_in=bool(marketing_opt_in),
            user=user if user is not None and user.is_authenticated else None,
            ip_address=ip or None,
        )
        path = download_path(resource, lead=lead)
        link = f"{site_url.rstrip('/')}{path}" if site_url else f"{settings.SITE_URL.rstrip('/')}{path}"
        subject = gettext("Tu recurso de NutriMX: %(title)s") % {"title": resource.title}
        body = gettext(
            "Hola%(name)s:\n\nAquí está tu descarga de «%(title)s»:\n%(link)s\n\nEl enlace vale una hora. "
            "Si caduca, vuelve a la página del recurso y pídelo de nuevo.\n\nNutriMX"
        ) % {"name": f" {lead.name}" if lead.name else "", "title": resource.title, "link": link}
        transaction.on_commit(lambda: send_mail(subject, body, None, [email], fail_silently=True))
    return lead, path


# ---------------------------------------------------------------------------------------
# resource files are private: only the signed download view hands them out

PRIVATE_COLLECTION = "Recursos (privados)"


def private_collection():
    """The collection resource files live in. Its view restriction lets only the editorial
    groups open ``/documents/<id>/<file>``; everyone else downloads through a signed link."""
    from django.contrib.auth.models import Group
    from wagtail.models import Collection, CollectionViewRestriction

    root = Collection.get_first_root_node()
    collection = Collection.objects.filter(name=PRIVATE_COLLECTION).first()
    if collection is None:
        collection = root.add_child(name=PRIVATE_COLLECTION)
    restriction = CollectionViewRestriction.objects.filter(collection=collection).first()
    if restriction is None:
        restriction = CollectionViewRestriction.objects.create(
            collection=collection, restriction_type=CollectionViewRestriction.GROUPS
        )
    staff_groups = Group.objects.filter(name__in=["Editores", "Moderadores"])
    restriction.groups.add(*staff_groups)
    return collection


def resource_file_protect(*, page) -> bool:
    """Move the document of a gated or restricted resource into the private collection (on
    save and publish). A free resource without an email gate stays public."""
    from content.models import AccessLevel

    document = page.file if page.file_id else None
    if document is None or (page.access_level == AccessLevel.FREE and not page.lead_magnet):
        return False
    collection = private_collection()
    if document.collection_id == collection.pk:
        return False
    document.collection = collection
    document.save(update_fields=["collection"])
    return True


def resource_file_response(*, page):
    """The resource's file as an attachment, read from storage (not through the public
    document URL, which the private collection closes)."""
    from django.http import FileResponse

    document = page.file
    handle = document.file.open("rb")
    return FileResponse(handle, as_attachment=True, filename=document.filename)


def _protect_on_save(sender, instance, **kwargs):
    if getattr(instance, "file_id", None):
        resource_file_protect(page=instance)


def connect_file_protection() -> None:
    from django.db.models.signals import post_save
    from wagtail.signals import page_published

    from content.models import ResourcePage

    post_save.connect(_protect_on_save, sender=ResourcePage, dispatch_uid="content_resource_file_private")
    page_published.connect(_protect_on_save, sender=ResourcePage, dispatch_uid="content_resource_file_private_pub")
