"""Family circle services: creation by patients only, the nutritionist joining on their own,
invitations, permissions, goals, recipes, encouragement, meal sharing and progress auto-share."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import Notification
from social import rules
from social.models import CircleMemberStatus, CircleRole, FamilyCircleMember, Post, PostType
from social.selectors import circles as selectors
from social.services import circles as services
from social.services.posts import post_create

pytestmark = pytest.mark.django_db


def member(circle, user):
    return FamilyCircleMember.objects.filter(circle=circle, user=user).first()


@pytest.fixture
def circle(user):
    return services.circle_create(actor=user, name="Familia García")


def join(circle, owner, person, **perms):
    services.circle_invite(actor=owner, circle_id=circle.pk, username=person.username, relationship="mamá",
                           permissions=perms)
    services.circle_invitation_respond(actor=person, circle_id=circle.pk, accept=True)
    return member(circle, person)


def test_only_patients_create_and_own(user, nutritionist):
    circle = services.circle_create(actor=user, name="<b>Familia</b> García", description="Nos cuidamos")
    assert circle.name == "Familia García" and circle.owner == user
    assert circle.share_progress_automatically and circle.share_achievements and not circle.share_meal_logs
    assert member(circle, user).role == CircleRole.OWNER
    with pytest.raises(PermissionDenied):
        services.circle_create(actor=nutritionist, name="Mi círculo")


def test_nutritionist_in_open_care_added_at_creation(user, nutritionist, make_care):
    make_care(nutritionist, user)
    circle = services.circle_create(actor=user, name="Familia")
    row = member(circle, nutritionist)
    assert row.role == CircleRole.NUTRITIONIST and row.status == CircleMemberStatus.ACTIVE


def test_nutritionist_added_when_care_starts_later_and_removed_when_it_ends(
    user, nutritionist, make_care, django_capture_on_commit_callbacks
):
    circle = services.circle_create(actor=user, name="Familia")
    assert member(circle, nutritionist) is None
    with django_capture_on_commit_callbacks(execute=True):
        care = make_care(nutritionist, user)
    assert member(circle, nutritionist).role == CircleRole.NUTRITIONIST
    with django_capture_on_commit_callbacks(execute=True):
        care.status = "graduated"
        care.save()
    assert member(circle, nutritionist) is None


def test_invitation_flow_and_permissions(circle, user, other_user):
    services.circle_invite(actor=user, circle_id=circle.pk, username=other_user.username, role="support_friend",
                           relationship="<i>mejor amiga</i>", permissions={"can_post": False})
    row = member(circle, other_user)
    assert row.status == CircleMemberStatus.INVITED and row.relationship == "mejor amiga" and not row.can_post
    assert Notification.objects.filter(user=other_user, kind="circle_invitation").exists()
    # an invitee does not see the circle yet
    with pytest.raises(rules.CircleNotFound):
        selectors.circle_get(user=other_user, circle_id=circle.pk)
    services.circle_invitation_respond(actor=other_user, circle_id=circle.pk, accept=True)
    assert member(circle, other_user).status == CircleMemberStatus.ACTIVE
    assert Notification.objects.filter(user=user, kind="circle_joined").exists()
    assert selectors.circle_get(user=other_user, circle_id=circle.pk).pk == circle.pk
    assert other_user.pk in selectors.circle_member_ids(circle.pk)


def test_invite_validation(circle, user, other_user, make_user):
    with pytest.raises(ValidationError) as exc:
        services.circle_invite(actor=user, circle_id=circle.pk, username="nadie")
    assert "username" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.circle_invite(actor=user, circle_id=circle.pk, username=other_user.username, role="owner")
    assert "role" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.circle_invite(actor=user, circle_id=circle.pk, username=other_user.username, relationship="x" * 51)
    assert "relationship" in exc.value.message_dict
    join(circle, user, other_user)
    # members cannot invite
    with pytest.raises(rules.CircleNotFound):
        services.circle_invite(actor=other_user, circle_id=circle.pk, username=make_user().username)


def test_member_without_can_post_cannot_post(circle, user, other_user):
    join(circle, user, other_user, can_post=False)
    with pytest.raises(PermissionDenied):
        post_create(actor=other_user, visibility="family_circle", family_circle_id=circle.pk, body="Hola")
    services.circle_member_update(actor=user, circle_id=circle.pk, user_id=other_user.pk, data={"can_post": True})
    post = post_create(actor=other_user, visibility="family_circle", family_circle_id=circle.pk, body="¡Vamos!")
    mine = selectors.circle_get(user=user, circle_id=circle.pk)
    assert list(selectors.circle_posts(viewer=user, circle=mine)) == [post]


def test_owner_edits_and_removes_members_who_lose_access(circle, user, other_user):
    join(circle, user, other_user)
    with pytest.raises(rules.CircleNotFound):
        services.circle_member_update(actor=other_user, circle_id=circle.pk, user_id=user.pk, data={"can_post": False})
    with pytest.raises(ValidationError):
        services.circle_member_update(actor=user, circle_id=circle.pk, user_id=user.pk, data={"can_post": False})
    services.circle_member_remove(actor=user, circle_id=circle.pk, user_id=other_user.pk)
    with pytest.raises(rules.CircleNotFound):
        selectors.circle_get(user=other_user, circle_id=circle.pk)


def test_member_leaves_owner_cannot(circle, user, other_user):
    join(circle, user, other_user)
    services.circle_member_remove(actor=other_user, circle_id=circle.pk, user_id=other_user.pk)
    assert member(circle, other_user) is None
    with pytest.raises(ValidationError):
        services.circle_member_remove(actor=user, circle_id=circle.pk, user_id=user.pk)


def test_goals_add_done_delete(circle, user, other_user, make_user):
    join(circle, user, other_user)
    goal = services.circle_goal_add(actor=other_user, circle_id=circle.pk, title="Caminar <b>juntos</b>",
                                    target="30 min diarios")
    assert goal["index"] == 0 and goal["title"] == "Caminar juntos"
    services.circle_goal_set_done(actor=user, circle_id=circle.pk, index=0, done=True)
    circle.refresh_from_db()
    assert circle.family_goals[0]["done"] is True
    services.circle_goal_add(actor=user, circle_id=circle.pk, title="Más agua")
    with pytest.raises(PermissionDenied):
        services.circle_goal_delete(actor=other_user, circle_id=circle.pk, index=1)
    services.circle_goal_delete(actor=other_user, circle_id=circle.pk, index=0)
    circle.refresh_from_db()
    assert [g["title"] for g in circle.family_goals] == ["Más agua"]
    with pytest.raises(rules.CircleNotFound):
        services.circle_goal_set_done(actor=user, circle_id=circle.pk, index=7, done=True)
    with pytest.raises(rules.CircleNotFound):
        services.circle_goal_add(actor=make_user(), circle_id=circle.pk, title="Intruso")


def test_recipes_visible_to_the_member_only(circle, user, other_user):
    from nutrition.models import Recipe

    published = Recipe.objects.create(slug="sopa-de-lentejas", title="Sopa de lentejas", is_published=True)
    private = Recipe.objects.create(slug="secreta", title="Secreta", is_published=False, author=other_user)
    services.circle_recipe_add(actor=user, circle_id=circle.pk, recipe_id=published.pk)
    assert list(selectors.circle_recipes(circle=circle)) == [published]
    with pytest.raises(ValidationError):
        services.circle_recipe_add(actor=user, circle_id=circle.pk, recipe_id=private.pk)
    services.circle_recipe_remove(actor=user, circle_id=circle.pk, recipe_id=published.pk)
    assert list(selectors.circle_recipes(circle=circle)) == []


def test_encouragement_needs_permission(circle, user, other_user, make_user):
    join(circle, user, other_user)
    services.circle_encourage(actor=other_user, circle_id=circle.pk)
    note = Notification.objects.get(user=user, kind="circle_encouragement")
    assert note.body == "¡Tú puedes! 💪"
    cold = make_user()
    join(circle, user, cold, can_give_encouragement=False)
    with pytest.raises(PermissionDenied):
        services.circle_encourage(actor=cold, circle_id=circle.pk)


def _log(user, when, kg):
    from nutrition.models import DiaryEntry  # noqa: F401 - the diary app is loaded
    from nutrition.services.diary import weight_log_set

    return weight_log_set(actor=user, weight_kg=kg, date=when)


def test_meal_share_only_when_on_and_permitted(circle, user, other_user, make_user):
    from nutrition.models import DiaryEntry

    fan = join(circle, user, other_user)
    blind = make_user()
    join(circle, user, blind, can_view_meal_log=False)
    DiaryEntry.objects.create(user=user, date=timezone.localdate(), meal="desayuno", name="Chilaquiles", quantity=1,
                              energy_kcal=450, protein_g=12, fat_g=20, carbs_g=50)
    seen = selectors.circle_get(user=other_user, circle_id=circle.pk)
    assert fan.can_view_meal_log and selectors.meal_share(circle=seen) is None  # sharing is off by default
    services.circle_update(actor=user, circle_id=circle.pk, data={"share_meal_logs": True})
    seen = selectors.circle_get(user=other_user, circle_id=circle.pk)
    share = selectors.meal_share(circle=seen)
    assert share["energy_kcal"] == 450 and share["entries"] == 1
    assert selectors.meal_share(circle=selectors.circle_get(user=blind, circle_id=circle.pk)) is None


def test_progress_autoshare_once_a_day(circle, user, other_user, django_capture_on_commit_callbacks):
    join(circle, user, other_user)
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        _log(user, today - timedelta(days=30), 80)
    assert not Post.objects.filter(type=PostType.PROGRESS).exists()  # one weight is not progress yet
    with django_capture_on_commit_callbacks(execute=True):
        _log(user, today, 76.5)
    with django_capture_on_commit_callbacks(execute=True):
        _log(user, today, 76.0)  # a correction the same day: still one post
    posts = list(Post.objects.filter(type=PostType.PROGRESS, family_circle=circle))
    assert len(posts) == 1
    post = posts[0]
    assert post.visibility == "family_circle" and post.author == user
    assert post.progress_data["weight_before_kg"] == 80.0 and post.progress_data["weight_after_kg"] == 76.5
    assert post.progress_data["weight_lost_kg"] == 3.5 and post.progress_data["time_period_days"] == 30
    seen = selectors.circle_get(user=other_user, circle_id=circle.pk)
    assert list(selectors.circle_posts(viewer=other_user, circle=seen)) == [post]


def test_progress_autoshare_off_and_hidden_without_permission(circle, user, other_user, make_user,
                                                              django_capture_on_commit_callbacks):
    blind = make_user()
    join(circle, user, blind, can_view_progress=False)
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        _log(user, today - timedelta(days=3), 70)
        _log(user, today, 69)
    assert Post.objects.filter(type=PostType.PROGRESS).count() == 1
    seen = selectors.circle_get(user=blind, circle_id=circle.pk)
    assert list(selectors.circle_posts(viewer=blind, circle=seen)) == []
    other = services.circle_create(actor=other_user, name="Otra", share_progress_automatically=False)
    with django_capture_on_commit_callbacks(execute=True):
        _log(other_user, today - timedelta(days=3), 90)
        _log(other_user, today, 88)
    assert not Post.objects.filter(family_circle=other).exists()


def test_delete_by_owner_only(circle, user, other_user):
    join(circle, user, other_user)
    with pytest.raises(rules.CircleNotFound):
        services.circle_delete(actor=other_user, circle_id=circle.pk)
    services.circle_delete(actor=user, circle_id=circle.pk)
    with pytest.raises(rules.CircleNotFound):
        selectors.circle_get(user=user, circle_id=circle.pk)
