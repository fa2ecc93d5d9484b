"""Reads of groups: discovery (search, filters, featured first, near me, mine), one group with
the viewer's membership, its members, join requests, invitations, pending posts and feed.

A private group is invisible to everyone but its members and the people invited to it: it
answers ``GroupNotFound`` (404) exactly like a group that does not exist. Deleted groups are
invisible to everyone.
"""

from __future__ import annotations

from django.db.models import Case, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

from social import rules
from social.models import (
    ACTIVE_GROUP_ROLES,
    GROUP_STAFF_ROLES,
    Group,
    GroupCategory,
    GroupMember,
    GroupRole,
    GroupType,
    ModerationStatus,
    Post,
    Visibility,
)
from social.rules import GroupNotFound

PAGE_SIZE = 12
ROLE_ORDER = Case(
    When(role=GroupRole.ADMIN, then=Value(0)),
    When(role=GroupRole.MODERATOR, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def _signed_in(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def groups_visible(*, user) -> QuerySet[Group]:
    """Groups ``user`` may know exist: every live group but private ones, plus the private
    groups where they are a member or invited (staff see every live group)."""
    qs = Group.objects.filter(deleted_at__isnull=True)
    if not _signed_in(user):
        return qs.exclude(type=GroupType.PRIVATE)
    if user.is_staff:
        return qs
    mine = GroupMember.objects.filter(
        group=OuterRef("pk"), user=user, role__in=(*ACTIVE_GROUP_ROLES, GroupRole.INVITED)
    )
    return qs.filter(~Q(type=GroupType.PRIVATE) | Exists(mine))


def membership_of(*, user, group) -> GroupMember | None:
    if not _signed_in(user):
        return None
    return GroupMember.objects.filter(group=group, user=user).first()


def _decorate(group: Group, membership: GroupMember | None) -> Group:
    group.membership = membership
    role = membership.role if membership else None
    group.my_role = role
    group.is_member = role in ACTIVE_GROUP_ROLES
    group.is_staff_member = role in GROUP_STAFF_ROLES
    group.is_admin = role == GroupRole.ADMIN
    group.is_pending = role == GroupRole.PENDING
    group.is_invited = role == GroupRole.INVITED
    return group


def group_get(*, user, group_id=None, slug=None) -> Group:
    """One group the viewer may know of (by id or slug) with ``membership``, ``my_role``,
    ``is_member``, ``is_staff_member``, ``is_admin``, ``is_pending``, ``is_invited``; else
    ``GroupNotFound``. Two queries."""
    qs = groups_visible(user=user).select_related("created_by")
    if slug is not None:
        group = qs.filter(slug=str(slug)[:140]).first() if slug else None
    else:
        pk = rules.id_parse(group_id)
        group = qs.filter(pk=pk).first() if pk else None
    if group is None:
        raise GroupNotFound()
    return _decorate(group, membership_of(user=user, group=group))


def group_staff_get(*, user, group_id=None, slug=None) -> Group:
    """The group if ``user`` is one of its admins or moderators; else ``GroupNotFound`` (what a
    moderator sees is not for anyone else, so it answers 404)."""
    group = group_get(user=user, group_id=group_id, slug=slug)
    if not group.is_staff_member:
        raise GroupNotFound()
    return group


def can_post(group: Group) -> bool:
    """Whether the viewer (decorated group) may write in the group at all."""
    from social.models import WhoCanPost

    if not group.is_member:
        return False
    return group.who_can_post != WhoCanPost.ADMINS_ONLY or group.is_staff_member


def is_last_admin(group: Group) -> bool:
    """The viewer (decorated group) is its only admin: leaving means naming a successor."""
    if not getattr(group, "is_admin", False):
        return False
    return not GroupMember.objects.filter(group=group, role=GroupRole.ADMIN).exclude(
        user_id=group.membership.user_id
    ).exists()


def can_see_inside(group: Group, *, user=None) -> bool:
    """Posts and members: members always; others only in open groups (as the feed rule says)."""
    return bool(getattr(group, "is_member", False)) or group.type == GroupType.OPEN


# ---------------------------------------------------------------------------------------
# discovery


def group_filters_clean(params) -> dict:
    """Search and filters from a query string; unknown values are ignored, not errors."""
    from accounts.models import MexicanState

    q = " ".join(str(params.get("q", "") or params.get("search", "")).split())[:100]
    category = params.get("category", "")
    gtype = params.get("type", "")
    state = params.get("state", "")
    return {
        "q": q,
        "category": category if category in GroupCategory.values else "",
        "type": gtype if gtype in GroupType.values else "",
        "state": state if state in MexicanState.values else "",
        "mine": str(params.get("mine", "")).lower() in ("1", "true", "yes", "si", "sí"),
        "near": str(params.get("near", "")).lower() in ("1", "true", "yes", "si", "sí"),
    }


def user_state(user) -> str:
    if not _signed_in(user):
        return ""
    from accounts.models import Profile

    return Profile.objects.filter(user=user).values_list("state", flat=True).first() or ""


def group_list(
    *, user, q: str = "", category: str = "", type: str = "", state: str = "", mine: bool = False, near: bool = False
) -> QuerySet[Group]:
    """Groups to discover: featured first, then the most populated, then the newest.
    ``near`` keeps the groups of the viewer's state (their profile's), ``mine`` their own
    groups (active memberships)."""
    qs = groups_visible(user=user)
    if q:
        for word in q.split()[:5]:
            qs = qs.filter(Q(name__icontains=word) | Q(description__icontains=word))
    if category:
        qs = qs.filter(category=category)
    if type:
        qs = qs.filter(type=type)
    if state:
        qs = qs.filter(state=state)
    if near:
        here = user_state(user)
        qs = qs.filter(state=here) if here else qs.none()
    if mine:
        if not _signed_in(user):
            return qs.none()
        qs = qs.filter(memberships__user=user, memberships__role__in=ACTIVE_GROUP_ROLES)
    return qs.order_by("-is_featured", "-member_count", "-created_at", "-id")


def my_groups(*, user) -> QuerySet[Group]:
    if not _signed_in(user):
        return Group.objects.none()
    return (
        Group.objects.filter(deleted_at__isnull=True, memberships__user=user, memberships__role__in=ACTIVE_GROUP_ROLES)
        .order_by("-last_post_at", "name")
    )


def groups_near(*, user, limit: int = 6) -> list[Group]:
    """Location-based groups of the viewer's state that they have not joined yet."""
    here = user_state(user)
    if not here:
        return []
    qs = groups_visible(user=user).filter(state=here)
    if _signed_in(user):
        qs = qs.exclude(memberships__user=user, memberships__role__in=ACTIVE_GROUP_ROLES)
    return list(qs.order_by("-is_featured", "-member_count", "-id")[:limit])


def my_roles(*, user, group_ids) -> dict[int, str]:
    """{group id: my role} for a page of groups (one query)."""
    if not _signed_in(user) or not group_ids:
        return {}
    return dict(GroupMember.objects.filter(user=user, group_id__in=list(group_ids)).values_list("group_id", "role"))


def group_invitations(*, user) -> QuerySet[GroupMember]:
    if not _signed_in(user):
        return GroupMember.objects.none()
    return (
        GroupMember.objects.filter(user=user, role=GroupRole.INVITED, group__deleted_at__isnull=True)
        .select_related("group", "invited_by")
        .order_by("-joined_at")
    )


# ---------------------------------------------------------------------------------------
# inside a group


def group_members(*, user, group: Group) -> QuerySet[GroupMember]:
    """Active members, admins first, then moderators, then by join date. Outsiders of a
    group that is not open get ``GroupNotFound``."""
    if not can_see_inside(group):
        raise GroupNotFound()
    return (
        GroupMember.objects.filter(group=group, role__in=ACTIVE_GROUP_ROLES)
        .select_related("user", "user__profile")
        .annotate(role_order=ROLE_ORDER)
        .order_by("role_order", "joined_at", "id")
    )


def join_requests(*, group: Group) -> QuerySet[GroupMember]:
    """Pending requests of a group the caller already resolved with ``group_staff_get``."""
    return GroupMember.objects.filter(group=group, role=GroupRole.PENDING).select_related("user").order_by("joined_at", "id")


def pending_posts(*, group: Group) -> QuerySet[Post]:
    """Posts that wait for a group moderator (not the site's spam holds)."""
    return (
        Post.objects.filter(
            group=group,
            visibility=Visibility.GROUP,
            deleted_at__isnull=True,
            moderation_status=ModerationStatus.PENDING,
            moderation_reason="group_approval",
        )
        .select_related("author", "group")
        .order_by("created_at", "id")
    )


def group_posts(*, viewer, group: Group, audience: rules.Audience | None = None) -> QuerySet[Post]:
    """The group's feed as the viewer may read it, newest first: approved posts, plus the
    viewer's own posts still waiting for approval (marked "En revisión" on the card)."""
    if not can_see_inside(group):
        raise GroupNotFound()
    audience = audience or rules.audience_for(viewer)
    qs = rules.visible_posts(audience, Post.objects.filter(group=group, visibility=Visibility.GROUP))
    own_pending = Q(author_id=audience.user_id) if audience.user_id else Q(pk__in=[])
    return (
        qs.filter(Q(moderation_status=ModerationStatus.APPROVED) | own_pending)
        .select_related("author", "author__profile", "group")
        .order_by("-created_at", "-id")
    )


def group_feed(*, viewer, group: Group, page=1, limit=20):
    """A page (``PostPage``) of the group's feed, hydrated for the viewer's cards."""
    from social.selectors.posts import post_list

    audience = rules.audience_for(viewer)  # one read for the filter and the cards
    return post_list(viewer=viewer, qs=group_posts(viewer=viewer, group=group, audience=audience), page=page,
                     limit=limit, audience=audience)


# ---------------------------------------------------------------------------------------
# wire shapes


def cover_url(group: Group) -> str:
    if not group.cover_image:
        return ""
    try:
        return group.cover_image.url
    except ValueError:  # pragma: no cover
        return ""


def group_payload(group: Group, *, my_role: str | None = None, detail: bool = True) -> dict:
    role = my_role if my_role is not None else getattr(group, "my_role", None)
    data = {
        "id": group.pk,
        "name": group.name,
        "slug": group.slug,
        "description": group.description,
        "cover_image_url": cover_url(group),
        "type": group.type,
        "category": group.category,
        "tags": group.tags,
        "state": group.state,
        "city": group.city,
        "is_featured": group.is_featured,
        "member_count": group.member_count,
        "post_count": group.post_count,
        "last_post_at": group.last_post_at.isoformat() if group.last_post_at else None,
        "created_at": group.created_at.isoformat(),
        "my_role": role,
    }
    if detail:
        membership = getattr(group, "membership", None)
        data.update(
            rules=group.rules,
            who_can_post=group.who_can_post,
            require_post_approval=group.require_post_approval,
            join_questions=group.join_questions,
            my_notification_preference=membership.notification_preference if membership and role in ACTIVE_GROUP_ROLES else None,
        )
    return data


def member_payload(member: GroupMember, *, with_answers: bool = False) -> dict:
    from social.payloads import user_brief

    data = {
        "user": user_brief(member.user),
        "role": member.role,
        "joined_at": member.joined_at.isoformat(),
        "posts_count": member.posts_count,
    }
    if with_answers:
        data["join_answers"] = member.join_answers
    return data


def join_state_label(group: Group) -> str:
    """What the join button area says for the viewer."""
    if group.is_member:
        return _("Eres miembro")
    if group.is_pending:
        return _("Solicitud enviada")
    if group.is_invited:
        return _("Te invitaron")
    return ""
