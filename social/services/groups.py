"""Groups: create, edit, delete, feature; join by type (open, closed with questions and
approval, private by invitation, nutritionists only, patients only); leave; roles; removal;
per-member notification preference; the approval queue of posts; new-post notifications.

The page, the API and the fan-out task call these functions. Anything the actor may not see
is ``GroupNotFound`` (404); a rule they break is ``PermissionDenied`` or ``ValidationError``.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from social import rules
from social.models import (
    ACTIVE_GROUP_ROLES,
    GROUP_STAFF_ROLES,
    Group,
    GroupCategory,
    GroupMember,
    GroupNotify,
    GroupRole,
    GroupType,
    ModerationStatus,
    Post,
    Visibility,
    WhoCanPost,
)
from social.rules import GroupNotFound
from social.selectors import groups as selectors
from social.services.common import bool_clean, display_name, limit_check, notify_social
from social.text import clean_text, normalise_tag

MAX_RULES = 20
MAX_QUESTIONS = 10
MAX_TAGS = 10
MAX_ANSWER = 500
NOTIFY_MAX_MEMBERS = 500
EDITABLE = (
    "name", "description", "type", "category", "rules", "who_can_post", "require_post_approval",
    "join_questions", "tags", "state", "city",
)


def _group_url(group) -> str:
    return reverse("social:group", args=[group.slug])


# ---------------------------------------------------------------------------------------
# cleaning


def _choice(value, choices, field: str, default: str) -> str:
    if value in (None, ""):
        return default
    if value not in choices:
        raise ValidationError({field: [_("Opción no válida.")]}, code="invalid_choice")
    return value




def _lines(value) -> list[str]:
    return [line.strip() for line in str(value).replace("\r", "").split("\n") if line.strip()]


def _rules_clean(value) -> list[dict]:
    """``[{title, description}]``; a page sends one rule per line, ``Título: descripción``."""
    if value in (None, ""):
        return []
    if isinstance(value, str):
        items = []
        for line in _lines(value):
            title, sep, description = line.partition(":")
            items.append({"title": title, "description": description if sep else ""})
        value = items
    if not isinstance(value, list):
        raise ValidationError({"rules": [_("Envía una lista de reglas.")]})
    if len(value) > MAX_RULES:
        raise ValidationError({"rules": [_("Hasta %(n)s reglas.") % {"n": MAX_RULES}]})
    out = []
    for item in value:
        if isinstance(item, str):
            item = {"title": item}
        if not isinstance(item, dict):
            raise ValidationError({"rules": [_("Cada regla necesita un título.")]})
        title = clean_text(item.get("title", ""), field="rules", max_length=100, multiline=False)
        description = clean_text(item.get("description", ""), field="rules", max_length=500)
        if not title:
            raise ValidationError({"rules": [_("Cada regla necesita un título.")]})
        out.append({"title": title, "description": description})
    return out


def _questions_clean(value) -> list[dict]:
    """``[{question, required}]``; a page sends one per line, ending in ``*`` when required."""
    if value in (None, ""):
        return []
    if isinstance(value, str):
        value = [
            {"question": line.rstrip("*").strip(), "required": line.endswith("*")} for line in _lines(value)
        ]
    if not isinstance(value, list):
        raise ValidationError({"join_questions": [_("Envía una lista de preguntas.")]})
    if len(value) > MAX_QUESTIONS:
        raise ValidationError({"join_questions": [_("Hasta %(n)s preguntas.") % {"n": MAX_QUESTIONS}]})
    out = []
    for item in value:
        if isinstance(item, str):
            item = {"question": item}
        if not isinstance(item, dict):
            raise ValidationError({"join_questions": [_("Cada pregunta necesita texto.")]})
        question = clean_text(item.get("question", ""), field="join_questions", max_length=200, multiline=False)
        if not question:
            raise ValidationError({"join_questions": [_("Cada pregunta necesita texto.")]})
        out.append({"question": question, "required": bool_clean(item.get("required", False), "join_questions")})
    return out


def _tags_clean(value) -> list[str]:
    if value in (None, ""):
        return []
    if isinstance(value, str):
        value = value.replace("#", " ").replace(",", " ").split()
    if not isinstance(value, list):
        raise ValidationError({"tags": [_("Envía una lista de etiquetas.")]})
    out: list[str] = []
    for raw in value:
        if not isinstance(raw, str):
            raise ValidationError({"tags": [_("Cada etiqueta es texto.")]})
        tag = normalise_tag(clean_text(raw, field="tags", max_length=50, multiline=False))
        if tag and tag not in out:
            out.append(tag)
    if len(out) > MAX_TAGS:
        raise ValidationError({"tags": [_("Hasta %(n)s etiquetas.") % {"n": MAX_TAGS}]})
    return out


def _state_clean(value) -> str:
    from accounts.models import MexicanState

    if value in (None, ""):
        return ""
    if value not in MexicanState.values:
        raise ValidationError({"state": [_("Elige un estado de la lista.")]})
    return value


def _fields_clean(data: dict, *, partial: bool) -> dict:
    unknown = set(data) - set(EDITABLE) - {"cover_image", "remove_cover"}
    if unknown:
        raise ValidationError({k: [_("Campo desconocido.")] for k in sorted(unknown)})
    out: dict = {}
    errors: dict = {}

    def run(key, fn):
        if partial and key not in data:
            return
        try:
            out[key] = fn(data.get(key))
        except ValidationError as exc:
            for field, msgs in exc.message_dict.items():
                errors.setdefault(field, []).extend(msgs)

    run("name", lambda v: clean_text(v, field="name", max_length=120, required=True, multiline=False))
    run("description", lambda v: clean_text(v, field="description", max_length=2000))
    run("type", lambda v: _choice(v, GroupType.values, "type", GroupType.OPEN))
    run("category", lambda v: _choice(v, GroupCategory.values, "category", GroupCategory.OTHER))
    run("who_can_post", lambda v: _choice(v, WhoCanPost.values, "who_can_post", WhoCanPost.EVERYONE))
    run("require_post_approval", lambda v: bool_clean(v, "require_post_approval"))
    run("rules", _rules_clean)
    run("join_questions", _questions_clean)
    run("tags", _tags_clean)
    run("state", _state_clean)
    run("city", lambda v: clean_text(v, field="city", max_length=100, multiline=False))
    if errors:
        raise ValidationError(errors)
    return out


def _cover_clean(upload):
    from config.uploads import image_clean

    if not upload:
        return None
    if not hasattr(upload, "read"):
        raise ValidationError({"cover_image": [_("Adjunta un archivo de imagen.")]})
    try:
        return image_clean(upload, max_side=1600)
    except ValidationError as exc:
        raise ValidationError({"cover_image": exc.messages}, code=exc.code)


def _unique_slug(name: str, *, exclude_pk=None) -> str:
    base = (slugify(name) or "grupo")[:120].strip("-") or "grupo"
    slug, n = base, 1
    qs = Group.objects.all()
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    while qs.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


# ---------------------------------------------------------------------------------------
# create, edit, delete, feature


def group_create(*, actor, data: dict, cover=None) -> Group:
    """Create a group; its creator is its first admin. 10 groups a day per person."""
    if not actor.is_active or getattr(actor, "is_banned", False):
        raise PermissionDenied(_("Tu cuenta no puede crear grupos."))
    fields = _fields_clean({k: v for k, v in data.items() if k != "cover_image"}, partial=False)
    content = _cover_clean(cover)
    limit_check(actor, "group_create")
    for _attempt in range(3):
        try:
            with transaction.atomic():
                group = Group(created_by=actor, slug=_unique_slug(fields["name"]), member_count=1, **fields)
                if content is not None:
                    group.cover_image.save(content.name, content, save=False)
                group.save()
                GroupMember.objects.create(group=group, user=actor, role=GroupRole.ADMIN)
        except IntegrityError:  # two groups with one name at once: take the next slug
            continue
        _after_join(actor.pk)
        return group
    raise ValidationError({"name": [_("Intenta con otro nombre.")]})  # pragma: no cover


def _admin_group(*, actor, group_id=None, slug=None) -> Group:
    group = selectors.group_get(user=actor, group_id=group_id, slug=slug)
    if not group.is_admin:
        raise GroupNotFound()
    return group


@transaction.atomic
def group_update(*, actor, group_id, data: dict, cover=None) -> Group:
    """Admins change the group's settings; the slug follows a new name."""
    group = _admin_group(actor=actor, group_id=group_id)
    fields = _fields_clean({k: v for k, v in data.items() if k != "cover_image"}, partial=True)
    remove_cover = bool_clean(data.get("remove_cover", False), "remove_cover")
    content = _cover_clean(cover)
    for key, value in fields.items():
        setattr(group, key, value)
    if "name" in fields:
        group.slug = _unique_slug(group.name, exclude_pk=group.pk)
    if content is not None:
        group.cover_image.save(content.name, content, save=False)
    elif remove_cover and group.cover_image:
        group.cover_image.delete(save=False)
        group.cover_image = ""
    group.save()
    return group


@transaction.atomic
def group_delete(*, actor, group_id) -> Group:
    """Admins delete a group (soft): it disappears from discovery, pages and the API, and its
    posts leave every feed (they are marked deleted with the group's own timestamp)."""
    group = _admin_group(actor=actor, group_id=group_id)
    now = timezone.now()
    group.deleted_at = now
    group.save(update_fields=["deleted_at", "updated_at"])
    Post.objects.filter(group=group, deleted_at__isnull=True).update(deleted_at=now)
    member_ids = list(GroupMember.objects.filter(group=group, role__in=ACTIVE_GROUP_ROLES).values_list("user_id", flat=True))
    transaction.on_commit(lambda: _drop_group_from(member_ids, group.pk))
    return group


def _drop_group_from(user_ids, group_id) -> None:
    from social.feed import timeline_drop_group

    for uid in user_ids:
        timeline_drop_group(uid, group_id=group_id)


@transaction.atomic
def group_feature_set(*, actor, group_id, featured: bool) -> Group:
    """Staff feature a group: it comes first in discovery."""
    if not actor.is_staff:
        raise GroupNotFound()
    group = selectors.group_get(user=actor, group_id=group_id)
    group.is_featured = bool(featured)
    group.save(update_fields=["is_featured", "updated_at"])
    return group


# ---------------------------------------------------------------------------------------
# joining and leaving


def _after_join(user_id) -> None:
    from social.feed import timeline_invalidate

    transaction.on_commit(lambda: timeline_invalidate(user_id))


def _after_leave(user_id, group_id) -> None:
    from social.feed import timeline_drop_group

    transaction.on_commit(lambda: timeline_drop_group(user_id, group_id=group_id))


def _type_check(*, user, group) -> None:
    """Nutritionist-only and patient-only groups check who the person is."""
    is_nutritionist = user.has_role("nutritionist")
    if group.type == GroupType.NUTRITIONIST_ONLY and not is_nutritionist:
        raise PermissionDenied(_("Este grupo es solo para nutriólogos(as) verificados(as)."))
    if group.type == GroupType.PATIENT_ONLY and is_nutritionist:
        raise PermissionDenied(_("Este grupo es solo para pacientes."))


def answers_clean(group: Group, answers) -> list[dict]:
    """Answers to the join questions, in their order: a list of texts, a list of
    ``{question, answer}`` or ``{index: answer}``. Required questions need an answer."""
    questions = group.join_questions or []
    if answers in (None, ""):
        answers = []
    if isinstance(answers, dict):
        answers = [answers.get(str(i), answers.get(i, "")) for i in range(len(questions))]
    if not isinstance(answers, list):
        raise ValidationError({"answers": [_("Envía tus respuestas como lista.")]})
    texts = []
    for item in answers:
        if isinstance(item, dict):
            item = item.get("answer", "")
        texts.append(item)
    errors: dict = {}
    out = []
    for index, question in enumerate(questions):
        raw = texts[index] if index < len(texts) else ""
        try:
            answer = clean_text(raw, field=f"answers.{index}", max_length=MAX_ANSWER)
        except ValidationError as exc:
            errors.update(exc.message_dict)
            continue
        if question.get("required") and not answer:
            errors[f"answers.{index}"] = [_("Responde esta pregunta para enviar tu solicitud.")]
        out.append({"question": question.get("question", ""), "answer": answer})
    if errors:
        raise ValidationError(errors)
    return out


def _staff_of(group) -> list:
    return [
        m.user
        for m in GroupMember.objects.filter(group=group, role__in=GROUP_STAFF_ROLES).select_related("user")
    ]


@transaction.atomic
def group_join(*, actor, group_id, answers=None) -> GroupMember:
    """Join a group according to its type. Open (and the nutritionist-only / patient-only
    groups, for the right people): member at once. Closed: a pending request with the answers,
    and the group's admins and moderators are told. Private: only by invitation (an invited
    person who "joins" accepts their invitation). Joining twice returns the membership."""
    group = selectors.group_get(user=actor, group_id=group_id)
    membership = group.membership
    if membership is not None and membership.role in (*ACTIVE_GROUP_ROLES, GroupRole.PENDING):
        membership.replayed = True
        return membership
    if membership is not None and membership.role == GroupRole.INVITED:
        return _accept_invitation(actor=actor, group=group, membership=membership)
    _type_check(user=actor, group=group)
    if group.type == GroupType.PRIVATE:
        raise PermissionDenied(_("A este grupo solo se entra por invitación."))
    if group.type == GroupType.CLOSED:
        cleaned = answers_clean(group, answers)
        membership = GroupMember.objects.create(group=group, user=actor, role=GroupRole.PENDING, join_answers=cleaned)
        link = reverse("social:group_requests", args=[group.slug])
        for admin in _staff_of(group):
            notify_social(
                admin,
                "group_join_request",
                _("%(name)s quiere unirse a %(group)s") % {"name": display_name(actor), "group": group.name},
                link=link,
                data={"group_id": group.pk, "user_id": actor.pk},
            )
        membership.replayed = False
        return membership
    membership = GroupMember.objects.create(group=group, user=actor, role=GroupRole.MEMBER)
    Group.objects.filter(pk=group.pk).update(member_count=F("member_count") + 1)
    _after_join(actor.pk)
    membership.replayed = False
    return membership


def _accept_invitation(*, actor, group, membership) -> GroupMember:
    _type_check(user=actor, group=group)
    membership.role = GroupRole.MEMBER
    membership.joined_at = timezone.now()
    membership.save(update_fields=["role", "joined_at"])
    Group.objects.filter(pk=group.pk).update(member_count=F("member_count") + 1)
    _after_join(actor.pk)
    if membership.invited_by_id and membership.invited_by_id != actor.pk:
        notify_social(
            membership.invited_by,
            "group_invitation_accepted",
            _("%(name)s aceptó tu invitación a %(group)s") % {"name": display_name(actor), "group": group.name},
            link=_group_url(group),
            data={"group_id": group.pk, "user_id": actor.pk},
        )
    membership.replayed = False
    return membership


def _active_admin_ids(group) -> list[int]:
    return list(GroupMember.objects.filter(group=group, role=GroupRole.ADMIN).values_list("user_id", flat=True))


@transaction.atomic
def group_leave(*, actor, group_id, new_admin_id=None) -> None:
    """Leave a group (or withdraw a request, or decline an invitation). The last admin names
    another member as admin first; the only person of a group deletes it instead."""
    group = selectors.group_get(user=actor, group_id=group_id)
    membership = GroupMember.objects.select_for_update().filter(group=group, user=actor).first()
    if membership is None:
        return
    if membership.role == GroupRole.ADMIN and _active_admin_ids(group) == [actor.pk]:
        others = GroupMember.objects.filter(group=group, role__in=ACTIVE_GROUP_ROLES).exclude(user=actor)
        if not others.exists():
            raise ValidationError(_("Eres la única persona del grupo: elimínalo si ya no lo necesitas."), code="LAST_ADMIN")
        successor_pk = _user_ref(new_admin_id)
        successor = others.filter(user_id=successor_pk).first() if successor_pk else None
        if successor is None:
            raise ValidationError(
                _("Eres la última persona administradora: elige a otro miembro como administrador(a) antes de salir."),
                code="LAST_ADMIN",
            )
        successor.role = GroupRole.ADMIN
        successor.save(update_fields=["role"])
        notify_social(
            successor.user,
            "group_role",
            _("Ahora administras %(group)s") % {"group": group.name},
            link=_group_url(group),
            data={"group_id": group.pk},
        )
    was_active = membership.role in ACTIVE_GROUP_ROLES
    membership.delete()
    if was_active:
        Group.objects.filter(pk=group.pk, member_count__gt=0).update(member_count=F("member_count") - 1)
        _after_leave(actor.pk, group.pk)


def _user_ref(value) -> int | None:
    """A user id, or a username (``@ana`` or ``ana``) resolved to an id."""
    pk = rules.id_parse(value)
    if pk is not None:
        return pk
    if isinstance(value, str) and value.strip():
        from accounts.models import User

        return User.objects.filter(username=value.strip().lstrip("@").lower()).values_list("pk", flat=True).first()
    return None


# ---------------------------------------------------------------------------------------
# requests and invitations


@transaction.atomic
def group_request_decide(*, actor, group_id, user_id, approve: bool) -> GroupMember | None:
    """A group admin or moderator approves (member now) or declines (request deleted) a
    pending request; the person is told either way."""
    group = selectors.group_staff_get(user=actor, group_id=group_id)
    pk = rules.id_parse(user_id)
    membership = (
        GroupMember.objects.select_for_update().select_related("user").filter(group=group, user_id=pk, role=GroupRole.PENDING).first()
        if pk
        else None
    )
    if membership is None:
        raise GroupNotFound()
    requester = membership.user
    if approve:
        membership.role = GroupRole.MEMBER
        membership.joined_at = timezone.now()
        membership.save(update_fields=["role", "joined_at"])
        Group.objects.filter(pk=group.pk).update(member_count=F("member_count") + 1)
        _after_join(requester.pk)
        notify_social(
            requester,
            "group_request_approved",
            _("Te aceptaron en %(group)s") % {"group": group.name},
            link=_group_url(group),
            data={"group_id": group.pk},
        )
        return membership
    membership.delete()
    notify_social(
        requester,
        "group_request_declined",
        _("No aceptaron tu solicitud para unirte a %(group)s") % {"group": group.name},
        data={"group_id": group.pk},
    )
    return None


@transaction.atomic
def group_invite(*, actor, group_id, username) -> GroupMember:
    """A group admin or moderator invites someone by username; they accept or decline."""
    from accounts.models import User

    group = selectors.group_staff_get(user=actor, group_id=group_id)
    name = str(username or "").strip().lstrip("@").lower()
    if not name:
        raise ValidationError({"username": [_("Escribe el nombre de usuario.")]})
    invitee = User.objects.filter(username=name, is_active=True, deleted_at__isnull=True).first()
    if invitee is None or rules.is_blocked_between(actor.pk, invitee.pk):
        raise ValidationError({"username": [_("No encontramos a @%(u)s.") % {"u": name[:30]}]}, code="USER_NOT_FOUND")
    _type_check(user=invitee, group=group)
    existing = GroupMember.objects.filter(group=group, user=invitee).first()
    if existing is not None:
        if existing.role in ACTIVE_GROUP_ROLES:
            raise ValidationError({"username": [_("@%(u)s ya es miembro.") % {"u": name}]}, code="ALREADY_MEMBER")
        if existing.role == GroupRole.PENDING:
            raise ValidationError(
                {"username": [_("@%(u)s ya pidió unirse: apruébalo en Solicitudes.") % {"u": name}]}, code="ALREADY_REQUESTED"
            )
        existing.replayed = True
        return existing
    membership = GroupMember.objects.create(group=group, user=invitee, role=GroupRole.INVITED, invited_by=actor)
    notify_social(
        invitee,
        "group_invitation",
        _("%(name)s te invitó a %(group)s") % {"name": display_name(actor), "group": group.name},
        link=_group_url(group),
        data={"group_id": group.pk},
    )
    membership.replayed = False
    return membership


@transaction.atomic
def group_invitation_respond(*, actor, group_id, accept: bool) -> GroupMember | None:
    group = selectors.group_get(user=actor, group_id=group_id)
    membership = group.membership
    if membership is None or membership.role != GroupRole.INVITED:
        raise GroupNotFound()
    if accept:
        return _accept_invitation(actor=actor, group=group, membership=membership)
    membership.delete()
    return None


# ---------------------------------------------------------------------------------------
# roles, removal, notifications


@transaction.atomic
def group_member_role_set(*, actor, group_id, user_id, role: str) -> GroupMember:
    """Admins make members admins or moderators (or plain members again). The group never
    runs out of admins."""
    group = _admin_group(actor=actor, group_id=group_id)
    if role not in (GroupRole.ADMIN, GroupRole.MODERATOR, GroupRole.MEMBER):
        raise ValidationError({"role": [_("Elige administrador(a), moderador(a) o miembro.")]})
    pk = rules.id_parse(user_id)
    membership = (
        GroupMember.objects.select_for_update().select_related("user").filter(group=group, user_id=pk, role__in=ACTIVE_GROUP_ROLES).first()
        if pk
        else None
    )
    if membership is None:
        raise GroupNotFound()
    if membership.role == GroupRole.ADMIN and role != GroupRole.ADMIN and _active_admin_ids(group) == [membership.user_id]:
        raise ValidationError(_("El grupo necesita al menos una persona administradora."), code="LAST_ADMIN")
    if membership.role != role:
        membership.role = role
        membership.save(update_fields=["role"])
        if membership.user_id != actor.pk:
            notify_social(
                membership.user,
                "group_role",
                _("Tu rol en %(group)s ahora es: %(role)s") % {"group": group.name, "role": GroupRole(role).label},
                link=_group_url(group),
                data={"group_id": group.pk, "role": role},
            )
    return membership


@transaction.atomic
def group_member_remove(*, actor, group_id, user_id) -> None:
    """Admins remove a member (to leave yourself, use leave)."""
    group = _admin_group(actor=actor, group_id=group_id)
    pk = rules.id_parse(user_id)
    if pk == actor.pk:
        raise ValidationError({"user_id": [_("Para salir del grupo usa «Salir del grupo».")]})
    membership = GroupMember.objects.select_for_update().filter(group=group, user_id=pk).first() if pk else None
    if membership is None:
        raise GroupNotFound()
    was_active = membership.role in ACTIVE_GROUP_ROLES
    membership.delete()
    if was_active:
        Group.objects.filter(pk=group.pk, member_count__gt=0).update(member_count=F("member_count") - 1)
        _after_leave(pk, group.pk)


@transaction.atomic
def group_notify_set(*, actor, group_id, preference: str) -> GroupMember:
    """A member chooses what the group tells them: everything, mentions only, or nothing."""
    group = selectors.group_get(user=actor, group_id=group_id)
    if not group.is_member:
        raise GroupNotFound()
    if preference not in GroupNotify.values:
        raise ValidationError({"preference": [_("Elige todo, solo menciones o nada.")]})
    membership = group.membership
    membership.notification_preference = preference
    membership.save(update_fields=["notification_preference"])
    return membership


# ---------------------------------------------------------------------------------------
# posts: approval queue and notifications


@transaction.atomic
def group_post_decide(*, actor, group_id, post_id, approve: bool, reason: str = "") -> Post:
    """A group admin or moderator approves a post waiting for approval (it reaches the group's
    feed and members' timelines) or rejects it (its author is told)."""
    from social.services.posts import post_publish_approved

    group = selectors.group_staff_get(user=actor, group_id=group_id)
    pk = rules.id_parse(post_id)
    post = (
        selectors.pending_posts(group=group).select_for_update(of=("self",)).filter(pk=pk).first() if pk else None
    )
    if post is None:
        raise rules.PostNotFound()
    reason = clean_text(reason, field="reason", max_length=500)
    post.moderated_by = actor
    post.moderated_at = timezone.now()
    if approve:
        post.moderation_status = ModerationStatus.APPROVED
        post.save(update_fields=["moderation_status", "moderated_by", "moderated_at", "updated_at"])
        post_publish_approved(post=post)
        if post.author_id != actor.pk:
            notify_social(
                post.author,
                "group_post_approved",
                _("Aprobaron tu publicación en %(group)s") % {"group": group.name},
                link=_group_url(group),
                data={"group_id": group.pk, "post_id": post.pk},
            )
        return post
    post.moderation_status = ModerationStatus.REJECTED
    post.moderation_notes = reason
    post.save(update_fields=["moderation_status", "moderated_by", "moderated_at", "moderation_notes", "updated_at"])
    notify_social(
        post.author,
        "group_post_rejected",
        _("Tu publicación en %(group)s no fue aprobada") % {"group": group.name},
        body=reason,
        link=_group_url(group),
        data={"group_id": group.pk, "post_id": post.pk},
    )
    return post


def group_post_notify(post: Post) -> int:
    """Tell the members who chose "all" about a new approved post in their group: one bulk
    insert of notifications, skipped for groups over 500 members. Returns how many."""
    from accounts.models import Notification, NotificationCategory, NotificationPreference

    if (
        not post.group_id
        or post.visibility != Visibility.GROUP
        or post.moderation_status != ModerationStatus.APPROVED
        or post.deleted_at is not None
    ):
        return 0
    group = Group.objects.filter(pk=post.group_id, deleted_at__isnull=True).only("pk", "name", "slug").first()
    if group is None:
        return 0
    members = GroupMember.objects.filter(group=group, role__in=ACTIVE_GROUP_ROLES)
    if members.count() > NOTIFY_MAX_MEMBERS:
        return 0
    muted = NotificationPreference.objects.filter(category=NotificationCategory.SOCIAL, in_app=False).values("user_id")
    ids = list(
        members.filter(notification_preference=GroupNotify.ALL, user__is_active=True)
        .exclude(user_id=post.author_id)
        .exclude(user_id__in=muted)
        .values_list("user_id", flat=True)
    )
    if not ids:
        return 0
    title = (_("Nueva publicación en %(group)s") % {"group": group.name})[:200]
    body = (post.title or post.body or "")[:140]
    link = reverse("social:group", args=[group.slug])
    Notification.objects.bulk_create(
        [
            Notification(
                user_id=uid, kind="group_post", category=NotificationCategory.SOCIAL, title=title, body=body,
                link=link, data={"group_id": group.pk, "post_id": post.pk},
            )
            for uid in ids
        ],
        batch_size=500,
    )
    return len(ids)
