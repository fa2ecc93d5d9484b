"""Operator commands of the social network: the data generator and the timeline rebuild."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from social.models import Follow, Post

pytestmark = pytest.mark.django_db


def test_social_generate_builds_a_network_the_feed_can_read_and_refuses_twice():
    from accounts.models import User
    from social.selectors.posts import feed_page

    out = StringIO()
    call_command("social_generate", users=40, posts=300, viewer_follows=10, celebrity_followers=25, stdout=out)
    assert "generated:" in out.getvalue()
    viewer = User.objects.get(username="gen_viewer")
    celebrity = User.objects.get(username="gen_celebrity")
    assert Follow.objects.filter(follower=viewer).count() == 10
    assert Follow.objects.filter(followee=celebrity).count() == 25
    assert Post.objects.count() == 300
    page = feed_page(viewer=viewer, limit=20)
    followed = set(Follow.objects.filter(follower=viewer).values_list("followee_id", flat=True))
    assert page.posts and all(p.author_id in followed for p in page.posts)
    with pytest.raises(CommandError):
        call_command("social_generate", users=5, posts=5, viewer_follows=1, celebrity_followers=1)
    with pytest.raises(CommandError):
        call_command("social_generate", users=5, posts=5, viewer_follows=10, celebrity_followers=1, force=True)


def test_timelines_rebuild_matches_the_database(make_user, settings):
    from social.feed import redis_client, timeline_candidates
    from social.rules import audience_for
    from social.services import people, posts

    ana, beto = make_user(), make_user()
    people.follow(actor=beto, user_id=ana.pk)
    first = posts.post_create(actor=ana, body="uno")
    second = posts.post_create(actor=ana, body="dos")
    out = StringIO()
    call_command("social_timelines_rebuild", stdout=out)
    if redis_client() is None:
        assert "nothing to rebuild" in out.getvalue()
    else:
        assert "rebuilt" in out.getvalue()
        with pytest.raises(CommandError):
            call_command("social_timelines_rebuild", user=10**9)
    assert timeline_candidates(audience_for(beto), 10) == [second.pk, first.pk]
