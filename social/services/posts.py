"""Posts: create (text, photos, progress, recipe, question, achievement), edit, delete,
re-share, save, count views and feature. The page, the API, the Celery task and the websocket
consumer call these functions; nobody else writes a ``Post``.

Side effects (fan-out to timelines, live pushes, notifications to mentioned people) run after
the transaction commits.
"""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from social import rules
from social.models import (
    FamilyCircle,
    Group,
    ModerationStatus,
    Post,
    PostImage,
    PostSave,
    PostTag,
    PostType,
    Visibility,
)
from social.services.common import display_name, limit_check, notify_social, push_after_commit
from social.text import clean_text, extract_mentions, extract_tags

MAX_IMAGES = 4
MAX_BODY = 5000
MAX_TITLE = 200
EDIT_FIELDS = ("title", "body", "visibility", "state", "city")


def _post_url(post_id) -> str:
    return reverse("social:post", args=[post_id])


def _clean_choice(value, choices, field: str) -> str:
    if value not in choices:
        raise ValidationError({field: [_("Opción no válida: %(v)s.") % {"v": str(value)[:40]}]}, code="invalid_choice")
    return value


def _clean_progress(data) -> dict | None:
    """``{weight_before_kg, weight_after_kg, time_period_days}`` → with ``weight_lost_kg`` computed."""
    if data in (None, "", {}):
        raise ValidationError({"progress_data": [_("Indica tu peso antes y después.")]})
    if isinstance(data, str):
        try:
            data = json.loads(data)
        except ValueError:
            raise ValidationError({"progress_data": [_("progress_data debe ser un objeto JSON.")]})
    if not isinstance(data, dict):
        raise ValidationError({"progress_data": [_("progress_data debe ser un objeto JSON.")]})
    out = {}
    errors = {}
    for key, low, high in (("weight_before_kg", 20, 500), ("weight_after_kg", 20, 500)):
        try:
            value = Decimal(str(data.get(key))).quantize(Decimal("0.1"))
        except (InvalidOperation, ValueError, TypeError):
            errors[key] = [_("Escribe un peso en kg.")]
            continue
        if not low <= value <= high:
            errors[key] = [_("Entre %(a)s y %(b)s kg.") % {"a": low, "b": high}]
            continue
        out[key] = float(value)
    days = data.get("time_period_days")
    if days not in (None, ""):
        try:
            days = int(days)
        except (TypeError, ValueError):
            errors["time_period_days"] = [_("Número de días entero.")]
        else:
            if not 1 <= days <= 3650:
                errors["time_period_days"] = [_("Entre 1 y 3650 días.")]
            out["time_period_days"] = days
    if errors:
        raise ValidationError({f"progress_data.{k}": v for k, v in errors.items()})
    out["weight_lost_kg"] = round(out["weight_before_kg"] - out["weight_after_kg"], 1)
    return out


def _clean_images(images, *, roles=None) -> list:
    from config.uploads import image_clean

    images = [i for i in (images or []) if i]
    if len(images) > MAX_IMAGES:
        raise ValidationError({"images": [_("Hasta %(n)s fotos por publicación.") % {"n": MAX_IMAGES}]}, code="TOO_MANY_IMAGES")
    cleaned = []
    for index, upload in enumerate(images):
        if not hasattr(upload, "read"):
            raise ValidationError({"images": [_("Adjunta archivos de imagen.")]})
        try:
            cleaned.append(image_clean(upload, max_side=1600))
        except ValidationError as exc:
            raise ValidationError({"images": [f"{_('Foto')} {index + 1}: {m}" for m in exc.messages]}, code=exc.code)
    return cleaned


def _resolve_mentions(text: str, *, author) -> list:
    from accounts.models import User

    names = extract_mentions(text)
    if not names:
        return []
    users = list(User.objects.filter(username__in=names, is_active=True, deleted_at__isnull=True).exclude(pk=author.pk))
    blocked = rules.audience_for(author).blocked if users else set()
    return [u for u in users if u.pk not in blocked]


def _set_tags(post: Post, tags: list[str]) -> None:
    PostTag.objects.filter(post=post).exclude(tag__in=tags).delete()
    existing = set(PostTag.objects.filter(post=post).values_list("tag", flat=True))
    PostTag.objects.bulk_create([PostTag(post=post, tag=t) for t in tags if t not in existing])


def _target(*, actor, visibility, group_id, circle_id):
    """The group or circle a post goes to, checked; (group, circle, initial moderation status)."""
    group = circle = None
    status = ModerationStatus.APPROVED
    if visibility == Visibility.GROUP:
        pk = rules.id_parse(group_id)
        group = Group.objects.filter(pk=pk, deleted_at__isnull=True).first() if pk else None
        if group is None:
            raise rules.GroupNotFound()
        status = rules.group_post_status(actor=actor, group=group)
    elif visibility == Visibility.FAMILY_CIRCLE:
        pk = rules.id_parse(circle_id)
        circle = FamilyCircle.objects.filter(pk=pk).first() if pk else None
        if circle is None:
            raise rules.CircleNotFound()
        rules.circle_post_check(actor=actor, circle=circle)
    elif visibility == Visibility.NUTRITIONIST_ONLY:
        if not rules.audience_for(actor).nutritionist_ids:
            raise ValidationError(
                {"visibility": [_("Solo puedes publicar para tu nutriólogo(a) cuando tienes uno en seguimiento.")]}
            )
    return group, circle, status


@transaction.atomic
def post_create(
    *,
    actor,
    type: str = PostType.TEXT,
    body: str = "",
    title: str = "",
    visibility: str = Visibility.PUBLIC,
    group_id=None,
    family_circle_id=None,
    images=(),
    progress_data=None,
    recipe_id=None,
    achievement_data: dict | None = None,
    state: str = "",
    city: str = "",
    enforce_limit: bool = True,
) -> Post:
    """Publish a post. Raises ValidationError (field errors), PermissionDenied, a *NotFound
    (unknown or unreachable group, circle or recipe) or SocialRateLimited (20 per hour).

    A post from a new account that looks like spam, or in a group that approves posts, is
    created ``pending`` and reaches no feed until a moderator approves it.
    """
    if not actor.is_active or getattr(actor, "is_banned", False):
        raise PermissionDenied(_("Tu cuenta no puede publicar."))
    type = _clean_choice(type, PostType.values, "type")
    visibility = _clean_choice(visibility, Visibility.values, "visibility")
    body = clean_text(body, field="body", max_length=MAX_BODY)
    title = clean_text(title, field="title", max_length=MAX_TITLE, multiline=False)
    state = clean_text(state, field="state", max_length=100, multiline=False)
    city = clean_text(city, field="city", max_length=100, multiline=False)
    cleaned_images = _clean_images(images)
    progress = None
    recipe = None
    if type == PostType.PROGRESS:
        progress = _clean_progress(progress_data)
    if type == PostType.PHOTO and not cleaned_images:
        raise ValidationError({"images": [_("Una publicación de foto necesita al menos una foto.")]})
    if type == PostType.RECIPE:
        from nutrition.selectors.recipes import recipe_get

        pk = rules.id_parse(recipe_id)
        if pk is None:
            raise ValidationError({"recipe_id": [_("Elige una receta.")]})
        recipe = recipe_get(user=actor, recipe_id=pk, detail=False)
    if type == PostType.ACHIEVEMENT and not (achievement_data or body):
        raise ValidationError({"body": [_("Cuenta tu logro.")]})
    if not body and not cleaned_images and type not in (PostType.PROGRESS, PostType.RECIPE, PostType.ACHIEVEMENT):
        raise ValidationError({"body": [_("Escribe algo o agrega una foto.")]}, code="required")
    group, circle, status = _target(
        actor=actor, visibility=visibility, group_id=group_id, circle_id=family_circle_id
    )
    if enforce_limit:
        limit_check(actor, "post")
    reason = "group_approval" if status == ModerationStatus.PENDING else ""
    from social.spam import should_hold

    if status == ModerationStatus.APPROVED and should_hold(author=actor, text=f"{title}\n{body}"):
        status, reason = ModerationStatus.PENDING, "spam_hold"
    post = Post.objects.create(
        author=actor,
        type=type,
        title=title,
        body=body,
        visibility=visibility,
        group=group,
        family_circle=circle,
        progress_data=progress,
        recipe=recipe,
        achievement_data=achievement_data or None,
        state=state,
        city=city,
        tags=extract_tags(f"{title} {body}"),
        moderation_status=status,
        moderation_reason=reason,
    )
    for index, content in enumerate(cleaned_images):
        role = ""
        if type == PostType.PROGRESS and len(cleaned_images) >= 2:
            role = "before" if index == 0 else ("after" if index == 1 else "")
        PostImage.objects.create(post=post, image=content, position=index, role=role)
    _set_tags(post, post.tags)
    mentioned = _resolve_mentions(f"{title} {body}", author=actor)
    if mentioned:
        post.mentions.set(mentioned)
    if group is not None and status == ModerationStatus.APPROVED:
        Group.objects.filter(pk=group.pk).update(post_count=F("post_count") + 1, last_post_at=post.created_at)
    if status == ModerationStatus.APPROVED:
        _after_publish(post, mentioned)
    return post


def _after_publish(post: Post, mentioned: list) -> None:
    """What follows a post reaching its audience: fan-out, mentions, circle push."""
    from social.tasks import post_fanout

    transaction.on_commit(lambda: post_fanout.delay(post.pk))
    author = post.author
    for user in mentioned:
        notify_social(
            user,
            "mention",
            _("%(name)s te mencionó") % {"name": display_name(author)},
            body=(post.body or post.title)[:140],
            link=_post_url(post.pk),
            data={"post_id": post.pk},
        )


def post_publish_approved(*, post: Post) -> None:
    """A held post was approved (moderation queue or group approval): it now reaches its audience."""
    if post.group_id:
        Group.objects.filter(pk=post.group_id).update(post_count=F("post_count") + 1, last_post_at=timezone.now())
    _after_publish(post, list(post.mentions.all()))


def _own_post(*, actor, post_id) -> Post:
    pk = rules.id_parse(post_id)
    post = Post.objects.select_for_update().filter(pk=pk, deleted_at__isnull=True).first() if pk else None
    if post is None or post.author_id != actor.pk:
        raise rules.PostNotFound()
    return post


@transaction.atomic
def post_update(*, actor, post_id, data: dict) -> Post:
    """Edit your post's title, text, visibility or place. It gets the "editado" mark; a
    visibility change retracts it from every timeline it no longer belongs in, at once."""
    post = _own_post(actor=actor, post_id=post_id)
    unknown = set(data) - set(EDIT_FIELDS) - {"group_id", "family_circle_id"}
    if unknown:
        raise ValidationError({k: [_("No se puede editar.")] for k in sorted(unknown)})
    changed = []
    if "body" in data:
        post.body = clean_text(data["body"], field="body", max_length=MAX_BODY)
        changed.append("body")
    if "title" in data:
        post.title = clean_text(data["title"], field="title", max_length=MAX_TITLE, multiline=False)
        changed.append("title")
    for key in ("state", "city"):
        if key in data:
            setattr(post, key, clean_text(data[key], field=key, max_length=100, multiline=False))
            changed.append(key)
    if not post.body and not post.images.exists() and post.type in (PostType.TEXT, PostType.QUESTION):
        raise ValidationError({"body": [_("Escribe algo o agrega una foto.")]}, code="required")
    old_audience = None
    if "visibility" in data and data["visibility"] != post.visibility:
        visibility = _clean_choice(data["visibility"], Visibility.values, "visibility")
        old_audience = _snapshot_audience(post)
        group, circle, status = _target(
            actor=actor,
            visibility=visibility,
            group_id=data.get("group_id", post.group_id),
            circle_id=data.get("family_circle_id", post.family_circle_id),
        )
        post.visibility, post.group, post.family_circle = visibility, group, circle
        if status == ModerationStatus.PENDING and post.moderation_status == ModerationStatus.APPROVED:
            post.moderation_status, post.moderation_reason = status, "group_approval"
        changed += ["visibility", "group", "family_circle", "moderation_status", "moderation_reason"]
    if not changed:
        return post
    if {"body", "title"} & set(changed):
        post.tags = extract_tags(f"{post.title} {post.body}")
        _set_tags(post, post.tags)
        post.mentions.set(_resolve_mentions(f"{post.title} {post.body}", author=actor))
        changed.append("tags")
    post.is_edited = True
    post.edited_at = timezone.now()
    post.save(update_fields=[*changed, "is_edited", "edited_at", "updated_at"])
    if old_audience is not None:
        from social.tasks import post_refanout

        transaction.on_commit(lambda: post_refanout.delay(post.pk, old_audience))
    push_after_commit([], "post:updated", {"post_id": post.pk})
    return post


def _snapshot_audience(post: Post) -> dict:
    """What :func:`social.feed.post_audience_ids` needs to recompute the old audience later."""
    return {
        "author_id": post.author_id,
        "visibility": post.visibility,
        "group_id": post.group_id,
        "family_circle_id": post.family_circle_id,
    }


@transaction.atomic
def post_delete(*, actor, post_id) -> Post:
    """Delete your post (staff remove others' through moderation). It leaves every feed at once;
    comments and reactions stay in the database with it, unreadable."""
    post = _own_post(actor=actor, post_id=post_id)
    return post_soft_delete(post=post)


def post_soft_delete(*, post: Post) -> Post:
    post.deleted_at = timezone.now()
    post.save(update_fields=["deleted_at", "updated_at"])
    if post.group_id and post.moderation_status == ModerationStatus.APPROVED:
        Group.objects.filter(pk=post.group_id, post_count__gt=0).update(post_count=F("post_count") - 1)
    if post.shared_post_id:
        Post.objects.filter(pk=post.shared_post_id, shares_count__gt=0).update(shares_count=F("shares_count") - 1)
    snapshot = _snapshot_audience(post)
    from social.tasks import post_retract

    transaction.on_commit(lambda: post_retract.delay(post.pk, snapshot))
    return post


@transaction.atomic
def post_share(*, actor, post_id, body: str = "", visibility: str = Visibility.PUBLIC) -> Post:
    """Re-share a public post to your own followers with a comment. Counts as a share of the
    original (×5 in virality). Sharing the same post twice returns the first share."""
    audience = rules.audience_for(actor)
    pk = rules.id_parse(post_id)
    original = Post.objects.select_related("author", "group").filter(pk=pk).first() if pk else None
    if original is None or not rules.post_visible_to(audience, original):
        raise rules.PostNotFound()
    while original.shared_post_id:  # share the source, not a share of a share
        source = Post.objects.select_related("author", "group").filter(pk=original.shared_post_id).first()
        if source is None or not rules.post_visible_to(audience, source):
            raise rules.PostNotFound()
        original = source
    if original.visibility != Visibility.PUBLIC or original.moderation_status != ModerationStatus.APPROVED:
        raise ValidationError({"post_id": [_("Solo se pueden compartir publicaciones públicas.")]}, code="NOT_SHAREABLE")
    if visibility not in (Visibility.PUBLIC, Visibility.FOLLOWERS):
        raise ValidationError({"visibility": [_("Comparte en público o solo con tus seguidores.")]})
    existing = Post.objects.filter(author=actor, shared_post=original, deleted_at__isnull=True).first()
    if existing is not None:
        existing.replayed = True
        return existing
    body = clean_text(body, field="body", max_length=MAX_BODY)
    limit_check(actor, "post")
    share = Post.objects.create(
        author=actor,
        type=PostType.TEXT,
        body=body,
        visibility=visibility,
        shared_post=original,
        tags=extract_tags(body),
    )
    _set_tags(share, share.tags)
    Post.objects.filter(pk=original.pk).update(shares_count=F("shares_count") + 1)
    if original.author_id != actor.pk:
        notify_social(
            original.author,
            "post_shared",
            _("%(name)s compartió tu publicación") % {"name": display_name(actor)},
            body=body[:140],
            link=_post_url(share.pk),
            data={"post_id": original.pk, "share_id": share.pk},
        )
    _after_publish(share, _resolve_mentions(body, author=actor))
    return share


@transaction.atomic
def post_save_set(*, actor, post_id, saved: bool) -> bool:
    """Add the post to (or take it out of) your "Guardados"; idempotent. Returns the new state."""
    audience = rules.audience_for(actor)
    pk = rules.id_parse(post_id)
    post = Post.objects.select_related("group").filter(pk=pk).first() if pk else None
    if post is None or not rules.post_visible_to(audience, post):
        raise rules.PostNotFound()
    if saved:
        try:
            with transaction.atomic():
                PostSave.objects.create(user=actor, post=post)
        except IntegrityError:
            return True
        Post.objects.filter(pk=post.pk).update(saves_count=F("saves_count") + 1)
        return True
    deleted, _rows = PostSave.objects.filter(user=actor, post=post).delete()
    if deleted:
        Post.objects.filter(pk=post.pk, saves_count__gt=0).update(saves_count=F("saves_count") - 1)
    return False


def post_view_count(*, viewer, post: Post) -> None:
    """Count one view per person per post per 6 hours (the author's own views do not count)."""
    from django.core.cache import cache

    if viewer is None or not viewer.is_authenticated or viewer.pk == post.author_id:
        return
    if cache.add(f"pv:{post.pk}:{viewer.pk}", 1, timeout=6 * 3600):
        Post.objects.filter(pk=post.pk).update(views_count=F("views_count") + 1)


@transaction.atomic
def post_feature_set(*, actor, post_id, featured: bool) -> Post:
    """Staff feature (or unfeature) a public post for everyone's "Destacadas"."""
    if not actor.is_staff:
        raise rules.PostNotFound()
    pk = rules.id_parse(post_id)
    post = Post.objects.filter(pk=pk, deleted_at__isnull=True).first() if pk else None
    if post is None:
        raise rules.PostNotFound()
    if featured and post.visibility != Visibility.PUBLIC:
        raise ValidationError({"post_id": [_("Solo se destacan publicaciones públicas.")]})
    post.is_featured = featured
    post.featured_at = timezone.now() if featured else None
    post.featured_by = actor if featured else None
    post.save(update_fields=["is_featured", "featured_at", "featured_by", "updated_at"])
    return post


def virality(*, reactions: int, comments: int, shares: int, created_at, now=None) -> float:
    """Seed 000: (likes + 3 × comments + 5 × shares) / hours since posting (at least one hour)."""
    now = now or timezone.now()
    hours = max((now - created_at).total_seconds() / 3600, 1.0)
    return (reactions + 3 * comments + 5 * shares) / hours


TRENDING_WINDOW = timedelta(hours=72)
TRENDING_SIZE = 30


def trending_refresh() -> list[int]:
    """Recompute virality for the last 72 h of public posts and mark the top ones trending.
    Runs every 15 minutes from Celery beat; the trending list is cached for an hour."""
    from django.core.cache import cache

    now = timezone.now()
    rows = list(
        Post.objects.filter(
            created_at__gte=now - TRENDING_WINDOW,
            deleted_at__isnull=True,
            moderation_status=ModerationStatus.APPROVED,
            visibility=Visibility.PUBLIC,
        ).values_list("pk", "reactions_count", "comments_count", "shares_count", "created_at")
    )
    scored = []
    for pk, reactions, comments, shares, created in rows:
        score = virality(reactions=reactions, comments=comments, shares=shares, created_at=created, now=now)
        scored.append((score, pk))
    scored.sort(reverse=True)
    top = [pk for score, pk in scored[:TRENDING_SIZE] if score > 0]
    top_set = set(top)
    with transaction.atomic():
        Post.objects.filter(is_trending=True).exclude(pk__in=top).update(is_trending=False)
        Post.objects.bulk_update(
            [Post(pk=pk, virality_score=round(score, 4), is_trending=pk in top_set) for score, pk in scored],
            ["virality_score", "is_trending"],
            batch_size=1000,
        )
    cache.set("social:trending", top, timeout=3600)
    return top
