"""Family circles: a patient's private circle of family, friends and their nutritionist(s).

Only a patient creates one (and owns it); their nutritionists in open care join it on their
own (when the circle is created and whenever care starts later; they leave it when care
ends). The owner invites people by username with a role, a relationship and permissions;
invitees accept or decline. Members add family goals and recipes, post when allowed and send
encouragement. The owner's weight logs become at most one progress post a day per circle
when the circle shares progress automatically.

Pages, the API and the signal receivers call these functions. A circle the actor is not an
active member of is ``CircleNotFound`` (404).
"""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from social import rules
from social.models import (
    CircleMemberStatus,
    CircleRole,
    FamilyCircle,
    FamilyCircleMember,
    Post,
    PostType,
    Visibility,
)
from social.rules import CircleNotFound
from social.selectors import circles as selectors
from social.services.common import SocialRateLimited, bool_clean, display_name, notify_social
from social.text import clean_text

logger = logging.getLogger(__name__)

MAX_GOALS = 20
MAX_RECIPES = 100
INVITABLE_ROLES = (CircleRole.FAMILY_MEMBER, CircleRole.SUPPORT_FRIEND)
ENCOURAGEMENTS = {
    "tu_puedes": "¡Tú puedes! 💪",
    "orgullo": "¡Estamos orgullosos de ti! 🎉",
    "sigue_asi": "¡Sigue así, vas muy bien! 🌟",
    "contigo": "Aquí estamos contigo ❤️",
}
ENCOURAGE_RATE = "10/h"


def _circle_url(circle) -> str:
    return reverse("social:circle", args=[circle.pk])




def is_nutritionist(user) -> bool:
    return user.has_role("nutritionist") or getattr(user, "user_type", "") == "nutritionist"


# ---------------------------------------------------------------------------------------
# create, edit, delete


PRIVACY = ("share_progress_automatically", "share_achievements", "share_meal_logs")


@transaction.atomic
def circle_create(*, actor, name, description: str = "", **privacy) -> FamilyCircle:
    """A patient creates a circle and owns it; their nutritionist(s) in open care join it."""
    if is_nutritionist(actor):
        raise PermissionDenied(_("Los círculos familiares los crean los pacientes; tus pacientes te agregan al suyo."))
    if not actor.is_active or getattr(actor, "is_banned", False):
        raise PermissionDenied(_("Tu cuenta no puede crear círculos."))
    unknown = set(privacy) - set(PRIVACY)
    if unknown:
        raise ValidationError({k: [_("Campo desconocido.")] for k in sorted(unknown)})
    errors = {}
    try:
        name = clean_text(name, field="name", max_length=120, required=True, multiline=False)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        description = clean_text(description, field="description", max_length=1000)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    defaults = {"share_progress_automatically": True, "share_achievements": True, "share_meal_logs": False}
    for key in PRIVACY:
        if key in privacy and privacy[key] is not None:
            defaults[key] = bool_clean(privacy[key], key)
    circle = FamilyCircle.objects.create(owner=actor, name=name, description=description, **defaults)
    FamilyCircleMember.objects.create(circle=circle, user=actor, role=CircleRole.OWNER, status=CircleMemberStatus.ACTIVE)
    circle_nutritionists_sync(patient_id=actor.pk, circles=[circle])
    _after_join(actor.pk)
    return circle


@transaction.atomic
def circle_update(*, actor, circle_id, data: dict) -> FamilyCircle:
    """The owner renames the circle or changes its privacy settings."""
    circle = selectors.circle_owner_get(user=actor, circle_id=circle_id)
    unknown = set(data) - {"name", "description", *PRIVACY}
    if unknown:
        raise ValidationError({k: [_("Campo desconocido.")] for k in sorted(unknown)})
    errors = {}
    for key in ("name", "description", *PRIVACY):
        if key not in data:
            continue
        try:
            if key == "name":
                value = clean_text(data[key], field="name", max_length=120, required=True, multiline=False)
            elif key == "description":
                value = clean_text(data[key], field="description", max_length=1000)
            else:
                value = bool_clean(data[key], key)
        except ValidationError as exc:
            errors.update(exc.message_dict)
            continue
        setattr(circle, key, value)
    if errors:
        raise ValidationError(errors)
    circle.save()
    return circle


@transaction.atomic
def circle_delete(*, actor, circle_id) -> None:
    """The owner deletes the circle with its posts, goals and recipe collection."""
    circle = selectors.circle_owner_get(user=actor, circle_id=circle_id)
    member_ids = selectors.circle_member_ids(circle.pk)
    circle_pk = circle.pk

    def _drop():
        from social.feed import timeline_drop_group

        for uid in member_ids:
            timeline_drop_group(uid, circle_id=circle_pk)

    _drop()  # before the posts go (the timeline check reads them)
    circle.delete()


# ---------------------------------------------------------------------------------------
# the owner's nutritionists


def circle_nutritionists_sync(*, patient_id, circles=None) -> int:
    """Make the patient's circles hold exactly their nutritionists in open care (role
    nutritionist, active). Returns how many memberships were added or removed."""
    from clinical.models import OPEN_CARE, CareRelationship

    circles = list(circles) if circles is not None else list(FamilyCircle.objects.filter(owner_id=patient_id))
    if not circles:
        return 0
    wanted = set(
        CareRelationship.objects.filter(patient_id=patient_id, status__in=OPEN_CARE).values_list("nutritionist_id", flat=True)
    )
    changed = 0
    for circle in circles:
        rows = dict(
            FamilyCircleMember.objects.filter(circle=circle, user_id__in=wanted).values_list("user_id", "role")
        ) if wanted else {}
        for nutritionist_id in wanted - set(rows):
            try:
                with transaction.atomic():
                    FamilyCircleMember.objects.create(
                        circle=circle, user_id=nutritionist_id, role=CircleRole.NUTRITIONIST,
                        status=CircleMemberStatus.ACTIVE,
                    )
            except IntegrityError:  # pragma: no cover - added concurrently
                continue
            changed += 1
            _after_join(nutritionist_id)
        # someone invited by hand who is now their nutritionist becomes the circle's nutritionist
        FamilyCircleMember.objects.filter(circle=circle, user_id__in=wanted).exclude(role=CircleRole.NUTRITIONIST).exclude(
            role=CircleRole.OWNER
        ).update(role=CircleRole.NUTRITIONIST, status=CircleMemberStatus.ACTIVE)
        gone = FamilyCircleMember.objects.filter(circle=circle, role=CircleRole.NUTRITIONIST).exclude(user_id__in=wanted)
        for uid in list(gone.values_list("user_id", flat=True)):
            _after_leave(uid, circle.pk)
        changed += gone.delete()[0]
    return changed


def _after_join(user_id) -> None:
    from social.feed import timeline_invalidate

    transaction.on_commit(lambda: timeline_invalidate(user_id))


def _after_leave(user_id, circle_id) -> None:
    from social.feed import timeline_drop_group

    transaction.on_commit(lambda: timeline_drop_group(user_id, circle_id=circle_id))


# ---------------------------------------------------------------------------------------
# members


def _permissions_clean(data: dict) -> dict:
    out = {}
    for perm in selectors.PERMISSIONS:
        if perm in data and data[perm] is not None:
            out[perm] = bool_clean(data[perm], perm)
    return out


def _relationship_clean(value) -> str:
    return clean_text(value, field="relationship", max_length=50, multiline=False)


@transaction.atomic
def circle_invite(
    *, actor, circle_id, username, role: str = CircleRole.FAMILY_MEMBER, relationship: str = "", permissions=None
) -> FamilyCircleMember:
    """The owner invites someone by username as family or support friend, with a
    relationship label and permissions; they accept or decline."""
    from accounts.models import User

    circle = selectors.circle_owner_get(user=actor, circle_id=circle_id)
    name = str(username or "").strip().lstrip("@").lower()
    if not name:
        raise ValidationError({"username": [_("Escribe el nombre de usuario.")]})
    role = role or CircleRole.FAMILY_MEMBER
    if role not in INVITABLE_ROLES:
        raise ValidationError({"role": [_("Elige familiar o amigo(a) de apoyo.")]})
    relationship = _relationship_clean(relationship)
    perms = _permissions_clean(permissions or {})
    invitee = User.objects.filter(username=name, is_active=True, deleted_at__isnull=True).first()
    if invitee is None or invitee.pk == actor.pk or rules.is_blocked_between(actor.pk, invitee.pk):
        raise ValidationError({"username": [_("No encontramos a @%(u)s.") % {"u": name[:30]}]}, code="USER_NOT_FOUND")
    existing = FamilyCircleMember.objects.filter(circle=circle, user=invitee).first()
    if existing is not None:
        if existing.status == CircleMemberStatus.ACTIVE:
            raise ValidationError({"username": [_("@%(u)s ya está en tu círculo.") % {"u": name}]}, code="ALREADY_MEMBER")
        existing.replayed = True
        return existing
    member = FamilyCircleMember.objects.create(
        circle=circle, user=invitee, role=role, status=CircleMemberStatus.INVITED, relationship=relationship,
        invited_by=actor, **perms,
    )
    notify_social(
        invitee,
        "circle_invitation",
        _("%(name)s te invitó a su círculo familiar «%(circle)s»") % {"name": display_name(actor), "circle": circle.name},
        link=reverse("social:circles"),
        data={"circle_id": circle.pk},
    )
    member.replayed = False
    return member


@transaction.atomic
def circle_invitation_respond(*, actor, circle_id, accept: bool) -> FamilyCircleMember | None:
    invitation = selectors.circle_invitation_get(user=actor, circle_id=circle_id)
    circle = invitation.circle
    if not accept:
        invitation.delete()
        return None
    invitation.status = CircleMemberStatus.ACTIVE
    invitation.joined_at = timezone.now()
    invitation.save(update_fields=["status", "joined_at"])
    _after_join(actor.pk)
    notify_social(
        circle.owner,
        "circle_joined",
        _("%(name)s se unió a «%(circle)s»") % {"name": display_name(actor), "circle": circle.name},
        link=_circle_url(circle),
        data={"circle_id": circle.pk},
    )
    return invitation


def _member_of(circle, user_id, *, lock: bool = True) -> FamilyCircleMember:
    pk = rules.id_parse(user_id)
    qs = FamilyCircleMember.objects.select_related("user").filter(circle=circle, user_id=pk)
    member = (qs.select_for_update() if lock else qs).first() if pk else None
    if member is None:
        raise CircleNotFound()
    return member


@transaction.atomic
def circle_member_update(*, actor, circle_id, user_id, data: dict) -> FamilyCircleMember:
    """The owner changes a member's permissions, relationship label or role."""
    circle = selectors.circle_owner_get(user=actor, circle_id=circle_id)
    member = _member_of(circle, user_id)
    if member.role == CircleRole.OWNER:
        raise ValidationError({"user_id": [_("Eres quien creó el círculo: tus permisos no cambian.")]})
    unknown = set(data) - {"relationship", "role", *selectors.PERMISSIONS}
    if unknown:
        raise ValidationError({k: [_("Campo desconocido.")] for k in sorted(unknown)})
    fields = []
    for perm, value in _permissions_clean(data).items():
        setattr(member, perm, value)
        fields.append(perm)
    if "relationship" in data:
        member.relationship = _relationship_clean(data["relationship"])
        fields.append("relationship")
    if "role" in data and data["role"] != member.role:
        if member.role == CircleRole.NUTRITIONIST or data["role"] not in INVITABLE_ROLES:
            raise ValidationError({"role": [_("Elige familiar o amigo(a) de apoyo.")]})
        member.role = data["role"]
        fields.append("role")
    if fields:
        member.save(update_fields=fields)
    return member


@transaction.atomic
def circle_member_remove(*, actor, circle_id, user_id) -> None:
    """The owner removes a member or cancels an invitation; a member leaves by removing
    themselves. The owner cannot leave (they delete the circle)."""
    pk = rules.id_parse(user_id)
    circle = selectors.circle_get(user=actor, circle_id=circle_id)
    if pk == actor.pk:
        if circle.is_owner:
            raise ValidationError({"user_id": [_("Eres quien creó el círculo: puedes eliminarlo en Ajustes.")]})
        circle.me.delete()
        _after_leave(actor.pk, circle.pk)
        return
    if not circle.is_owner:
        raise CircleNotFound()
    member = _member_of(circle, pk)
    was_active = member.status == CircleMemberStatus.ACTIVE
    member.delete()
    if was_active:
        _after_leave(pk, circle.pk)


# ---------------------------------------------------------------------------------------
# goals and recipes


def _locked(circle_id, actor) -> FamilyCircle:
    circle = selectors.circle_get(user=actor, circle_id=circle_id)
    locked = FamilyCircle.objects.select_for_update().get(pk=circle.pk)
    locked.me, locked.is_owner = circle.me, circle.is_owner
    return locked


@transaction.atomic
def circle_goal_add(*, actor, circle_id, title, target: str = "") -> dict:
    """Any member adds a family goal (``{title, target, done}``)."""
    circle = _locked(circle_id, actor)
    errors = {}
    try:
        title = clean_text(title, field="title", max_length=120, required=True, multiline=False)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        target = clean_text(target, field="target", max_length=200, multiline=False)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    goals = list(circle.family_goals or [])
    if len(goals) >= MAX_GOALS:
        raise ValidationError({"title": [_("Hasta %(n)s metas por círculo.") % {"n": MAX_GOALS}]})
    goal = {"title": title, "target": target, "done": False, "added_by": actor.pk}
    goals.append(goal)
    circle.family_goals = goals
    circle.save(update_fields=["family_goals", "updated_at"])
    return {"index": len(goals) - 1, **goal}


def _goal_index(circle, index) -> int:
    goals = circle.family_goals or []
    try:
        number = int(index)
    except (TypeError, ValueError):
        number = -1
    if not 0 <= number < len(goals):
        raise CircleNotFound()
    return number


@transaction.atomic
def circle_goal_set_done(*, actor, circle_id, index, done: bool) -> dict:
    circle = _locked(circle_id, actor)
    number = _goal_index(circle, index)
    goals = list(circle.family_goals)
    goals[number] = {**goals[number], "done": bool_clean(done, "done")}
    circle.family_goals = goals
    circle.save(update_fields=["family_goals", "updated_at"])
    return {"index": number, **goals[number]}


@transaction.atomic
def circle_goal_delete(*, actor, circle_id, index) -> None:
    """The owner or the member who added the goal deletes it."""
    circle = _locked(circle_id, actor)
    number = _goal_index(circle, index)
    goals = list(circle.family_goals)
    if not circle.is_owner and goals[number].get("added_by") != actor.pk:
        raise PermissionDenied(_("Solo quien agregó la meta o el dueño del círculo puede borrarla."))
    del goals[number]
    circle.family_goals = goals
    circle.save(update_fields=["family_goals", "updated_at"])


@transaction.atomic
def circle_recipe_add(*, actor, circle_id, recipe_id):
    """Any member adds a recipe they can see to the family collection."""
    from nutrition.errors import RecipeNotFound
    from nutrition.selectors.recipes import recipe_get

    circle = selectors.circle_get(user=actor, circle_id=circle_id)
    if recipe_id in (None, ""):
        raise ValidationError({"recipe_id": [_("Elige una receta.")]})
    try:
        recipe = recipe_get(user=actor, recipe_id=recipe_id, detail=False)
    except RecipeNotFound:
        raise ValidationError({"recipe_id": [_("No encontramos esa receta.")]}, code="RECIPE_NOT_FOUND")
    if circle.recipes.count() >= MAX_RECIPES:
        raise ValidationError({"recipe_id": [_("Hasta %(n)s recetas por círculo.") % {"n": MAX_RECIPES}]})
    circle.recipes.add(recipe)
    return recipe


@transaction.atomic
def circle_recipe_remove(*, actor, circle_id, recipe_id) -> None:
    circle = selectors.circle_get(user=actor, circle_id=circle_id)
    pk = rules.id_parse(recipe_id)
    if pk is None or not circle.recipes.filter(pk=pk).exists():
        raise CircleNotFound()
    circle.recipes.remove(pk)


# ---------------------------------------------------------------------------------------
# encouragement and progress


def circle_encourage(*, actor, circle_id, message: str = "tu_puedes"):
    """A member with ``can_give_encouragement`` cheers the owner on: a notification with a
    preset message. Ten an hour per person."""
    import time

    from django.conf import settings

    from config.api import rate_hit

    circle = selectors.circle_get(user=actor, circle_id=circle_id)
    if circle.is_owner:
        raise ValidationError({"message": [_("Los ánimos son para quien creó el círculo.")]})
    if not circle.my_can_give_encouragement:
        raise PermissionDenied(_("Tu permiso en este círculo no incluye enviar ánimos."))
    text = ENCOURAGEMENTS.get(message or "tu_puedes")
    if text is None:
        raise ValidationError({"message": [_("Elige uno de los mensajes.")]})
    if settings.API_RATE_LIMITS_ENABLED:
        allowed, _l, _r, reset = rate_hit(f"social_encourage:u{actor.pk}", ENCOURAGE_RATE)
        if not allowed:
            raise SocialRateLimited("encourage", reset - time.time())
    return notify_social(
        circle.owner,
        "circle_encouragement",
        _("%(name)s te manda ánimo") % {"name": display_name(actor)},
        body=text,
        link=_circle_url(circle),
        data={"circle_id": circle.pk, "from_user_id": actor.pk},
    )


def circle_progress_autoshare(*, user_id) -> list[Post]:
    """After the owner logs a weight: one progress post a day in each of their circles that
    shares progress automatically, from their first and latest weight. Needs two weights."""
    from accounts.models import User
    from nutrition.models import WeightLog
    from social.services.posts import post_create

    circles = list(FamilyCircle.objects.filter(owner_id=user_id, share_progress_automatically=True))
    if not circles:
        return []
    owner = User.objects.filter(pk=user_id, is_active=True).first()
    if owner is None:
        return []
    first = WeightLog.objects.filter(user_id=user_id).order_by("date", "id").first()
    latest = WeightLog.objects.filter(user_id=user_id).order_by("-date", "-id").first()
    if first is None or latest is None or first.pk == latest.pk:
        return []
    now = timezone.localtime()
    day_start = now.replace(hour=0, minute=0, second=0, microsecond=0)
    progress = {"weight_before_kg": float(first.weight_kg), "weight_after_kg": float(latest.weight_kg)}
    days = (latest.date - first.date).days
    if days >= 1:
        progress["time_period_days"] = days
    change = round(float(first.weight_kg) - float(latest.weight_kg), 1)
    if change > 0:
        body = _("Llevo %(kg)s kg menos desde que empecé. ¡Gracias por acompañarme!") % {"kg": change}
    else:
        body = _("Registré mi peso de hoy: %(kg)s kg.") % {"kg": float(latest.weight_kg)}
    created = []
    for circle in circles:
        with transaction.atomic():
            FamilyCircle.objects.select_for_update().filter(pk=circle.pk).first()
            if Post.objects.filter(
                author_id=user_id, family_circle=circle, type=PostType.PROGRESS, created_at__gte=day_start,
                deleted_at__isnull=True,
            ).exists():
                continue
            try:
                post = post_create(
                    actor=owner, type=PostType.PROGRESS, body=body, visibility=Visibility.FAMILY_CIRCLE,
                    family_circle_id=circle.pk, progress_data=progress, enforce_limit=False,
                )
            except (ValidationError, PermissionDenied, CircleNotFound) as exc:
                logger.warning("circle progress autoshare skipped for circle %s: %s", circle.pk, exc)
                continue
            created.append(post)
    return created
