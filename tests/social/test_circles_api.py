"""Family circles API: create (patients only), the nutritionist auto-added, invite and accept,
permissions, goals, recipes, feed, encouragement, meal sharing, and 404 CIRCLE_NOT_FOUND on
every endpoint for someone else's circle."""

from __future__ import annotations

import json

import pytest
from django.utils import timezone
from rest_framework_simplejwt.tokens import AccessToken

from social.services import circles as services
from social.services.posts import post_create

pytestmark = pytest.mark.django_db


def auth(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {AccessToken.for_user(user)}"}


def call(client, method, url, user, data=None):
    fn = getattr(client, method)
    if method == "get":
        return fn(url, data or {}, **auth(user))
    return fn(url, data=json.dumps(data or {}), content_type="application/json", **auth(user))


def test_create_with_nutritionist_and_refuse_nutritionists(client, user, nutritionist, make_care):
    make_care(nutritionist, user)
    r = call(client, "post", "/api/v1/family-circles", user, {"name": "Familia Pérez", "share_meal_logs": True})
    assert r.status_code == 201, r.content
    body = r.json()
    roles = {m["user"]["id"]: m["role"] for m in body["members"]}
    assert roles == {user.pk: "owner", nutritionist.pk: "nutritionist"}
    assert body["share_meal_logs"] is True and body["share_progress_automatically"] is True
    assert call(client, "post", "/api/v1/family-circles", nutritionist, {"name": "X"}).status_code == 403
    mine = call(client, "get", "/api/v1/family-circles", nutritionist).json()
    assert [c["id"] for c in mine["results"]] == [body["id"]]


def test_invite_accept_permissions_and_posting(client, user, other_user):
    circle = services.circle_create(actor=user, name="Familia")
    r = call(client, "post", f"/api/v1/family-circles/{circle.pk}/members", user,
             {"username": other_user.username, "role": "family_member", "relationship": "mamá", "can_post": False})
    assert r.status_code == 201 and r.json()["status"] == "invited" and r.json()["can_post"] is False
    invitations = call(client, "get", "/api/v1/family-circles", other_user).json()["invitations"]
    assert invitations[0]["circle_id"] == circle.pk and invitations[0]["relationship"] == "mamá"
    assert call(client, "get", f"/api/v1/family-circles/{circle.pk}", other_user).status_code == 404
    r = call(client, "post", f"/api/v1/family-circles/{circle.pk}/invitation/accept", other_user)
    assert r.json()["status"] == "active"
    me = call(client, "get", f"/api/v1/family-circles/{circle.pk}", other_user).json()
    assert me["my_role"] == "family_member" and me["my_permissions"]["can_post"] is False
    r = call(client, "patch", f"/api/v1/family-circles/{circle.pk}/members/{other_user.pk}", user, {"can_post": True})
    assert r.json()["can_post"] is True
    post_create(actor=other_user, visibility="family_circle", family_circle_id=circle.pk, body="¡Ánimo, hija!")
    feed = call(client, "get", f"/api/v1/family-circles/{circle.pk}/posts", user).json()
    assert [p["body"] for p in feed["results"]] == ["¡Ánimo, hija!"]


def test_goals_recipes_and_encourage(client, user, other_user):
    from nutrition.models import Recipe

    circle = services.circle_create(actor=user, name="Familia")
    services.circle_invite(actor=user, circle_id=circle.pk, username=other_user.username)
    services.circle_invitation_respond(actor=other_user, circle_id=circle.pk, accept=True)
    r = call(client, "post", f"/api/v1/family-circles/{circle.pk}/goals", other_user,
             {"title": "Caminar", "target": "30 min"})
    assert r.status_code == 201 and r.json() == {"index": 0, "title": "Caminar", "target": "30 min", "done": False}
    r = call(client, "patch", f"/api/v1/family-circles/{circle.pk}/goals/0", user, {"done": True})
    assert r.json()["done"] is True
    assert call(client, "delete", f"/api/v1/family-circles/{circle.pk}/goals/0", user).status_code == 204
    recipe = Recipe.objects.create(slug="caldo-de-pollo", title="Caldo de pollo", is_published=True)
    r = call(client, "post", f"/api/v1/family-circles/{circle.pk}/recipes", other_user, {"recipe_id": recipe.pk})
    assert r.status_code == 201 and r.json()["title"] == "Caldo de pollo"
    detail = call(client, "get", f"/api/v1/family-circles/{circle.pk}", user).json()
    assert detail["recipes"] == [{"id": recipe.pk, "slug": "caldo-de-pollo", "title": "Caldo de pollo"}]
    assert call(client, "delete", f"/api/v1/family-circles/{circle.pk}/recipes/{recipe.pk}", user).status_code == 204
    r = call(client, "post", f"/api/v1/family-circles/{circle.pk}/encourage", other_user, {"message": "orgullo"})
    assert r.status_code == 201 and r.json()["message"] == "¡Estamos orgullosos de ti! 🎉"
    assert call(client, "post", f"/api/v1/family-circles/{circle.pk}/encourage", user).status_code == 400


def test_meal_log_follows_sharing_and_permission(client, user, other_user, make_user):
    from nutrition.models import DiaryEntry

    circle = services.circle_create(actor=user, name="Familia")
    blind = make_user()
    for person, perms in ((other_user, {}), (blind, {"can_view_meal_log": False})):
        services.circle_invite(actor=user, circle_id=circle.pk, username=person.username, permissions=perms)
        services.circle_invitation_respond(actor=person, circle_id=circle.pk, accept=True)
    DiaryEntry.objects.create(user=user, date=timezone.localdate(), meal="comida", name="Enfrijoladas", quantity=1,
                              energy_kcal=520, protein_g=20, fat_g=18, carbs_g=60)
    assert call(client, "get", f"/api/v1/family-circles/{circle.pk}", other_user).json()["meal_log_today"] is None
    call(client, "patch", f"/api/v1/family-circles/{circle.pk}", user, {"share_meal_logs": True})
    shared = call(client, "get", f"/api/v1/family-circles/{circle.pk}", other_user).json()["meal_log_today"]
    assert shared["energy_kcal"] == 520
    assert call(client, "get", f"/api/v1/family-circles/{circle.pk}", blind).json()["meal_log_today"] is None


def test_someone_elses_circle_is_404_on_every_endpoint(client, user, other_user):
    circle = services.circle_create(actor=user, name="Familia")
    base = f"/api/v1/family-circles/{circle.pk}"
    for method, suffix in [("get", ""), ("patch", ""), ("delete", ""), ("post", "/members"),
                           ("patch", f"/members/{user.pk}"), ("delete", f"/members/{user.pk}"),
                           ("post", "/invitation/accept"), ("post", "/invitation/decline"), ("post", "/goals"),
                           ("patch", "/goals/0"), ("delete", "/goals/0"), ("post", "/recipes"),
                           ("delete", "/recipes/1"), ("get", "/posts"), ("post", "/encourage")]:
        r = call(client, method, base + suffix, other_user, {"title": "x", "username": "x", "recipe_id": 1})
        assert r.status_code == 404, (method, suffix, r.content)
        assert r.json()["error"]["code"] == "CIRCLE_NOT_FOUND"


def test_member_cannot_use_owner_tools(client, user, other_user):
    circle = services.circle_create(actor=user, name="Familia")
    services.circle_invite(actor=user, circle_id=circle.pk, username=other_user.username)
    services.circle_invitation_respond(actor=other_user, circle_id=circle.pk, accept=True)
    assert call(client, "patch", f"/api/v1/family-circles/{circle.pk}", other_user, {"name": "Mío"}).status_code == 404
    assert call(client, "delete", f"/api/v1/family-circles/{circle.pk}", other_user).status_code == 404
    r = call(client, "delete", f"/api/v1/family-circles/{circle.pk}/members/{other_user.pk}", other_user)
    assert r.status_code == 204
    assert call(client, "get", f"/api/v1/family-circles/{circle.pk}", other_user).status_code == 404
