"""Lists and pages of the social network read a fixed number of queries whatever their size:
the discover page of groups, a group with its feed, a family circle, a profile, the comment
thread of a post, search, and the matching API lists. Each case is measured with a small and
a large world; the count must not grow."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken

from social.services import circles, groups, interactions, people, posts

pytestmark = pytest.mark.django_db


def count(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = fn()
        assert response.status_code == 200, response.content[:300]
    return len(ctx.captured_queries)


def api(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {AccessToken.for_user(user)}")
    return client


@pytest.fixture
def world(make_user, settings):
    settings.API_RATE_LIMITS_ENABLED = False
    owner = make_user(first_name="Olga")
    group = groups.group_create(actor=owner, data={"name": "Sin azúcar", "type": "open"})
    circle = circles.circle_create(actor=owner, name="Familia")
    post = posts.post_create(actor=owner, body="Primera #reto", visibility="group", group_id=group.pk)

    def grow(n: int):
        """n more members, each posting in the group and the circle and commenting."""
        for i in range(n):
            member = make_user(first_name=f"Miembro{i}")
            groups.group_join(actor=member, group_id=group.pk)
            circles.circle_invite(actor=owner, circle_id=circle.pk, username=member.username)
            circles.circle_invitation_respond(actor=member, circle_id=circle.pk, accept=True)
            people.follow(actor=member, user_id=owner.pk)
            posts.post_create(actor=member, body=f"En el grupo {i} #reto", visibility="group", group_id=group.pk)
            posts.post_create(actor=member, body=f"En el círculo {i}", visibility="family_circle",
                              family_circle_id=circle.pk)
            comment = interactions.comment_create(actor=member, post_id=post.pk, content=f"Ánimo {i}")
            interactions.comment_create(actor=owner, post_id=post.pk, content="¡Gracias!", parent_comment_id=comment.pk)
            interactions.reaction_set(actor=member, post_id=post.pk, reaction_type="heart")

    return {"owner": owner, "group": group, "circle": circle, "post": post, "grow": grow}


def test_pages_and_api_lists_keep_their_query_counts(client, world):
    owner, group, circle, post = world["owner"], world["group"], world["circle"], world["post"]
    client.force_login(owner)
    owner_api = api(owner)
    cases = {
        "groups page": lambda: client.get(reverse("social:groups")),
        "group page": lambda: client.get(reverse("social:group", args=[group.slug])),
        "group members": lambda: client.get(reverse("social:group_members", args=[group.slug])),
        "circle page": lambda: client.get(reverse("social:circle", args=[circle.pk])),
        "post page with thread": lambda: client.get(reverse("social:post", args=[post.pk])),
        "profile page": lambda: client.get(reverse("social:profile", args=[owner.username])),
        "feed page": lambda: client.get(reverse("social:feed")),
        "tag page": lambda: client.get(reverse("social:tag", args=["reto"])),
        "search page": lambda: client.get(reverse("social:search") + "?q=grupo"),
        "api groups": lambda: owner_api.get("/api/v1/groups"),
        "api group posts": lambda: owner_api.get(f"/api/v1/groups/{group.pk}/posts"),
        "api circle posts": lambda: owner_api.get(f"/api/v1/family-circles/{circle.pk}/posts"),
        "api post with comments": lambda: owner_api.get(f"/api/v1/posts/{post.pk}"),
        "api followers": lambda: owner_api.get(f"/api/v1/profiles/{owner.username}/followers"),
        "api search posts": lambda: owner_api.get("/api/v1/search/posts?q=grupo"),
    }
    world["grow"](2)
    for fn in cases.values():
        fn()  # warm caches that fill once (timelines, trending, site settings)
    small = {name: count(fn) for name, fn in cases.items()}
    world["grow"](8)
    large = {name: count(fn) for name, fn in cases.items()}
    print("\nqueries per request:", small)
    assert large == small
