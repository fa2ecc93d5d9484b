"""The health social network (seed 000 §3.3 ``social.*``): posts with images, reactions,
nested comments, saves, re-shares, follows, blocks and mutes, groups, family circles and
reports for moderation.

Models hold data and invariants only. Every write goes through ``social.services``; who may
see what is decided in one place, ``social.rules``. Counters on posts and comments are
denormalised and changed only with ``F()`` updates inside the service that adds or removes
the row they count, so concurrent writers never lose an increment.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

USER = settings.AUTH_USER_MODEL


def post_image_path(instance, filename):
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "jpg"
    return f"posts/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{ext[:5]}"


def group_cover_path(instance, filename):
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "jpg"
    return f"groups/{uuid.uuid4().hex}.{ext[:5]}"


# ---------------------------------------------------------------------------------------
# enums (seed 000 §3.3)


class PostType(models.TextChoices):
    TEXT = "text", _("Texto")
    PHOTO = "photo", _("Foto")
    PROGRESS = "progress", _("Progreso")
    RECIPE = "recipe", _("Receta")
    QUESTION = "question", _("Pregunta")
    ACHIEVEMENT = "achievement", _("Logro")


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Público")
    FOLLOWERS = "followers", _("Seguidores")
    GROUP = "group", _("Grupo")
    FAMILY_CIRCLE = "family_circle", _("Círculo familiar")
    NUTRITIONIST_ONLY = "nutritionist_only", _("Solo mi nutriólogo(a)")


class ModerationStatus(models.TextChoices):
    PENDING = "pending", _("En revisión")
    APPROVED = "approved", _("Aprobada")
    REJECTED = "rejected", _("Rechazada")
    HIDDEN = "hidden", _("Oculta")
    REMOVED = "removed", _("Eliminada por moderación")


class ReactionType(models.TextChoices):
    HEART = "heart", _("Me encanta")
    CLAP = "clap", _("Aplausos")
    FIRE = "fire", _("Fuego")
    STRONG = "strong", _("Fuerza")
    CELEBRATE = "celebrate", _("Celebrar")


REACTION_EMOJI = {"heart": "❤️", "clap": "👏", "fire": "🔥", "strong": "💪", "celebrate": "🎉"}


# ---------------------------------------------------------------------------------------
# posts


class Post(models.Model):
    """Seed 000 ``social.posts``. ``body`` is plain text (tags stripped on the way in); pages
    and the API render it escaped, with #tags and @mentions turned into links."""

    author = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="posts")
    type = models.CharField(max_length=20, choices=PostType.choices, default=PostType.TEXT)
    title = models.CharField(_("título"), max_length=255, blank=True)
    body = models.TextField(_("texto"), blank=True)
    progress_data = models.JSONField(null=True, blank=True)
    recipe = models.ForeignKey(
        "nutrition.Recipe", null=True, blank=True, on_delete=models.SET_NULL, related_name="social_posts"
    )
    achievement_data = models.JSONField(null=True, blank=True)
    shared_post = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="shares"
    )
    visibility = models.CharField(max_length=20, choices=Visibility.choices, default=Visibility.PUBLIC)
    group = models.ForeignKey("social.Group", null=True, blank=True, on_delete=models.CASCADE, related_name="posts")
    family_circle = models.ForeignKey(
        "social.FamilyCircle", null=True, blank=True, on_delete=models.CASCADE, related_name="posts"
    )
    state = models.CharField(_("estado"), max_length=100, blank=True)
    city = models.CharField(_("ciudad"), max_length=100, blank=True)
    tags = models.JSONField(default=list, blank=True)
    mentions = models.ManyToManyField(USER, blank=True, related_name="mentioned_in_posts")

    views_count = models.PositiveIntegerField(default=0)
    reactions_count = models.PositiveIntegerField(default=0)  # seed's likes_count
    comments_count = models.PositiveIntegerField(default=0)
    shares_count = models.PositiveIntegerField(default=0)
    saves_count = models.PositiveIntegerField(default=0)
    reaction_heart = models.PositiveIntegerField(default=0)
    reaction_clap = models.PositiveIntegerField(default=0)
    reaction_fire = models.PositiveIntegerField(default=0)
    reaction_strong = models.PositiveIntegerField(default=0)
    reaction_celebrate = models.PositiveIntegerField(default=0)
    virality_score = models.FloatField(default=0)
    is_trending = models.BooleanField(default=False)
    is_featured = models.BooleanField(default=False)
    featured_at = models.DateTimeField(null=True, blank=True)
    featured_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    moderation_status = models.CharField(
        max_length=20, choices=ModerationStatus.choices, default=ModerationStatus.APPROVED
    )
    moderation_reason = models.CharField(max_length=40, blank=True)  # spam_hold, group_approval, report
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderated_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    moderation_notes = models.TextField(blank=True)
    flag_count = models.PositiveIntegerField(default=0)

    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    is_edited = models.BooleanField(default=False)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("publicación")
        verbose_name_plural = _("publicaciones")
        indexes = [
            models.Index(fields=["author", "-created_at"], name="post_author_created_idx"),
            models.Index(fields=["-created_at"], name="post_created_idx"),
            models.Index(fields=["group", "-created_at"], name="post_group_created_idx"),
            models.Index(fields=["family_circle", "-created_at"], name="post_circle_created_idx"),
            models.Index(fields=["is_trending", "-virality_score"], name="post_trending_idx"),
            models.Index(fields=["moderation_status", "created_at"], name="post_moderation_idx"),
            models.Index(fields=["is_featured", "-featured_at"], name="post_featured_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(visibility="group") | Q(group__isnull=False), name="post_group_visibility_has_group"
            ),
            models.CheckConstraint(
                condition=~Q(visibility="family_circle") | Q(family_circle__isnull=False),
                name="post_circle_visibility_has_circle",
            ),
        ]

    def __str__(self):
        return f"{self.get_type_display()} #{self.pk} de {self.author_id}"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def reactions(self) -> dict[str, int]:
        return {r: getattr(self, f"reaction_{r}") for r in ReactionType.values}


class PostImage(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(upload_to=post_image_path, width_field="width", height_field="height")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    position = models.PositiveSmallIntegerField(default=0)
    role = models.CharField(max_length=10, blank=True)  # "before" / "after" on progress posts

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return f"{self.post_id}:{self.position}"


class PostTag(models.Model):
    """One row per #tag of a post, for the tag pages and tag search on any database."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="tag_rows")
    tag = models.CharField(max_length=50)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "tag"], name="posttag_unique")]
        indexes = [models.Index(fields=["tag", "post"], name="posttag_tag_idx")]

    def __str__(self):
        return f"#{self.tag}"


class Reaction(models.Model):
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="post_reactions")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reaction_rows")
    type = models.CharField(max_length=20, choices=ReactionType.choices)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "post"], name="one_reaction_per_user_post")]
        indexes = [models.Index(fields=["post", "type"], name="reaction_post_idx")]

    def __str__(self):
        return f"{self.user_id} {self.type} {self.post_id}"


class PostSave(models.Model):
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="saved_posts")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="save_rows")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "post"], name="one_save_per_user_post")]
        indexes = [models.Index(fields=["user", "-created_at"], name="postsave_user_idx")]

    def __str__(self):
        return f"{self.user_id} → {self.post_id}"


class Comment(models.Model):
    """Seed 000 ``social.comments``: depth 0–2 (three levels), read oldest first. A deleted
    comment keeps its row (``is_deleted``) so the replies under it stay readable."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="post_comments")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies")
    depth = models.PositiveSmallIntegerField(default=0)
    body = models.TextField()
    likes_count = models.PositiveIntegerField(default=0)
    moderation_status = models.CharField(
        max_length=20, choices=ModerationStatus.choices, default=ModerationStatus.APPROVED
    )
    moderation_reason = models.CharField(max_length=40, blank=True)  # report (automatic), moderator
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderated_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    moderation_notes = models.TextField(blank=True)
    flag_count = models.PositiveIntegerField(default=0)
    is_deleted = models.BooleanField(default=False)
    deleted_at = models.DateTimeField(null=True, blank=True)
    is_edited = models.BooleanField(default=False)
    edited_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["post", "created_at"], name="comment_post_created_idx")]
        constraints = [models.CheckConstraint(condition=Q(depth__lte=2), name="comment_depth_max_2")]

    def __str__(self):
        return f"Comentario #{self.pk} en {self.post_id}"


class CommentLike(models.Model):
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="comment_likes")
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="like_rows")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "comment"], name="one_like_per_user_comment")]

    def __str__(self):
        return f"{self.user_id} ♥ {self.comment_id}"


# ---------------------------------------------------------------------------------------
# people


class Follow(models.Model):
    follower = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="following_rows")
    followee = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="follower_rows")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["follower", "followee"], name="follow_unique"),
            models.CheckConstraint(condition=~Q(follower=models.F("followee")), name="follow_not_self"),
        ]
        indexes = [models.Index(fields=["followee", "-created_at"], name="follow_followee_idx")]

    def __str__(self):
        return f"{self.follower_id} → {self.followee_id}"


class Block(models.Model):
    """Either side of a block sees nothing of the other; a block ends follows both ways."""

    blocker = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="blocking_rows")
    blocked = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="blocked_by_rows")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="block_unique"),
            models.CheckConstraint(condition=~Q(blocker=models.F("blocked")), name="block_not_self"),
        ]
        indexes = [models.Index(fields=["blocked"], name="block_blocked_idx")]

    def __str__(self):
        return f"{self.blocker_id} ⊘ {self.blocked_id}"


class Mute(models.Model):
    """The muted person's posts leave the muter's feed; nothing else changes and they are not told."""

    muter = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="muting_rows")
    muted = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="muted_by_rows")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["muter", "muted"], name="mute_unique"),
            models.CheckConstraint(condition=~Q(muter=models.F("muted")), name="mute_not_self"),
        ]

    def __str__(self):
        return f"{self.muter_id} 🔇 {self.muted_id}"


# ---------------------------------------------------------------------------------------
# groups (seed 000 ``groups``, ``group_members``)


class GroupType(models.TextChoices):
    OPEN = "open", _("Abierto")
    CLOSED = "closed", _("Cerrado (con aprobación)")
    PRIVATE = "private", _("Privado (por invitación)")
    NUTRITIONIST_ONLY = "nutritionist_only", _("Solo nutriólogos(as)")
    PATIENT_ONLY = "patient_only", _("Solo pacientes")


class GroupCategory(models.TextChoices):
    GOAL_BASED = "goal_based", _("Por objetivo")
    CONDITION_BASED = "condition_based", _("Por condición de salud")
    LOCATION_BASED = "location_based", _("Por ubicación")
    NUTRITIONIST_PRACTICE = "nutritionist_practice", _("Consulta de nutriólogo(a)")
    OTHER = "other", _("Otro")


class WhoCanPost(models.TextChoices):
    EVERYONE = "everyone", _("Todos los miembros")
    ADMINS_ONLY = "admins_only", _("Solo administradores")
    APPROVED_MEMBERS = "approved_members", _("Miembros aprobados")


class Group(models.Model):
    name = models.CharField(_("nombre"), max_length=120)
    slug = models.SlugField(max_length=140, unique=True)
    description = models.TextField(_("descripción"), max_length=2000, blank=True)
    cover_image = models.ImageField(upload_to=group_cover_path, blank=True)
    type = models.CharField(_("tipo"), max_length=20, choices=GroupType.choices, default=GroupType.OPEN)
    category = models.CharField(_("categoría"), max_length=30, choices=GroupCategory.choices, default=GroupCategory.OTHER)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="created_groups")
    rules = models.JSONField(default=list, blank=True)  # [{"title", "description"}]
    who_can_post = models.CharField(max_length=20, choices=WhoCanPost.choices, default=WhoCanPost.EVERYONE)
    require_post_approval = models.BooleanField(_("aprobar publicaciones"), default=False)
    join_questions = models.JSONField(default=list, blank=True)  # [{"question", "required"}]
    tags = models.JSONField(default=list, blank=True)
    state = models.CharField(_("estado"), max_length=100, blank=True)
    city = models.CharField(_("ciudad"), max_length=100, blank=True)
    is_featured = models.BooleanField(_("destacado"), default=False)
    member_count = models.PositiveIntegerField(default=0)
    post_count = models.PositiveIntegerField(default=0)
    last_post_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("grupo")
        verbose_name_plural = _("grupos")
        indexes = [
            models.Index(fields=["type", "category"], name="group_type_cat_idx"),
            models.Index(fields=["is_featured", "-member_count"], name="group_featured_idx"),
            models.Index(fields=["state"], name="group_state_idx"),
        ]

    def __str__(self):
        return self.name


class GroupRole(models.TextChoices):
    ADMIN = "admin", _("Administrador(a)")
    MODERATOR = "moderator", _("Moderador(a)")
    MEMBER = "member", _("Miembro")
    PENDING = "pending", _("Solicitud pendiente")
    INVITED = "invited", _("Invitación pendiente")


ACTIVE_GROUP_ROLES = (GroupRole.ADMIN, GroupRole.MODERATOR, GroupRole.MEMBER)
GROUP_STAFF_ROLES = (GroupRole.ADMIN, GroupRole.MODERATOR)


class GroupNotify(models.TextChoices):
    ALL = "all", _("Todo")
    MENTIONS_ONLY = "mentions_only", _("Solo menciones")
    NONE = "none", _("Nada")


class GroupMember(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="group_memberships")
    role = models.CharField(max_length=20, choices=GroupRole.choices, default=GroupRole.MEMBER)
    notification_preference = models.CharField(max_length=20, choices=GroupNotify.choices, default=GroupNotify.ALL)
    join_answers = models.JSONField(default=list, blank=True)
    invited_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    posts_count = models.PositiveIntegerField(default=0)
    joined_at = models.DateTimeField(default=timezone.now)
    last_active_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["group", "user"], name="group_member_unique")]
        indexes = [
            models.Index(fields=["user", "role"], name="groupmember_user_idx"),
            models.Index(fields=["group", "role"], name="groupmember_group_role_idx"),
        ]

    def __str__(self):
        return f"{self.user_id} en {self.group_id} ({self.role})"


# ---------------------------------------------------------------------------------------
# family circles (seed 000 ``family_circles``, ``family_circle_members``)


class FamilyCircle(models.Model):
    name = models.CharField(_("nombre"), max_length=120)
    description = models.TextField(_("descripción"), max_length=1000, blank=True)
    owner = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="owned_circles")
    share_progress_automatically = models.BooleanField(_("compartir mi progreso automáticamente"), default=True)
    share_achievements = models.BooleanField(_("compartir mis logros"), default=True)
    share_meal_logs = models.BooleanField(_("compartir mis comidas"), default=False)
    family_goals = models.JSONField(default=list, blank=True)  # [{"title", "target", "done"}]
    recipes = models.ManyToManyField("nutrition.Recipe", blank=True, related_name="family_circles")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("círculo familiar")
        verbose_name_plural = _("círculos familiares")

    def __str__(self):
        return self.name


class CircleRole(models.TextChoices):
    OWNER = "owner", _("Dueño(a)")
    FAMILY_MEMBER = "family_member", _("Familiar")
    NUTRITIONIST = "nutritionist", _("Nutriólogo(a)")
    SUPPORT_FRIEND = "support_friend", _("Amigo(a) de apoyo")


class CircleMemberStatus(models.TextChoices):
    INVITED = "invited", _("Invitación pendiente")
    ACTIVE = "active", _("Activo")


class FamilyCircleMember(models.Model):
    circle = models.ForeignKey(FamilyCircle, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="circle_memberships")
    role = models.CharField(max_length=20, choices=CircleRole.choices, default=CircleRole.FAMILY_MEMBER)
    status = models.CharField(max_length=10, choices=CircleMemberStatus.choices, default=CircleMemberStatus.ACTIVE)
    relationship = models.CharField(_("parentesco"), max_length=50, blank=True)
    can_view_progress = models.BooleanField(default=True)
    can_view_meal_log = models.BooleanField(default=True)
    can_post = models.BooleanField(default=True)
    can_comment = models.BooleanField(default=True)
    can_give_encouragement = models.BooleanField(default=True)
    invited_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    joined_at = models.DateTimeField(default=timezone.now)
    last_active_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["circle", "user"], name="circle_member_unique")]
        indexes = [models.Index(fields=["user", "status"], name="circlemember_user_idx")]

    def __str__(self):
        return f"{self.user_id} en círculo {self.circle_id} ({self.role})"


# ---------------------------------------------------------------------------------------
# moderation


class ReportReason(models.TextChoices):
    SPAM = "spam", _("Spam o publicidad")
    HARASSMENT = "harassment", _("Acoso o lenguaje de odio")
    MISINFORMATION = "misinformation", _("Información de salud falsa o peligrosa")
    EATING_DISORDER = "eating_disorder", _("Promueve trastornos alimentarios")
    INAPPROPRIATE = "inappropriate", _("Contenido inapropiado")
    PRIVACY = "privacy", _("Expone datos personales")
    OTHER = "other", _("Otro motivo")


class ReportStatus(models.TextChoices):
    OPEN = "open", _("Pendiente")
    ACTIONED = "actioned", _("Atendido")
    DISMISSED = "dismissed", _("Descartado")


class Report(models.Model):
    """A person's report of a post or a comment. One open report per reporter and object."""

    reporter = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="social_reports")
    post = models.ForeignKey(Post, null=True, blank=True, on_delete=models.CASCADE, related_name="reports")
    comment = models.ForeignKey(Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="reports")
    reason = models.CharField(max_length=30, choices=ReportReason.choices)
    details = models.CharField(max_length=1000, blank=True)
    status = models.CharField(max_length=20, choices=ReportStatus.choices, default=ReportStatus.OPEN)
    action = models.CharField(max_length=20, blank=True)  # hide, restore, remove, dismiss
    resolved_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(post__isnull=False) & Q(comment__isnull=True))
                | (Q(post__isnull=True) & Q(comment__isnull=False)),
                name="report_one_target",
            ),
            models.UniqueConstraint(fields=["reporter", "post"], condition=Q(post__isnull=False), name="report_post_once"),
            models.UniqueConstraint(
                fields=["reporter", "comment"], condition=Q(comment__isnull=False), name="report_comment_once"
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="report_status_idx")]

    def __str__(self):
        return f"Reporte #{self.pk} ({self.reason}, {self.status})"
