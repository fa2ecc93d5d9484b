"""Reads of family circles: mine, my invitations, one circle with my membership, its members,
goals, recipes, feed, and the owner's meal log of today when they share it.

A circle exists only for its active members: anyone else (invitees included, except on the
invitation itself) gets ``CircleNotFound`` (404), exactly like a circle that does not exist.
"""

from __future__ import annotations

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from social import rules
from social.models import (
    CircleMemberStatus,
    CircleRole,
    FamilyCircle,
    FamilyCircleMember,
    ModerationStatus,
    Post,
    PostType,
    Visibility,
)
from social.rules import CircleNotFound

PERMISSIONS = ("can_view_progress", "can_view_meal_log", "can_post", "can_comment", "can_give_encouragement")
ROLE_ORDER = Case(
    When(role=CircleRole.OWNER, then=Value(0)),
    When(role=CircleRole.NUTRITIONIST, then=Value(1)),
    When(role=CircleRole.FAMILY_MEMBER, then=Value(2)),
    default=Value(3),
    output_field=IntegerField(),
)


def _signed_in(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def circle_member_ids(circle_id) -> list[int]:
    """Active members of a circle (the ``family_circle:new_post`` push goes to them)."""
    return list(
        FamilyCircleMember.objects.filter(circle_id=circle_id, status=CircleMemberStatus.ACTIVE).values_list(
            "user_id", flat=True
        )
    )


def circle_list(*, user) -> QuerySet[FamilyCircle]:
    """Circles where ``user`` is an active member, the ones they own first."""
    if not _signed_in(user):
        return FamilyCircle.objects.none()
    return (
        FamilyCircle.objects.filter(members__user=user, members__status=CircleMemberStatus.ACTIVE)
        .select_related("owner")
        .annotate(mine=Case(When(owner=user, then=Value(0)), default=Value(1), output_field=IntegerField()))
        .order_by("mine", "-created_at", "-id")
    )


def circle_invitations(*, user) -> QuerySet[FamilyCircleMember]:
    if not _signed_in(user):
        return FamilyCircleMember.objects.none()
    return (
        FamilyCircleMember.objects.filter(user=user, status=CircleMemberStatus.INVITED)
        .select_related("circle", "circle__owner", "invited_by")
        .order_by("-joined_at")
    )


def _decorate(circle: FamilyCircle, me: FamilyCircleMember) -> FamilyCircle:
    circle.me = me
    circle.is_owner = circle.owner_id == me.user_id
    for perm in PERMISSIONS:
        setattr(circle, f"my_{perm}", circle.is_owner or getattr(me, perm))
    return circle


def circle_get(*, user, circle_id) -> FamilyCircle:
    """A circle where ``user`` is an active member, with ``me`` (their membership),
    ``is_owner`` and ``my_can_*`` (the owner can everything); else ``CircleNotFound``."""
    pk = rules.id_parse(circle_id)
    if pk is None or not _signed_in(user):
        raise CircleNotFound()
    me = (
        FamilyCircleMember.objects.select_related("circle", "circle__owner")
        .filter(circle_id=pk, user=user, status=CircleMemberStatus.ACTIVE)
        .first()
    )
    if me is None:
        raise CircleNotFound()
    return _decorate(me.circle, me)


def circle_owner_get(*, user, circle_id) -> FamilyCircle:
    """The circle if ``user`` owns it; members who are not the owner get ``CircleNotFound``
    on the owner's tools too."""
    circle = circle_get(user=user, circle_id=circle_id)
    if not circle.is_owner:
        raise CircleNotFound()
    return circle


def circle_invitation_get(*, user, circle_id) -> FamilyCircleMember:
    pk = rules.id_parse(circle_id)
    invitation = (
        FamilyCircleMember.objects.select_related("circle", "circle__owner")
        .filter(circle_id=pk, user=user, status=CircleMemberStatus.INVITED)
        .first()
        if pk and _signed_in(user)
        else None
    )
    if invitation is None:
        raise CircleNotFound()
    return invitation


def circle_members(*, circle: FamilyCircle, include_invited: bool = False) -> QuerySet[FamilyCircleMember]:
    statuses = [CircleMemberStatus.ACTIVE] + ([CircleMemberStatus.INVITED] if include_invited else [])
    return (
        FamilyCircleMember.objects.filter(circle=circle, status__in=statuses)
        .select_related("user", "user__profile")
        .annotate(role_order=ROLE_ORDER)
        .order_by("role_order", "joined_at", "id")
    )


def circle_posts(*, viewer, circle: FamilyCircle, audience: rules.Audience | None = None) -> QuerySet[Post]:
    """The circle's feed for a member: visible posts, newest first; members without
    ``can_view_progress`` do not get the owner's progress posts."""
    audience = audience or rules.audience_for(viewer)
    qs = rules.visible_posts(audience, Post.objects.filter(family_circle=circle, visibility=Visibility.FAMILY_CIRCLE))
    qs = qs.filter(Q(moderation_status=ModerationStatus.APPROVED) | Q(author_id=audience.user_id))
    if not getattr(circle, "my_can_view_progress", True):
        qs = qs.exclude(author_id=circle.owner_id, type=PostType.PROGRESS)
    return qs.order_by("-created_at", "-id")


def circle_feed(*, viewer, circle: FamilyCircle, page=1, limit=20):
    from social.selectors.posts import post_list

    audience = rules.audience_for(viewer)  # one read for the filter and the cards
    return post_list(viewer=viewer, qs=circle_posts(viewer=viewer, circle=circle, audience=audience), page=page,
                     limit=limit, audience=audience)


def circle_recipes(*, circle: FamilyCircle):
    return circle.recipes.filter(deleted_at__isnull=True).order_by("title")


def meal_share(*, circle: FamilyCircle) -> dict | None:
    """The owner's diary totals of today when the viewer may see them: the circle shares meal
    logs and the viewer is the owner or has ``can_view_meal_log``. Otherwise None."""
    if not circle.share_meal_logs or not getattr(circle, "my_can_view_meal_log", False):
        return None
    from nutrition.selectors.diary import daily_totals, targets_get

    today = timezone.localdate()
    totals = daily_totals(user=circle.owner, start=today, end=today).get(today) or {}
    target = None
    try:
        target = targets_get(user=circle.owner).energy_kcal
    except Exception:  # noqa: BLE001 - a profile without targets still shares its totals
        target = None
    return {
        "date": today.isoformat(),
        "entries": int(totals.get("entries") or 0),
        "energy_kcal": round(float(totals.get("energy_kcal") or 0)),
        "protein_g": round(float(totals.get("protein_g") or 0), 1),
        "fat_g": round(float(totals.get("fat_g") or 0), 1),
        "carbs_g": round(float(totals.get("carbs_g") or 0), 1),
        "target_kcal": round(float(target)) if target else None,
    }


def recipe_choices(*, user, limit: int = 100) -> list:
    """Recipes the viewer may add to a circle's collection: their own first, then published."""
    from nutrition.selectors.recipes import recipes_visible

    own = Case(When(author=user, then=Value(0)), default=Value(1), output_field=IntegerField())
    return list(recipes_visible(user=user).annotate(own=own).order_by("own", "title").only("pk", "title", "slug")[:limit])


# ---------------------------------------------------------------------------------------
# wire shapes


def member_payload(member: FamilyCircleMember) -> dict:
    from social.payloads import user_brief

    data = {
        "user": user_brief(member.user),
        "role": member.role,
        "status": member.status,
        "relationship": member.relationship,
        "joined_at": member.joined_at.isoformat(),
    }
    data.update({perm: getattr(member, perm) for perm in PERMISSIONS})
    return data


def circle_payload(circle: FamilyCircle, *, detail: bool = False, viewer=None) -> dict:
    from social.payloads import user_brief

    data = {
        "id": circle.pk,
        "name": circle.name,
        "description": circle.description,
        "owner": user_brief(circle.owner),
        "share_progress_automatically": circle.share_progress_automatically,
        "share_achievements": circle.share_achievements,
        "share_meal_logs": circle.share_meal_logs,
        "created_at": circle.created_at.isoformat(),
    }
    me = getattr(circle, "me", None)
    if me is not None:
        data["my_role"] = me.role
        data["my_permissions"] = {perm: bool(getattr(circle, f"my_{perm}", False)) for perm in PERMISSIONS}
    if detail:
        owner_view = getattr(circle, "is_owner", False)
        data["members"] = [member_payload(m) for m in circle_members(circle=circle, include_invited=owner_view)]
        data["family_goals"] = [
            {"index": i, "title": g.get("title", ""), "target": g.get("target", ""), "done": bool(g.get("done"))}
            for i, g in enumerate(circle.family_goals or [])
        ]
        data["recipes"] = [{"id": r.pk, "slug": r.slug, "title": r.title} for r in circle_recipes(circle=circle)]
        data["meal_log_today"] = meal_share(circle=circle)
    return data
