"""Groups API: list and create, detail, join types, requests, invitations, roles, feed with
the approval queue, preferences, and 404 GROUP_NOT_FOUND for private groups."""

from __future__ import annotations

import json

import pytest
from rest_framework_simplejwt.tokens import AccessToken

from social.models import GroupMember, GroupRole
from social.services import groups as services
from social.services.posts import post_create

pytestmark = pytest.mark.django_db


def auth(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {AccessToken.for_user(user)}"}


def call(client, method, url, user, data=None):
    fn = getattr(client, method)
    if method == "get":
        return fn(url, data or {}, **auth(user))
    return fn(url, data=json.dumps(data or {}), content_type="application/json", **auth(user))


def test_create_list_and_detail(client, user, other_user):
    r = call(client, "post", "/api/v1/groups", user, {
        "name": "Mamás <b>fit</b>", "type": "closed", "category": "goal_based",
        "rules": [{"title": "Respeto", "description": "sin burlas"}],
        "join_questions": [{"question": "¿Meta?", "required": True}], "tags": ["fit"],
    })
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["name"] == "Mamás fit" and body["my_role"] == "admin" and body["member_count"] == 1
    assert r["X-RateLimit-Limit"] == "120"
    listed = call(client, "get", "/api/v1/groups", other_user, {"q": "mamá"}).json()
    assert listed["total_results"] == 1 and listed["results"][0]["my_role"] is None
    detail = call(client, "get", f"/api/v1/groups/{body['id']}", other_user).json()
    assert detail["join_questions"] == [{"question": "¿Meta?", "required": True}]
    bad = call(client, "post", "/api/v1/groups", user, {"name": "", "type": "x"})
    assert bad.status_code == 400 and set(bad.json()["error"]["details"]) >= {"name", "type"}
    assert call(client, "get", "/api/v1/groups", user, {"limit": 0}).status_code == 400


def test_closed_join_approve_and_members(client, user, other_user):
    group = services.group_create(actor=user, data={"name": "Cerrado", "type": "closed",
                                                    "join_questions": [{"question": "¿Meta?", "required": True}]})
    r = call(client, "post", f"/api/v1/groups/{group.pk}/join", other_user, {"answers": []})
    assert r.status_code == 400 and "answers.0" in r.json()["error"]["details"]
    r = call(client, "post", f"/api/v1/groups/{group.pk}/join", other_user, {"answers": ["Correr 5K"]})
    assert r.status_code == 201 and r.json()["role"] == "pending"
    assert call(client, "get", f"/api/v1/groups/{group.pk}/requests", other_user).status_code == 404
    reqs = call(client, "get", f"/api/v1/groups/{group.pk}/requests", user).json()
    assert reqs["results"][0]["join_answers"][0]["answer"] == "Correr 5K"
    r = call(client, "post", f"/api/v1/groups/{group.pk}/requests/{other_user.pk}/approve", user)
    assert r.status_code == 200 and r.json()["role"] == "member"
    members = call(client, "get", f"/api/v1/groups/{group.pk}/members", other_user).json()
    assert [m["role"] for m in members["results"]] == ["admin", "member"]
    r = call(client, "patch", f"/api/v1/groups/{group.pk}/members/{other_user.pk}", user, {"role": "moderator"})
    assert r.json()["role"] == "moderator"
    r = call(client, "delete", f"/api/v1/groups/{group.pk}/members/{other_user.pk}", user)
    assert r.status_code == 204 and not GroupMember.objects.filter(group=group, user=other_user).exists()


def test_private_group_404_everywhere_for_outsiders(client, user, other_user):
    group = services.group_create(actor=user, data={"name": "Privado", "type": "private"})
    for method, suffix in [("get", ""), ("patch", ""), ("delete", ""), ("post", "/join"), ("post", "/leave"),
                           ("get", "/members"), ("get", "/requests"), ("get", "/posts"), ("get", "/pending-posts"),
                           ("post", "/invitations"), ("post", "/invitation/accept"), ("put", "/notifications")]:
        r = call(client, method, f"/api/v1/groups/{group.pk}{suffix}", other_user, {"username": "x"})
        assert r.status_code == 404, (method, suffix, r.content)
        assert r.json()["error"]["code"] == "GROUP_NOT_FOUND"
    assert call(client, "get", "/api/v1/groups", other_user).json()["total_results"] == 0
    r = call(client, "post", f"/api/v1/groups/{group.pk}/invitations", user, {"username": other_user.username})
    assert r.status_code == 201 and r.json()["role"] == "invited"
    assert call(client, "get", f"/api/v1/groups/{group.pk}", other_user).json()["my_role"] == "invited"
    r = call(client, "post", f"/api/v1/groups/{group.pk}/invitation/accept", other_user)
    assert r.json()["role"] == "member"


def test_patient_only_refuses_nutritionist(client, user, nutritionist):
    group = services.group_create(actor=user, data={"name": "Pacientes", "type": "patient_only"})
    r = call(client, "post", f"/api/v1/groups/{group.pk}/join", nutritionist)
    assert r.status_code == 403 and "pacientes" in r.json()["error"]["message"]


def test_feed_and_pending_posts(client, user, other_user, make_user):
    group = services.group_create(actor=user, data={"name": "Aprobación", "require_post_approval": True})
    reader = make_user()
    services.group_join(actor=other_user, group_id=group.pk)
    services.group_join(actor=reader, group_id=group.pk)
    post = post_create(actor=other_user, visibility="group", group_id=group.pk, body="Agua de jamaica sin azúcar")
    assert call(client, "get", f"/api/v1/groups/{group.pk}/posts", reader).json()["total_results"] == 0
    pending = call(client, "get", f"/api/v1/groups/{group.pk}/pending-posts", user).json()
    assert [p["id"] for p in pending["results"]] == [post.pk]
    assert call(client, "get", f"/api/v1/groups/{group.pk}/pending-posts", reader).status_code == 404
    r = call(client, "post", f"/api/v1/groups/{group.pk}/pending-posts/{post.pk}/approve", user)
    assert r.json()["moderation_status"] == "approved"
    feed = call(client, "get", f"/api/v1/groups/{group.pk}/posts", reader).json()
    assert [p["body"] for p in feed["results"]] == ["Agua de jamaica sin azúcar"]
    r = call(client, "post", f"/api/v1/groups/{group.pk}/pending-posts/{post.pk}/reject", user)
    assert r.status_code == 404


def test_leave_last_admin_and_notifications(client, user, other_user):
    group = services.group_create(actor=user, data={"name": "Uno"})
    services.group_join(actor=other_user, group_id=group.pk)
    r = call(client, "post", f"/api/v1/groups/{group.pk}/leave", user)
    assert r.status_code == 400 and r.json()["error"]["code"] == "LAST_ADMIN"
    r = call(client, "put", f"/api/v1/groups/{group.pk}/notifications", other_user, {"preference": "none"})
    assert r.json()["preference"] == "none"
    r = call(client, "put", f"/api/v1/groups/{group.pk}/notifications", other_user, {"preference": "todo"})
    assert r.status_code == 400
    r = call(client, "post", f"/api/v1/groups/{group.pk}/leave", user, {"new_admin": other_user.pk})
    assert r.status_code == 200
    assert GroupMember.objects.get(group=group, user=other_user).role == GroupRole.ADMIN


def test_update_feature_and_delete(client, user, other_user, make_user):
    group = services.group_create(actor=user, data={"name": "Editar"})
    r = call(client, "patch", f"/api/v1/groups/{group.pk}", user, {"description": "<i>nueva</i>"})
    assert r.json()["description"] == "nueva"
    staff = make_user(is_staff=True)
    r = call(client, "patch", f"/api/v1/groups/{group.pk}", staff, {"is_featured": True})
    assert r.status_code == 200 and r.json()["is_featured"] is True
    assert call(client, "delete", f"/api/v1/groups/{group.pk}", other_user).status_code == 404
    assert call(client, "delete", f"/api/v1/groups/{group.pk}", user).status_code == 204
    assert call(client, "get", f"/api/v1/groups/{group.pk}", user).status_code == 404
