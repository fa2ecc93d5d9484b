"""Moderation: people report posts and comments; moderators hide, restore, remove or dismiss.

* :func:`report_create` — only on what the reporter can see (else 404), never their own; one
  report per person and object (a second call returns the first); 20 per hour. The third
  distinct open report on a post hides it at once, pending review: every feed, search and
  profile filters non-approved posts through ``social.rules``, so it disappears everywhere on
  the next request.
* :func:`post_moderate` / :func:`comment_moderate` — staff on anything, a group's admins and
  moderators on their groups' posts and comments (everyone else: 404). Each action resolves
  the object's open reports, tells every reporter what happened (never who decided) and
  tells the author when their post or comment was hidden or removed, with the reason.

The page and the API call these same functions.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from social import rules
from social.models import (
    Comment,
    Group,
    ModerationStatus,
    Post,
    Report,
    ReportReason,
    ReportStatus,
)
from social.selectors.moderation import (
    AUTO_HIDE_REASON,
    SPAM_HOLD,
    ModerationNotFound,
    moderator_scope,
)
from social.services.common import limit_check, notify_social
from social.text import clean_text

AUTO_HIDE_REPORTS = 3
MAX_DETAILS = 1000
MAX_NOTES = 2000


class Action:
    HIDE = "hide"
    RESTORE = "restore"
    REMOVE = "remove"
    DISMISS = "dismiss"
    ALL = ("hide", "restore", "remove", "dismiss")


__all__ = [
    "AUTO_HIDE_REPORTS",
    "Action",
    "ModerationNotFound",
    "ModerationResult",
    "comment_moderate",
    "post_moderate",
    "report_create",
]


def _post_url(post_id) -> str:
    try:
        return reverse("social:post", args=[post_id])
    except NoReverseMatch:  # the post page is not wired yet
        return ""


def _in_language_of(user):
    return translation.override(getattr(user, "language", "") or settings.LANGUAGE_CODE)


# ---------------------------------------------------------------------------------------
# reports


def _reportable_post(*, actor, post_id) -> Post:
    pk = rules.id_parse(post_id)
    post = Post.objects.select_for_update(of=("self",)).select_related("group").filter(pk=pk).first() if pk else None
    if post is None or not rules.post_visible_to(rules.audience_for(actor), post):
        raise rules.PostNotFound()
    return post


def _reportable_comment(*, actor, comment_id) -> Comment:
    pk = rules.id_parse(comment_id)
    comment = (
        Comment.objects.select_for_update(of=("self",)).select_related("post", "post__group").filter(pk=pk).first()
        if pk else None
    )
    if comment is None or comment.is_deleted:
        raise rules.CommentNotFound()
    audience = rules.audience_for(actor)
    if comment.author_id in audience.blocked or not rules.post_visible_to(audience, comment.post):
        raise rules.CommentNotFound()
    if comment.moderation_status != ModerationStatus.APPROVED and comment.author_id != actor.pk:
        raise rules.CommentNotFound()
    return comment


@transaction.atomic
def report_create(*, actor, post_id=None, comment_id=None, reason: str = "", details: str = "") -> Report:
    """Report a post or a comment the reporter can see. Returns the report; a second report of
    the same object by the same person returns the first (``report.replayed`` is True).

    Raises ``PostNotFound`` / ``CommentNotFound`` (not visible: 404), ValidationError (reason,
    details, own content) or ``SocialRateLimited`` (20 reports per hour).
    """
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise rules.PostNotFound()
    if (post_id in (None, "")) == (comment_id in (None, "")):
        raise ValidationError(
            {"post_id": [_("Indica la publicación o el comentario que reportas (solo uno).")]}, code="invalid"
        )
    if reason not in ReportReason.values:
        raise ValidationError({"reason": [_("Elige un motivo de la lista.")]}, code="invalid_choice")
    details = clean_text(details, field="details", max_length=MAX_DETAILS)
    if post_id not in (None, ""):
        target = _reportable_post(actor=actor, post_id=post_id)
        lookup = {"post": target}
        own = _("No puedes reportar tu propia publicación.")
    else:
        target = _reportable_comment(actor=actor, comment_id=comment_id)
        lookup = {"comment": target}
        own = _("No puedes reportar tu propio comentario.")
    if target.author_id == actor.pk:
        raise ValidationError(own, code="CANNOT_REPORT_OWN")
    existing = Report.objects.filter(reporter=actor, **lookup).first()
    if existing is not None:
        existing.replayed = True
        return existing
    limit_check(actor, "report")
    try:
        with transaction.atomic():
            report = Report.objects.create(reporter=actor, reason=reason, details=details, **lookup)
    except IntegrityError:  # the same person, twice at once
        report = Report.objects.get(reporter=actor, **lookup)
        report.replayed = True
        return report
    report.replayed = False
    type(target).objects.filter(pk=target.pk).update(flag_count=F("flag_count") + 1)
    if isinstance(target, Post):
        _auto_hide(target)
    else:
        _auto_hide_comment(target)
    return report


def _auto_hide_comment(comment: Comment) -> None:
    """The third distinct open report hides a comment too (its thread stays readable) until a
    moderator decides; the post's viewers see the thread refresh."""
    if comment.moderation_status != ModerationStatus.APPROVED:
        return
    if Report.objects.filter(comment=comment, status=ReportStatus.OPEN).count() < AUTO_HIDE_REPORTS:
        return
    Comment.objects.filter(pk=comment.pk, moderation_status=ModerationStatus.APPROVED).update(
        moderation_status=ModerationStatus.HIDDEN, moderation_reason=AUTO_HIDE_REASON, moderated_at=timezone.now()
    )


def _auto_hide(post: Post) -> None:
    """The third distinct open report hides an approved post until a moderator decides."""
    if post.moderation_status != ModerationStatus.APPROVED:
        return
    if Report.objects.filter(post=post, status=ReportStatus.OPEN).count() < AUTO_HIDE_REPORTS:
        return
    changed = Post.objects.filter(pk=post.pk, moderation_status=ModerationStatus.APPROVED).update(
        moderation_status=ModerationStatus.HIDDEN, moderation_reason=AUTO_HIDE_REASON, moderated_at=timezone.now()
    )
    if not changed:
        return
    post.moderation_status = ModerationStatus.HIDDEN
    post.moderation_reason = AUTO_HIDE_REASON
    _group_count(post, -1)
    _retract(post)
    with _in_language_of(post.author):
        notify_social(
            post.author,
            "post_under_review",
            _("Tu publicación está en revisión"),
            body=_("Varias personas la reportaron. La ocultamos mientras nuestro equipo la revisa."),
            link=_post_url(post.pk),
            data={"post_id": post.pk},
        )


# ---------------------------------------------------------------------------------------
# moderator actions


@dataclass
class ModerationResult:
    action: str
    kind: str  # "post" or "comment"
    post: Post | None = None
    comment: Comment | None = None
    reports_resolved: int = 0

    @property
    def target(self):
        return self.post if self.kind == "post" else self.comment


_STATUS_FOR = {
    Action.HIDE: ModerationStatus.HIDDEN,
    Action.REMOVE: ModerationStatus.REMOVED,
    Action.RESTORE: ModerationStatus.APPROVED,
}
_REPORT_STATUS_FOR = {
    Action.HIDE: ReportStatus.ACTIONED,
    Action.REMOVE: ReportStatus.ACTIONED,
    Action.RESTORE: ReportStatus.DISMISSED,
    Action.DISMISS: ReportStatus.DISMISSED,
}


def _clean_action(action) -> str:
    if action not in Action.ALL:
        raise ValidationError({"action": [_("Acción no válida.")]}, code="invalid_choice")
    return action


def _group_count(post: Post, delta: int) -> None:
    """Keep ``Group.post_count`` to the group's approved posts."""
    if not post.group_id:
        return
    qs = Group.objects.filter(pk=post.group_id)
    if delta < 0:
        qs.filter(post_count__gt=0).update(post_count=F("post_count") - 1)
    else:
        qs.update(post_count=F("post_count") + 1)


def _retract(post: Post) -> None:
    """Take the post's id out of the timelines in Redis too (reads already filter it)."""
    from social.tasks import post_retract

    snapshot = {
        "author_id": post.author_id,
        "visibility": post.visibility,
        "group_id": post.group_id,
        "family_circle_id": post.family_circle_id,
    }
    transaction.on_commit(lambda: post_retract.delay(post.pk, snapshot))


def _resolve_reports(*, lookup: dict, action: str, actor) -> list[Report]:
    reports = list(Report.objects.select_related("reporter").filter(status=ReportStatus.OPEN, **lookup))
    if reports:
        Report.objects.filter(pk__in=[r.pk for r in reports]).update(
            status=_REPORT_STATUS_FOR[action], action=action, resolved_by=actor, resolved_at=timezone.now()
        )
    return reports


def _reporter_message(*, kind: str, action: str) -> tuple[str, str]:
    """(title, body) for a reporter; the moderator is never named."""
    if kind == "post":
        titles = {
            Action.HIDE: _("Revisamos tu reporte: ocultamos la publicación"),
            Action.REMOVE: _("Revisamos tu reporte: eliminamos la publicación"),
            Action.RESTORE: _("Revisamos tu reporte: la publicación no infringe las normas"),
            Action.DISMISS: _("Revisamos tu reporte: la publicación no infringe las normas"),
        }
    else:
        titles = {
            Action.HIDE: _("Revisamos tu reporte: ocultamos el comentario"),
            Action.REMOVE: _("Revisamos tu reporte: eliminamos el comentario"),
            Action.RESTORE: _("Revisamos tu reporte: el comentario no infringe las normas"),
            Action.DISMISS: _("Revisamos tu reporte: el comentario no infringe las normas"),
        }
    if action in (Action.HIDE, Action.REMOVE):
        body = _("Gracias por ayudarnos a cuidar a la comunidad. Ya nadie más podrá verlo.")
    else:
        body = _("Gracias por avisarnos. Lo revisamos y se queda publicado. Si ves algo más, repórtalo.")
    return titles[action], body


def _reason_label(reports: list[Report]) -> str:
    counted = Counter(r.reason for r in reports)
    if not counted:
        return str(_("Infringe las normas de la comunidad"))
    code = counted.most_common(1)[0][0]
    return str(ReportReason(code).label) if code in ReportReason.values else code


def _inform(*, kind: str, action: str, target, post: Post, reports: list[Report]) -> None:
    data = {"post_id": post.pk, "action": action}
    if kind == "comment":
        data["comment_id"] = target.pk
    link = _post_url(post.pk) if action in (Action.RESTORE, Action.DISMISS) else ""
    for report in reports:
        with _in_language_of(report.reporter):
            title, body = _reporter_message(kind=kind, action=action)
            notify_social(report.reporter, "report_resolved", title, body=body, link=link,
                          data={**data, "report_id": report.pk})
    if action not in (Action.HIDE, Action.REMOVE):
        return
    author = target.author
    with _in_language_of(author):
        reason = _reason_label(reports)
        if kind == "post":
            title = _("Ocultamos tu publicación") if action == Action.HIDE else _("Eliminamos tu publicación")
            link = _post_url(post.pk) if action == Action.HIDE else ""
        else:
            title = _("Ocultamos tu comentario") if action == Action.HIDE else _("Eliminamos tu comentario")
            link = ""
        body = _("Motivo: %(reason)s. Revisa las normas de la comunidad.") % {"reason": reason}
        notify_social(author, "content_moderated", title, body=body, link=link, data=data)


def _moderated_post(*, scope, post_id) -> Post:
    pk = rules.id_parse(post_id)
    post = (
        Post.objects.select_for_update(of=("self",)).select_related("author", "group")
        .filter(pk=pk, deleted_at__isnull=True).first()
        if pk else None
    )
    if post is None or not scope.covers_post(post):
        raise rules.PostNotFound()
    # Spam holds of new accounts are a staff matter (group moderators do not see them).
    if not scope.is_staff and post.moderation_status == ModerationStatus.PENDING and post.moderation_reason == SPAM_HOLD:
        raise rules.PostNotFound()
    return post


@transaction.atomic
def post_moderate(*, actor, post_id, action: str, notes: str = "") -> ModerationResult:
    """Hide, restore (approve), remove or dismiss the reports of a post.

    ``restore`` of a held post publishes it (fan-out to its audience, mentions). Raises
    ``ModerationNotFound`` / ``PostNotFound`` (404) or ValidationError.
    """
    scope = moderator_scope(actor=actor)
    action = _clean_action(action)
    notes = clean_text(notes, field="notes", max_length=MAX_NOTES)
    post = _moderated_post(scope=scope, post_id=post_id)
    old = post.moderation_status
    now = timezone.now()
    fields = ["moderated_by", "moderated_at", "updated_at"]
    post.moderated_by = actor
    post.moderated_at = now
    if notes:
        post.moderation_notes = notes
        fields.append("moderation_notes")
    new = _STATUS_FOR.get(action, old)
    if action == Action.DISMISS and old == ModerationStatus.HIDDEN and post.moderation_reason == "report":
        # The reports that hid it automatically were unfounded: dismissing them brings it back.
        new = ModerationStatus.APPROVED
    if new != old:
        post.moderation_status = new
        fields.append("moderation_status")
        if new == ModerationStatus.APPROVED:
            post.moderation_reason = ""
            fields.append("moderation_reason")
    if action in (Action.HIDE, Action.REMOVE):
        post.moderation_reason = "moderator"  # a decision, no longer just the reports' automatic hold
        if "moderation_reason" not in fields:
            fields.append("moderation_reason")
    post.save(update_fields=fields)
    if new != old:
        if old == ModerationStatus.APPROVED:  # leaves its group's count and the timelines
            _group_count(post, -1)
            _retract(post)
        elif new == ModerationStatus.APPROVED:
            if old == ModerationStatus.PENDING:
                from social.services.posts import post_publish_approved

                post_publish_approved(post=post)
            else:
                _group_count(post, +1)
                _fanout(post)
    reports = _resolve_reports(lookup={"post": post}, action=action, actor=actor)
    _inform(kind="post", action=action, target=post, post=post, reports=reports)
    return ModerationResult(action=action, kind="post", post=post, reports_resolved=len(reports))


def _fanout(post: Post) -> None:
    from social.tasks import post_fanout

    transaction.on_commit(lambda: post_fanout.delay(post.pk))


@transaction.atomic
def comment_moderate(*, actor, comment_id, action: str, notes: str = "") -> ModerationResult:
    """Hide, restore, remove or dismiss the reports of a comment; who decided, when and the
    notes are kept on the comment as on a post."""
    scope = moderator_scope(actor=actor)
    action = _clean_action(action)
    notes = clean_text(notes, field="notes", max_length=MAX_NOTES)
    pk = rules.id_parse(comment_id)
    comment = (
        Comment.objects.select_for_update(of=("self",)).select_related("author", "post", "post__group")
        .filter(pk=pk, is_deleted=False, post__deleted_at__isnull=True).first()
        if pk else None
    )
    if comment is None or not scope.covers_post(comment.post):
        raise rules.CommentNotFound()
    old = comment.moderation_status
    new = _STATUS_FOR.get(action, old)
    if action == Action.DISMISS and old == ModerationStatus.HIDDEN and comment.moderation_reason == AUTO_HIDE_REASON:
        new = ModerationStatus.APPROVED  # the reports that hid it were unfounded
    comment.moderation_status = new
    comment.moderated_by = actor
    comment.moderated_at = timezone.now()
    if new == ModerationStatus.APPROVED:
        comment.moderation_reason = ""
    elif action in (Action.HIDE, Action.REMOVE):
        comment.moderation_reason = "moderator"
    if notes:
        comment.moderation_notes = notes
    comment.save(update_fields=["moderation_status", "moderation_reason", "moderated_by", "moderated_at",
                                "moderation_notes"])
    reports = _resolve_reports(lookup={"comment": comment}, action=action, actor=actor)
    _inform(kind="comment", action=action, target=comment, post=comment.post, reports=reports)
    return ModerationResult(action=action, kind="comment", comment=comment, post=comment.post,
                            reports_resolved=len(reports))
