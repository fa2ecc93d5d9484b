"""Who may see and do what in the social network: the one place that decides it.

Every read of posts goes through :func:`visible_posts` (or :func:`post_visible_to`), built from
an :class:`Audience` (the viewer's follows, groups, circles, care relationships, blocks and
mutes, read in a fixed number of queries). Timelines in Redis are only candidate ids: the
same filter runs on every read, so a visibility change, a deletion, a block or an unfollow
takes effect on the next request, never on the next cache expiry.

A post someone may not see answers 404, exactly like a post that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Q, QuerySet

from social.models import (
    ACTIVE_GROUP_ROLES,
    GROUP_STAFF_ROLES,
    Block,
    CircleMemberStatus,
    FamilyCircleMember,
    Follow,
    GroupMember,
    GroupType,
    ModerationStatus,
    Mute,
    Post,
    Visibility,
)


class PostNotFound(ObjectDoesNotExist):
    """A post that does not exist or that this person may not see (both answer 404)."""


class CommentNotFound(ObjectDoesNotExist):
    pass


class GroupNotFound(ObjectDoesNotExist):
    pass


class CircleNotFound(ObjectDoesNotExist):
    pass


class UserNotFound(ObjectDoesNotExist):
    pass


def id_parse(value) -> int | None:
    """A positive integer id from a path, form or JSON value; anything else is None."""
    if isinstance(value, bool):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**63 else None


@dataclass
class Audience:
    """What a viewer's visibility depends on. Anonymous viewers get an empty audience."""

    user_id: int | None
    following: set[int] = field(default_factory=set)
    group_ids: set[int] = field(default_factory=set)  # active memberships
    group_staff_ids: set[int] = field(default_factory=set)  # admin or moderator
    circle_ids: set[int] = field(default_factory=set)  # active memberships
    patient_ids: set[int] = field(default_factory=set)  # open care, as the nutritionist
    nutritionist_ids: set[int] = field(default_factory=set)  # open care, as the patient
    blocked: set[int] = field(default_factory=set)  # either direction
    muted: set[int] = field(default_factory=set)
    is_staff: bool = False

    @property
    def authenticated(self) -> bool:
        return self.user_id is not None


def audience_for(user) -> Audience:
    """Read the viewer's relationships: seven small queries, whatever the data size."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Audience(user_id=None)
    from clinical.models import OPEN_CARE, CareRelationship

    uid = user.pk
    audience = Audience(user_id=uid, is_staff=bool(user.is_staff))
    audience.following = set(Follow.objects.filter(follower_id=uid).values_list("followee_id", flat=True))
    for group_id, role in GroupMember.objects.filter(user_id=uid, role__in=ACTIVE_GROUP_ROLES).values_list(
        "group_id", "role"
    ):
        audience.group_ids.add(group_id)
        if role in GROUP_STAFF_ROLES:
            audience.group_staff_ids.add(group_id)
    audience.circle_ids = set(
        FamilyCircleMember.objects.filter(user_id=uid, status=CircleMemberStatus.ACTIVE).values_list(
            "circle_id", flat=True
        )
    )
    for nutritionist_id, patient_id in CareRelationship.objects.filter(
        Q(nutritionist_id=uid) | Q(patient_id=uid), status__in=OPEN_CARE
    ).values_list("nutritionist_id", "patient_id"):
        if nutritionist_id == uid:
            audience.patient_ids.add(patient_id)
        else:
            audience.nutritionist_ids.add(nutritionist_id)
    for blocker_id, blocked_id in Block.objects.filter(Q(blocker_id=uid) | Q(blocked_id=uid)).values_list(
        "blocker_id", "blocked_id"
    ):
        audience.blocked.add(blocked_id if blocker_id == uid else blocker_id)
    audience.muted = set(Mute.objects.filter(muter_id=uid).values_list("muted_id", flat=True))
    return audience


def visibility_q(audience: Audience, *, prefix: str = "") -> Q:
    """The posts (``prefix`` for a related lookup, e.g. ``"post__"``) this audience may read.

    Authors see their own posts in any state but deleted. Everyone else sees approved,
    undeleted posts whose visibility admits them, from authors not blocked either way.
    """
    p = prefix
    live = Q(**{f"{p}deleted_at__isnull": True})
    approved = Q(**{f"{p}moderation_status": ModerationStatus.APPROVED})
    public = Q(**{f"{p}visibility": Visibility.PUBLIC})
    open_group = Q(**{f"{p}visibility": Visibility.GROUP, f"{p}group__type": GroupType.OPEN})
    if not audience.authenticated:
        return live & approved & (public | open_group)
    uid = audience.user_id
    allowed = public | Q(**{f"{p}author_id": uid})
    if audience.following:
        allowed |= Q(**{f"{p}visibility": Visibility.FOLLOWERS, f"{p}author_id__in": audience.following})
    allowed |= open_group
    if audience.group_ids:
        allowed |= Q(**{f"{p}visibility": Visibility.GROUP, f"{p}group_id__in": audience.group_ids})
    if audience.circle_ids:
        allowed |= Q(**{f"{p}visibility": Visibility.FAMILY_CIRCLE, f"{p}family_circle_id__in": audience.circle_ids})
    if audience.patient_ids:
        allowed |= Q(**{f"{p}visibility": Visibility.NUTRITIONIST_ONLY, f"{p}author_id__in": audience.patient_ids})
    mine = Q(**{f"{p}author_id": uid})
    # Group moderators also see what waits for their approval in their groups.
    reviewable = Q(**{f"{p}pk__in": []})
    if audience.group_staff_ids:
        reviewable = Q(**{f"{p}group_id__in": audience.group_staff_ids, f"{p}moderation_status": ModerationStatus.PENDING})
    q = live & allowed & (approved | mine | reviewable)
    if audience.blocked:
        q &= ~Q(**{f"{p}author_id__in": audience.blocked})
    return q


def visible_posts(audience: Audience, qs: QuerySet[Post] | None = None) -> QuerySet[Post]:
    qs = Post.objects.all() if qs is None else qs
    return qs.filter(visibility_q(audience))


def visible_fields(
    audience: Audience, *, deleted_at, author_id, moderation_status, visibility, group_id, group_type, circle_id
) -> bool:
    """The rule of :func:`visibility_q` on plain values (no query): lists that already hold
    their rows check them here instead of sending the viewer's whole audience to the database."""
    if deleted_at is not None:
        return False
    uid = audience.user_id
    if uid is not None and author_id == uid:
        return True
    if author_id in audience.blocked:
        return False
    if moderation_status != ModerationStatus.APPROVED:
        if not (moderation_status == ModerationStatus.PENDING and group_id in audience.group_staff_ids):
            return False
    if visibility == Visibility.PUBLIC:
        return True
    if visibility == Visibility.GROUP:
        return group_type == GroupType.OPEN or (uid is not None and group_id in audience.group_ids)
    if uid is None:
        return False
    if visibility == Visibility.FOLLOWERS:
        return author_id in audience.following
    if visibility == Visibility.FAMILY_CIRCLE:
        return circle_id in audience.circle_ids
    if visibility == Visibility.NUTRITIONIST_ONLY:
        return author_id in audience.patient_ids
    return False


def post_visible_to(audience: Audience, post: Post) -> bool:
    """The same rule as :func:`visibility_q`, on a loaded post (no query when ``group`` was
    selected with it)."""
    return visible_fields(
        audience,
        deleted_at=post.deleted_at,
        author_id=post.author_id,
        moderation_status=post.moderation_status,
        visibility=post.visibility,
        group_id=post.group_id,
        group_type=post.group.type if post.group_id else None,
        circle_id=post.family_circle_id,
    )


def user_can_see(user, post: Post) -> bool:
    """:func:`post_visible_to` for one person and one post, cheaply: a public approved post
    needs only the block check (one query), anything else the person's whole audience."""
    if (
        post.deleted_at is None
        and post.visibility == Visibility.PUBLIC
        and post.moderation_status == ModerationStatus.APPROVED
        and user is not None
        and user.is_authenticated
    ):
        return post.author_id == user.pk or not is_blocked_between(user.pk, post.author_id)
    return post_visible_to(audience_for(user), post)


def can_interact(audience: Audience, post: Post) -> bool:
    """React, comment, save or share: anyone who may see an approved post, signed in."""
    return (
        audience.authenticated
        and post.moderation_status == ModerationStatus.APPROVED
        and post_visible_to(audience, post)
    )


def is_blocked_between(a_id: int, b_id: int) -> bool:
    return Block.objects.filter(Q(blocker_id=a_id, blocked_id=b_id) | Q(blocker_id=b_id, blocked_id=a_id)).exists()


# ---------------------------------------------------------------------------------------
# posting into a group or a circle


def group_post_status(*, actor, group) -> str:
    """The moderation status a post by ``actor`` in ``group`` starts with, or PermissionDenied.

    Members post according to ``who_can_post`` (everyone; admins and moderators only; or
    "approved members", meaning anyone whose membership was approved, not pending or invited).
    With ``require_post_approval`` a member's post waits for a group moderator; the group's own
    admins and moderators publish directly.
    """
    from django.core.exceptions import PermissionDenied
    from django.utils.translation import gettext as _

    from social.models import GroupRole, WhoCanPost

    if group.deleted_at is not None:
        raise GroupNotFound()
    role = GroupMember.objects.filter(group=group, user=actor).values_list("role", flat=True).first()
    if role not in ACTIVE_GROUP_ROLES:
        raise PermissionDenied(_("Únete al grupo para publicar en él."))
    staff = role in (GroupRole.ADMIN, GroupRole.MODERATOR)
    if group.who_can_post == WhoCanPost.ADMINS_ONLY and not staff:
        raise PermissionDenied(_("En este grupo solo publican sus administradores."))
    if group.require_post_approval and not staff:
        return ModerationStatus.PENDING
    return ModerationStatus.APPROVED


def circle_post_check(*, actor, circle) -> None:
    """A circle member posts if their ``can_post`` permission is on (the owner always can)."""
    from django.core.exceptions import PermissionDenied
    from django.utils.translation import gettext as _

    member = FamilyCircleMember.objects.filter(circle=circle, user=actor, status=CircleMemberStatus.ACTIVE).first()
    if member is None:
        raise CircleNotFound()
    if not member.can_post and circle.owner_id != actor.pk:
        raise PermissionDenied(_("Tu permiso en este círculo no incluye publicar."))


def circle_comment_allowed(*, user_id, post) -> bool:
    """Comments on a circle post need the member's ``can_comment`` (the owner always can)."""
    if post.family_circle_id is None:
        return True
    row = (
        FamilyCircleMember.objects.filter(circle_id=post.family_circle_id, user_id=user_id, status=CircleMemberStatus.ACTIVE)
        .values_list("can_comment", "role")
        .first()
    )
    return bool(row) and (row[0] or row[1] == "owner")
