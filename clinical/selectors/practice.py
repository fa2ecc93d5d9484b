"""Reads of the practice: the public directory of verified nutritionists, a public profile,
the actor's own profile and the staff verification queue."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from accounts.models import MexicanState
from clinical.models import NutritionistProfile, Specialization, VerificationStatus
from clinical.rules import id_parse
from clinical.services.practice import LANGUAGE_CHOICES, ProfileNotFound

__all__ = [
    "DirectoryFilters",
    "ProfileNotFound",
    "directory_filters_clean",
    "nutritionist_directory",
    "nutritionist_public_get",
    "profile_of",
    "verification_queue",
    "verification_profile_get",
]


@dataclass
class DirectoryFilters:
    q: str = ""
    specialization: str = ""
    city: str = ""
    state: str = ""
    language: str = ""
    max_fee: int | None = None
    accepting: bool = False
    errors: dict = field(default_factory=dict)

    def as_kwargs(self) -> dict:
        return {k: getattr(self, k) for k in ("q", "specialization", "city", "state", "language", "max_fee", "accepting")}


def directory_filters_clean(params) -> DirectoryFilters:
    """Parse the directory's query parameters (page or API); bad values are dropped and
    reported in ``errors`` (the API turns them into a 400)."""
    f = DirectoryFilters()
    get = params.get
    q = (get("q") or get("search") or "").strip()
    f.q = q[:100]
    spec = (get("specialization") or "").strip()
    if spec:
        if spec in Specialization.values:
            f.specialization = spec
        else:
            f.errors["specialization"] = [_("Especialidad desconocida.")]
    f.city = (get("city") or "").strip()[:100]
    state = (get("state") or "").strip()
    if state:
        if state in MexicanState.values:
            f.state = state
        else:
            f.errors["state"] = [_("Elige un estado de la República.")]
    lang = (get("language") or "").strip()
    if lang:
        if lang in dict(LANGUAGE_CHOICES):
            f.language = lang
        else:
            f.errors["language"] = [_("Idioma no disponible.")]
    fee = (get("max_fee") or "").strip()
    if fee:
        try:
            f.max_fee = int(fee)
            if f.max_fee < 0:
                raise ValueError
        except ValueError:
            f.max_fee = None
            f.errors["max_fee"] = [_("El costo máximo es un número de pesos.")]
    f.accepting = str(get("accepting") or get("accepting_patients") or "").lower() in ("1", "true", "on", "yes")
    return f


def nutritionist_directory(*, q="", specialization="", city="", state="", language="", max_fee=None,
                           accepting=False) -> QuerySet[NutritionistProfile]:
    """Verified profiles only, with the user joined; most experienced first."""
    qs = NutritionistProfile.objects.filter(
        verification_status=VerificationStatus.VERIFIED, user__is_active=True, user__deleted_at__isnull=True,
        user__is_banned=False,
    ).select_related("user")
    if q:
        for word in q.split()[:5]:
            qs = qs.filter(
                Q(user__first_name__icontains=word) | Q(user__last_name__icontains=word)
                | Q(clinic_name__icontains=word) | Q(bio__icontains=word) | Q(city__icontains=word)
            )
    if specialization:
        # JSON list membership that works on SQLite and PostgreSQL alike.
        qs = qs.filter(specializations__icontains=f'"{specialization}"')
    if city:
        qs = qs.filter(city__icontains=city)
    if state:
        qs = qs.filter(state=state)
    if language:
        qs = qs.filter(languages__icontains=f'"{language}"')
    if max_fee is not None:
        qs = qs.filter(consultation_fee_mxn__lte=max_fee)
    if accepting:
        qs = qs.filter(accepting_patients=True)
    return qs.order_by("-accepting_patients", "-years_experience", "user__first_name", "pk")


def nutritionist_public_get(*, slug) -> NutritionistProfile:
    """A verified profile by slug, or ``ProfileNotFound``."""
    if not isinstance(slug, str) or not slug or len(slug) > 80:
        raise ProfileNotFound()
    profile = nutritionist_directory().filter(slug=slug).first()
    if profile is None:
        raise ProfileNotFound()
    return profile


def profile_of(*, user) -> NutritionistProfile | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return NutritionistProfile.objects.filter(user=user).select_related("user").first()


def verification_queue(*, actor) -> QuerySet[NutritionistProfile]:
    """Staff only (others: ``ProfileNotFound``): pending profiles, oldest submission first."""
    if not (getattr(actor, "is_authenticated", False) and actor.is_staff):
        raise ProfileNotFound()
    return (
        NutritionistProfile.objects.filter(verification_status=VerificationStatus.PENDING)
        .select_related("user").order_by("submitted_at", "pk")
    )


def verification_profile_get(*, actor, profile_id) -> NutritionistProfile:
    """Any profile for staff (to review its proof), or ``ProfileNotFound``."""
    if not (getattr(actor, "is_authenticated", False) and actor.is_staff):
        raise ProfileNotFound()
    pk = id_parse(profile_id)
    profile = NutritionistProfile.objects.select_related("user").filter(pk=pk).first() if pk else None
    if profile is None:
        raise ProfileNotFound()
    return profile
