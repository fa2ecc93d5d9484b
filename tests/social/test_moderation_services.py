"""Moderation services: reporting (visibility, own content, idempotence, limits, auto-hide),
moderator actions (scope, effects on feeds, what reporters and authors are told) and the queue."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import Notification
from social import rules
from social.models import (
    Block,
    Comment,
    Follow,
    Group,
    GroupMember,
    GroupRole,
    ModerationStatus,
    Post,
    Report,
    ReportStatus,
)
from social.selectors import moderation as selectors
from social.services import moderation as services
from social.services.common import SocialRateLimited
from social.services.posts import post_create

pytestmark = pytest.mark.django_db


def make_post(author, body="Mi desayuno de hoy: avena con fruta", **kw):
    return post_create(actor=author, body=body, enforce_limit=False, **kw)


def make_comment(post, author, body="Qué rico se ve"):
    Post.objects.filter(pk=post.pk).update(comments_count=post.comments_count + 1)
    return Comment.objects.create(post=post, author=author, body=body)


def make_group(creator, name="Diabetes tipo 2 CDMX"):
    group = Group.objects.create(name=name, slug=name.lower().replace(" ", "-"), created_by=creator)
    GroupMember.objects.create(group=group, user=creator, role=GroupRole.ADMIN)
    return group


def join(group, user, role=GroupRole.MEMBER):
    return GroupMember.objects.create(group=group, user=user, role=role)


@pytest.fixture
def author(make_user):
    return make_user(first_name="Alma", last_name="Autora")


@pytest.fixture
def staff(make_user):
    return make_user(is_staff=True, first_name="Sara", last_name="Staff")


def visible_ids(viewer):
    return set(rules.visible_posts(rules.audience_for(viewer)).values_list("pk", flat=True))


# ---------------------------------------------------------------------------------------
# reporting


def test_report_counts_flag_and_is_idempotent(author, user):
    post = make_post(author)
    first = services.report_create(actor=user, post_id=post.pk, reason="spam", details="Vende pastillas")
    again = services.report_create(actor=user, post_id=post.pk, reason="harassment", details="otra vez")
    assert again.pk == first.pk and again.replayed and first.replayed is False
    assert Report.objects.filter(post=post).count() == 1
    post.refresh_from_db()
    assert post.flag_count == 1
    assert Report.objects.get().reason == "spam"


def test_cannot_report_what_you_cannot_see(author, user, other_user):
    followers_only = make_post(author, visibility="followers")
    with pytest.raises(rules.PostNotFound):
        services.report_create(actor=user, post_id=followers_only.pk, reason="spam")
    public = make_post(author)
    Block.objects.create(blocker=author, blocked=other_user)
    with pytest.raises(rules.PostNotFound):
        services.report_create(actor=other_user, post_id=public.pk, reason="spam")
    with pytest.raises(rules.PostNotFound):
        services.report_create(actor=user, post_id=999999, reason="spam")
    assert not Report.objects.exists()


def test_cannot_report_own_post_nor_comment(author, user):
    post = make_post(author)
    with pytest.raises(ValidationError) as exc:
        services.report_create(actor=author, post_id=post.pk, reason="spam")
    assert exc.value.code == "CANNOT_REPORT_OWN"
    comment = make_comment(post, user)
    with pytest.raises(ValidationError):
        services.report_create(actor=user, comment_id=comment.pk, reason="spam")


def test_report_validation(author, user):
    post = make_post(author)
    with pytest.raises(ValidationError) as exc:
        services.report_create(actor=user, post_id=post.pk, reason="no-such-reason")
    assert "reason" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.report_create(actor=user, reason="spam")  # neither post nor comment
    comment = make_comment(post, author)
    with pytest.raises(ValidationError):
        services.report_create(actor=user, post_id=post.pk, comment_id=comment.pk, reason="spam")


def test_report_details_are_plain_text(author, user):
    post = make_post(author)
    report = services.report_create(actor=user, post_id=post.pk, reason="other",
                                    details="<script>alert(1)</script>Miente sobre la insulina")
    assert "<script" not in report.details and "Miente sobre la insulina" in report.details


def test_comment_report_counts_on_the_comment(author, user):
    post = make_post(author)
    comment = make_comment(post, author, "Deja de comer por tres días")
    services.report_create(actor=user, comment_id=comment.pk, reason="eating_disorder")
    comment.refresh_from_db()
    assert comment.flag_count == 1


def test_twenty_reports_an_hour_then_rate_limited(make_user, author, user):
    posts = [make_post(author, body=f"Receta número {i}") for i in range(21)]
    for post in posts[:20]:
        services.report_create(actor=user, post_id=post.pk, reason="spam")
    with pytest.raises(SocialRateLimited):
        services.report_create(actor=user, post_id=posts[20].pk, reason="spam")
    # the same object again is still answered (idempotent, not counted)
    assert services.report_create(actor=user, post_id=posts[0].pk, reason="spam").replayed


def test_third_report_hides_the_post_everywhere_at_once(make_user, author):
    post = make_post(author, body="Toma este té y baja 10 kilos")
    reporters = [make_user() for _ in range(3)]
    services.report_create(actor=reporters[0], post_id=post.pk, reason="misinformation")
    services.report_create(actor=reporters[1], post_id=post.pk, reason="misinformation")
    post.refresh_from_db()
    assert post.moderation_status == ModerationStatus.APPROVED
    assert post.pk in visible_ids(reporters[2])
    services.report_create(actor=reporters[2], post_id=post.pk, reason="spam")
    post.refresh_from_db()
    assert (post.moderation_status, post.moderation_reason, post.flag_count) == ("hidden", "report", 3)
    bystander = make_user()
    assert post.pk not in visible_ids(bystander)
    assert post.pk not in visible_ids(reporters[0])
    assert post.pk in visible_ids(author)  # the author still sees it (with the banner)
    assert Notification.objects.filter(user=author, kind="post_under_review").exists()


# ---------------------------------------------------------------------------------------
# actions


def test_hide_resolves_reports_and_informs_reporters_without_naming_the_moderator(make_user, author, staff):
    post = make_post(author)
    a, b = make_user(), make_user()
    services.report_create(actor=a, post_id=post.pk, reason="harassment")
    services.report_create(actor=b, post_id=post.pk, reason="harassment")
    result = services.post_moderate(actor=staff, post_id=post.pk, action="hide", notes="Insultos a otra usuaria")
    assert result.reports_resolved == 2
    post.refresh_from_db()
    assert post.moderation_status == "hidden" and post.moderated_by == staff and post.moderated_at
    assert post.moderation_notes == "Insultos a otra usuaria"
    for report in Report.objects.filter(post=post):
        assert (report.status, report.action, report.resolved_by) == ("actioned", "hide", staff)
        assert report.resolved_at is not None
    for reporter in (a, b):
        note = Notification.objects.get(user=reporter, kind="report_resolved")
        assert note.title.startswith("Revisamos tu reporte")
        assert "ocultamos" in note.title
        assert staff.first_name not in note.title + note.body and staff.username not in note.title + note.body
        assert "resolved_by" not in note.data
    to_author = Notification.objects.get(user=author, kind="content_moderated")
    assert to_author.title == "Ocultamos tu publicación"
    assert "Acoso o lenguaje de odio" in to_author.body  # the reason label
    assert post.pk not in visible_ids(a) and post.pk in visible_ids(author)


def test_remove_and_dismiss(make_user, author, staff):
    removed = make_post(author, body="Uno")
    kept = make_post(author, body="Dos")
    reporter = make_user()
    services.report_create(actor=reporter, post_id=removed.pk, reason="spam")
    services.report_create(actor=reporter, post_id=kept.pk, reason="spam")
    services.post_moderate(actor=staff, post_id=removed.pk, action="remove")
    services.post_moderate(actor=staff, post_id=kept.pk, action="dismiss")
    removed.refresh_from_db()
    kept.refresh_from_db()
    assert removed.moderation_status == "removed"
    assert kept.moderation_status == "approved" and kept.moderated_by == staff
    assert Report.objects.get(post=kept).status == ReportStatus.DISMISSED
    titles = set(Notification.objects.filter(user=reporter, kind="report_resolved").values_list("title", flat=True))
    assert titles == {"Revisamos tu reporte: eliminamos la publicación",
                      "Revisamos tu reporte: la publicación no infringe las normas"}
    assert list(Notification.objects.filter(user=author, kind="content_moderated").values_list("title", flat=True)) == [
        "Eliminamos tu publicación"]
    assert removed.pk not in visible_ids(reporter) and kept.pk in visible_ids(reporter)


def test_restore_an_auto_hidden_post(make_user, author, staff):
    post = make_post(author)
    reporters = [make_user() for _ in range(3)]
    for r in reporters:
        services.report_create(actor=r, post_id=post.pk, reason="spam")
    services.post_moderate(actor=staff, post_id=post.pk, action="restore")
    post.refresh_from_db()
    assert (post.moderation_status, post.moderation_reason) == ("approved", "")
    assert post.pk in visible_ids(reporters[0])
    assert set(Report.objects.filter(post=post).values_list("status", flat=True)) == {"dismissed"}


def test_restore_of_spam_hold_publishes(make_user, staff, django_capture_on_commit_callbacks):
    from social.selectors.posts import feed_page

    newcomer = make_user()
    follower = make_user()
    Follow.objects.create(follower=follower, followee=newcomer)
    post = make_post(newcomer)
    Post.objects.filter(pk=post.pk).update(moderation_status="pending", moderation_reason="spam_hold")
    assert post.pk not in visible_ids(follower)
    assert post.pk not in [p.pk for p in feed_page(viewer=follower).posts]
    queue = selectors.moderation_queue(actor=staff)
    assert [(i.kind, i.object_id, i.held) for i in queue] == [("post", post.pk, True)]
    with django_capture_on_commit_callbacks(execute=True):
        services.post_moderate(actor=staff, post_id=post.pk, action="restore")
    post.refresh_from_db()
    assert post.moderation_status == "approved" and post.pk in visible_ids(follower)
    assert post.pk in [p.pk for p in feed_page(viewer=follower).posts]
    assert len(selectors.moderation_queue(actor=staff)) == 0


def test_comment_actions(make_user, author, staff):
    post = make_post(author)
    commenter = make_user()
    comment = make_comment(post, commenter, "Eres una gorda")
    services.report_create(actor=author, comment_id=comment.pk, reason="harassment")
    result = services.comment_moderate(actor=staff, comment_id=comment.pk, action="remove")
    comment.refresh_from_db()
    assert comment.moderation_status == "removed" and result.reports_resolved == 1
    assert Notification.objects.get(user=author, kind="report_resolved").title == (
        "Revisamos tu reporte: eliminamos el comentario")
    assert Notification.objects.get(user=commenter, kind="content_moderated").title == "Eliminamos tu comentario"


def test_non_moderators_get_not_found(author, user):
    post = make_post(author)
    with pytest.raises(selectors.ModerationNotFound):
        services.post_moderate(actor=user, post_id=post.pk, action="hide")
    with pytest.raises(selectors.ModerationNotFound):
        selectors.moderation_queue(actor=user)
    post.refresh_from_db()
    assert post.moderation_status == "approved"


def test_invalid_action(author, staff):
    post = make_post(author)
    with pytest.raises(ValidationError):
        services.post_moderate(actor=staff, post_id=post.pk, action="ban")


# ---------------------------------------------------------------------------------------
# group moderators


def test_group_moderator_sees_and_acts_only_in_their_groups(make_user, author, staff):
    owner = make_user()
    diabetes = make_group(owner, "Diabetes CDMX")
    runners = make_group(owner, "Corredores GDL")
    mod = make_user(first_name="Mario", last_name="Moderador")
    join(diabetes, mod, GroupRole.MODERATOR)
    join(diabetes, author)
    join(runners, author)
    inside = make_post(author, body="En el grupo", visibility="group", group_id=diabetes.pk)
    outside = make_post(author, body="En otro grupo", visibility="group", group_id=runners.pk)
    public = make_post(author, body="Pública")
    reporter = make_user()
    join(diabetes, reporter)
    join(runners, reporter)
    for post in (inside, outside, public):
        services.report_create(actor=reporter, post_id=post.pk, reason="spam")
    comment = make_comment(outside, owner, "comentario fuera")
    services.report_create(actor=reporter, comment_id=comment.pk, reason="spam")
    held = make_post(make_user(), body="spam")
    Post.objects.filter(pk=held.pk).update(moderation_status="pending", moderation_reason="spam_hold")

    mine = selectors.moderation_queue(actor=mod)
    assert [(i.kind, i.object_id) for i in mine] == [("post", inside.pk)]
    everything = selectors.moderation_queue(actor=staff)
    assert {(i.kind, i.object_id) for i in everything} == {
        ("post", inside.pk), ("post", outside.pk), ("post", public.pk), ("comment", comment.pk), ("post", held.pk)}

    for post in (outside, public, held):
        with pytest.raises(rules.PostNotFound):
            services.post_moderate(actor=mod, post_id=post.pk, action="hide")
    with pytest.raises(rules.CommentNotFound):
        services.comment_moderate(actor=mod, comment_id=comment.pk, action="hide")
    assert Post.objects.get(pk=outside.pk).moderation_status == "approved"
    services.post_moderate(actor=mod, post_id=inside.pk, action="hide")
    assert Post.objects.get(pk=inside.pk).moderation_status == "hidden"


def test_queue_groups_reports_by_object_with_reason_counts(make_user, author, staff):
    post = make_post(author)
    older = make_post(author, body="Antes")
    Report.objects.create(reporter=make_user(), post=older, reason="spam",
                          created_at=timezone.now() - timedelta(days=1))
    for reason in ("spam", "spam", "misinformation"):
        services.report_create(actor=make_user(), post_id=post.pk, reason=reason, details=f"por {reason}")
    items = list(selectors.moderation_queue(actor=staff))
    assert [i.object_id for i in items] == [older.pk, post.pk]  # oldest first
    item = items[1]
    assert item.reporters_count == 3
    assert [(code, n) for code, _label, n in item.reasons] == [("spam", 2), ("misinformation", 1)]
    assert len(item.details) == 3
    assert item.auto_hidden


def test_queue_page_loads_in_fixed_queries(make_user, author, staff, django_assert_max_num_queries):
    reporter = make_user()
    for i in range(6):
        post = make_post(author, body=f"Post {i}")
        services.report_create(actor=reporter, post_id=post.pk, reason="spam")
        comment = make_comment(post, author, f"Comentario {i}")
        services.report_create(actor=reporter, comment_id=comment.pk, reason="spam")
    queue = selectors.moderation_queue(actor=staff)
    with django_assert_max_num_queries(8):
        assert len(queue) == 12
        page = queue[0:10]
        assert len(page) == 10 and all(i.reasons for i in page)


def test_dismissing_the_reports_that_auto_hid_a_post_brings_it_back(make_user, author, staff):
    post = make_post(author)
    reporters = [make_user() for _ in range(3)]
    for r in reporters:
        services.report_create(actor=r, post_id=post.pk, reason="misinformation")
    assert post.pk not in visible_ids(reporters[0])
    services.post_moderate(actor=staff, post_id=post.pk, action="dismiss")
    post.refresh_from_db()
    assert (post.moderation_status, post.moderation_reason) == ("approved", "")
    assert post.pk in visible_ids(reporters[0])
    # a post a moderator hid on purpose stays hidden when later reports are dismissed
    hidden = make_post(author, body="Tres")
    services.post_moderate(actor=staff, post_id=hidden.pk, action="hide")
    services.post_moderate(actor=staff, post_id=hidden.pk, action="dismiss")
    hidden.refresh_from_db()
    assert hidden.moderation_status == "hidden"


def test_third_report_hides_a_comment_and_the_decision_is_recorded(make_user, author, staff):
    from social.selectors.posts import comments_tree
    from social.services.interactions import comment_create

    post = make_post(author)
    troll = make_user(first_name="Trol")
    reply = make_user(first_name="Responde")
    comment = comment_create(actor=troll, post_id=post.pk, content="comentario grosero")
    comment_create(actor=reply, post_id=post.pk, content="no digas eso", parent_comment_id=comment.pk)
    reporters = [make_user() for _ in range(3)]
    for r in reporters:
        services.report_create(actor=r, comment_id=comment.pk, reason="harassment")
    comment.refresh_from_db()
    assert (comment.moderation_status, comment.moderation_reason, comment.flag_count) == ("hidden", "report", 3)
    tree = comments_tree(viewer=reporters[0], post=post)
    assert tree[0].is_hidden and tree[0].children[0].body == "no digas eso"  # the thread stays readable
    services.comment_moderate(actor=staff, comment_id=comment.pk, action="remove", notes="Insulto directo")
    comment.refresh_from_db()
    assert (comment.moderation_status, comment.moderation_reason) == ("removed", "moderator")
    assert comment.moderated_by == staff and comment.moderated_at and comment.moderation_notes == "Insulto directo"
    # unfounded reports on another comment: dismissing them brings it back
    other = comment_create(actor=reply, post_id=post.pk, content="opinión distinta pero respetuosa")
    for r in reporters:
        services.report_create(actor=r, comment_id=other.pk, reason="spam")
    services.comment_moderate(actor=staff, comment_id=other.pk, action="dismiss")
    other.refresh_from_db()
    assert (other.moderation_status, other.moderation_reason) == ("approved", "")
