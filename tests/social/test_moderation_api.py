"""Moderation API: POST /reports, the queue and the actions (404 for non-moderators), 429
after 20 reports an hour."""

import pytest
from rest_framework_simplejwt.tokens import AccessToken

from accounts.models import Notification
from social.models import Comment, Group, GroupMember, GroupRole, Post, Report
from social.services import moderation as services
from social.services.posts import post_create

pytestmark = pytest.mark.django_db
API = "/api/v1/"


def bearer(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {AccessToken.for_user(user)}"}


def make_post(author, body="Mi comida de hoy", **kw):
    return post_create(actor=author, body=body, enforce_limit=False, **kw)


@pytest.fixture
def author(make_user):
    return make_user(first_name="Alma", last_name="Autora")


@pytest.fixture
def staff(make_user):
    return make_user(is_staff=True)


def post_json(client, path, data, user):
    return client.post(API + path, data, content_type="application/json", **bearer(user))


def test_report_created_then_idempotent(client, author, user):
    post = make_post(author)
    first = post_json(client, "reports", {"post_id": post.pk, "reason": "spam", "details": "vende cosas"}, user)
    assert first.status_code == 201
    body = first.json()["report"]
    assert set(body) >= {"id", "reason", "status", "created_at"} and body["status"] == "open"
    again = post_json(client, "reports", {"post_id": post.pk, "reason": "spam"}, user)
    assert again.status_code == 200 and again.json()["report"]["id"] == body["id"]
    assert Report.objects.count() == 1


def test_report_errors(client, author, user):
    post = make_post(author)
    followers_only = make_post(author, visibility="followers")
    assert post_json(client, "reports", {"post_id": followers_only.pk, "reason": "spam"}, user).status_code == 404
    bad = post_json(client, "reports", {"post_id": post.pk, "reason": "nope"}, user)
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "VALIDATION_ERROR"
    assert "reason" in bad.json()["error"]["details"]
    own = post_json(client, "reports", {"post_id": post.pk, "reason": "spam"}, author)
    assert own.status_code == 400 and own.json()["error"]["code"] == "CANNOT_REPORT_OWN"
    assert client.post(API + "reports", {"post_id": post.pk, "reason": "spam"},
                       content_type="application/json").status_code == 401


def test_comment_report(client, author, user):
    post = make_post(author)
    comment = Comment.objects.create(post=post, author=author, body="hola")
    response = post_json(client, "reports", {"comment_id": comment.pk, "reason": "harassment"}, user)
    assert response.status_code == 201 and Report.objects.get().comment_id == comment.pk


def test_rate_limit_after_20_reports_an_hour(client, author, user):
    posts = [make_post(author, body=f"Receta {i}") for i in range(21)]
    for post in posts[:20]:
        assert post_json(client, "reports", {"post_id": post.pk, "reason": "spam"}, user).status_code == 201
    limited = post_json(client, "reports", {"post_id": posts[20].pk, "reason": "spam"}, user)
    assert limited.status_code == 429
    assert limited.json()["error"]["code"] == "RATE_LIMIT_EXCEEDED" and "Retry-After" in limited
    assert Report.objects.count() == 20


def test_queue_and_actions_for_staff(client, make_user, author, staff):
    post = make_post(author, body="<b>no es html</b> texto")
    reporters = [make_user(), make_user()]
    for r in reporters:
        services.report_create(actor=r, post_id=post.pk, reason="spam")
    queue = client.get(API + "moderation/queue", **bearer(staff))
    assert queue.status_code == 200
    body = queue.json()
    assert (body["total_results"], body["page"]) == (1, 1)
    item = body["results"][0]
    assert item["kind"] == "post" and item["id"] == post.pk and item["reporters_count"] == 2
    assert item["reasons"] == [{"reason": "spam", "label": "Spam o publicidad", "count": 2}]
    acted = post_json(client, f"moderation/posts/{post.pk}/remove", {"notes": "spam claro"}, staff)
    assert acted.status_code == 200
    assert acted.json()["post"]["moderation_status"] == "removed" and acted.json()["reports_resolved"] == 2
    for r in reporters:
        assert Notification.objects.filter(user=r, kind="report_resolved").count() == 1
    assert client.get(API + "moderation/queue", **bearer(staff)).json()["total_results"] == 0
    assert post_json(client, f"moderation/posts/{post.pk}/ban", {}, staff).status_code == 400


def test_comment_action(client, make_user, author, staff):
    post = make_post(author)
    comment = Comment.objects.create(post=post, author=make_user(), body="feo")
    services.report_create(actor=author, comment_id=comment.pk, reason="harassment")
    response = post_json(client, f"moderation/comments/{comment.pk}/hide", {}, staff)
    assert response.status_code == 200 and response.json()["comment"]["moderation_status"] == "hidden"


def test_non_moderators_get_404(client, make_user, author, user):
    post = make_post(author)
    services.report_create(actor=make_user(), post_id=post.pk, reason="spam")
    queue = client.get(API + "moderation/queue", **bearer(user))
    assert queue.status_code == 404 and queue.json()["error"]["code"] == "NOT_FOUND"
    for action in ("hide", "restore", "remove", "dismiss"):
        assert post_json(client, f"moderation/posts/{post.pk}/{action}", {}, user).status_code == 404
    assert Post.objects.get(pk=post.pk).moderation_status == "approved"


def test_group_moderator_api_scope(client, make_user, author):
    owner = make_user()
    mine = Group.objects.create(name="Mío", slug="mio", created_by=owner)
    other = Group.objects.create(name="Ajeno", slug="ajeno", created_by=owner)
    mod = make_user()
    GroupMember.objects.create(group=mine, user=mod, role=GroupRole.ADMIN)
    reporter = make_user()
    for g in (mine, other):
        GroupMember.objects.create(group=g, user=author, role=GroupRole.MEMBER)
        GroupMember.objects.create(group=g, user=reporter, role=GroupRole.MEMBER)
    inside = make_post(author, visibility="group", group_id=mine.pk)
    outside = make_post(author, visibility="group", group_id=other.pk)
    for p in (inside, outside):
        services.report_create(actor=reporter, post_id=p.pk, reason="spam")
    body = client.get(API + "moderation/queue", **bearer(mod)).json()
    assert [i["id"] for i in body["results"]] == [inside.pk]
    assert post_json(client, f"moderation/posts/{outside.pk}/hide", {}, mod).status_code == 404
    assert post_json(client, f"moderation/posts/{inside.pk}/hide", {}, mod).status_code == 200


def test_operation_ids_in_schema(client, staff):
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    ids = {op["operationId"] for path in schema["paths"].values() for op in path.values() if isinstance(op, dict)}
    assert {"moderation_report_create", "moderation_queue", "moderation_post_action", "moderation_comment_action",
            "search_posts", "search_tags", "search_people"} <= ids
