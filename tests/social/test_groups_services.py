"""Group services: create, every join type, requests, invitations, roles, leave, the post
approval queue, notifications and soft deletion."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import Notification
from social import rules
from social.models import Group, GroupMember, GroupNotify, GroupRole, ModerationStatus, Post
from social.selectors import groups as selectors
from social.services import groups as services
from social.services.posts import post_create

pytestmark = pytest.mark.django_db


def make_group(actor, **data):
    base = {"name": "Vida sana CDMX", "description": "Recetas y apoyo", "type": "open"}
    base.update(data)
    return services.group_create(actor=actor, data=base)


def role_of(group, user):
    return GroupMember.objects.filter(group=group, user=user).values_list("role", flat=True).first()


def test_create_makes_creator_admin_with_unique_slug_and_clean_text(user):
    g1 = make_group(user, name="Diabetes <script>alert(1)</script>Tipo 2",
                    rules=[{"title": "<b>Respeto</b>", "description": "<script>x</script>sin burlas"}],
                    join_questions=[{"question": "¿Tu meta?", "required": True}], tags="Diabetes, #recetas",
                    state="JAL")
    g2 = make_group(user, name="Diabetes Tipo 2")
    assert role_of(g1, user) == GroupRole.ADMIN and g1.member_count == 1
    assert "<" not in g1.name and "script" not in g1.slug
    assert g1.rules == [{"title": "Respeto", "description": "xsin burlas"}]  # tags gone, text kept
    assert g1.tags == ["diabetes", "recetas"] and g1.state == "JAL"
    assert g2.slug != g1.slug and g2.slug.startswith("diabetes-tipo-2")


def test_create_validates_fields(user):
    with pytest.raises(ValidationError) as exc:
        services.group_create(actor=user, data={"name": "", "type": "secreto", "state": "Narnia"})
    errors = exc.value.message_dict
    assert set(errors) >= {"name", "type", "state"}


def test_rules_and_questions_from_page_text(user):
    group = make_group(user, rules="Respeto: sin burlas\nNada de spam", join_questions="¿Meta? *\n¿Ciudad?")
    assert group.rules == [{"title": "Respeto", "description": "sin burlas"}, {"title": "Nada de spam", "description": ""}]
    assert group.join_questions == [{"question": "¿Meta?", "required": True}, {"question": "¿Ciudad?", "required": False}]


def test_create_rate_limit(user, settings):
    settings.API_RATE_LIMITS = {**settings.API_RATE_LIMITS, "social_group_create": "2/d"}
    make_group(user, name="Uno")
    make_group(user, name="Dos")
    from social.services.common import SocialRateLimited

    with pytest.raises(SocialRateLimited):
        make_group(user, name="Tres")


def test_open_join_is_immediate_and_counts(user, other_user):
    group = make_group(user)
    membership = services.group_join(actor=other_user, group_id=group.pk)
    assert membership.role == GroupRole.MEMBER
    group.refresh_from_db()
    assert group.member_count == 2
    again = services.group_join(actor=other_user, group_id=group.pk)
    assert again.replayed and Group.objects.get(pk=group.pk).member_count == 2


def test_closed_join_needs_required_answers_then_approval(user, other_user):
    group = make_group(user, type="closed", join_questions=[{"question": "¿Tu meta?", "required": True},
                                                            {"question": "¿De dónde eres?", "required": False}])
    with pytest.raises(ValidationError) as exc:
        services.group_join(actor=other_user, group_id=group.pk, answers=["", "Puebla"])
    assert "answers.0" in exc.value.message_dict
    membership = services.group_join(actor=other_user, group_id=group.pk, answers=["Bajar 5 kg", ""])
    assert membership.role == GroupRole.PENDING
    assert membership.join_answers[0] == {"question": "¿Tu meta?", "answer": "Bajar 5 kg"}
    # the admin is told, the count does not move yet
    assert Notification.objects.filter(user=user, kind="group_join_request").exists()
    assert Group.objects.get(pk=group.pk).member_count == 1
    assert list(selectors.join_requests(group=group)) == [membership]
    services.group_request_decide(actor=user, group_id=group.pk, user_id=other_user.pk, approve=True)
    assert role_of(group, other_user) == GroupRole.MEMBER
    assert Group.objects.get(pk=group.pk).member_count == 2
    note = Notification.objects.filter(user=other_user, kind="group_request_approved").first()
    assert note is not None and group.name in note.title


def test_closed_decline_notifies_and_removes_request(user, other_user):
    group = make_group(user, type="closed")
    services.group_join(actor=other_user, group_id=group.pk)
    services.group_request_decide(actor=user, group_id=group.pk, user_id=other_user.pk, approve=False)
    assert role_of(group, other_user) is None
    assert Notification.objects.filter(user=other_user, kind="group_request_declined").exists()


def test_plain_member_cannot_decide_requests(user, other_user, make_user):
    group = make_group(user, type="closed")
    third = make_user()
    GroupMember.objects.create(group=group, user=third, role=GroupRole.MEMBER)
    services.group_join(actor=other_user, group_id=group.pk)
    with pytest.raises(rules.GroupNotFound):
        services.group_request_decide(actor=third, group_id=group.pk, user_id=other_user.pk, approve=True)


def test_private_group_is_invisible_until_invited(user, other_user):
    group = make_group(user, type="private")
    with pytest.raises(rules.GroupNotFound):
        selectors.group_get(user=other_user, group_id=group.pk)
    with pytest.raises(rules.GroupNotFound):
        services.group_join(actor=other_user, group_id=group.pk)
    assert group not in selectors.group_list(user=other_user)
    services.group_invite(actor=user, group_id=group.pk, username=f"@{other_user.username}")
    assert role_of(group, other_user) == GroupRole.INVITED
    assert Notification.objects.filter(user=other_user, kind="group_invitation").exists()
    seen = selectors.group_get(user=other_user, group_id=group.pk)
    assert seen.is_invited
    services.group_invitation_respond(actor=other_user, group_id=group.pk, accept=True)
    assert role_of(group, other_user) == GroupRole.MEMBER
    assert Group.objects.get(pk=group.pk).member_count == 2


def test_private_invitation_declined_disappears(user, other_user):
    group = make_group(user, type="private")
    services.group_invite(actor=user, group_id=group.pk, username=other_user.username)
    services.group_invitation_respond(actor=other_user, group_id=group.pk, accept=False)
    with pytest.raises(rules.GroupNotFound):
        selectors.group_get(user=other_user, group_id=group.pk)


def test_invite_unknown_or_existing_user(user, other_user):
    group = make_group(user, type="private")
    with pytest.raises(ValidationError) as exc:
        services.group_invite(actor=user, group_id=group.pk, username="nadie_existe")
    assert "username" in exc.value.message_dict
    services.group_invite(actor=user, group_id=group.pk, username=other_user.username)
    services.group_invitation_respond(actor=other_user, group_id=group.pk, accept=True)
    with pytest.raises(ValidationError):
        services.group_invite(actor=user, group_id=group.pk, username=other_user.username)


def test_nutritionist_only_and_patient_only(user, nutritionist, make_nutritionist):
    pros = make_group(nutritionist, name="Colegas", type="nutritionist_only")
    with pytest.raises(PermissionDenied) as exc:
        services.group_join(actor=user, group_id=pros.pk)
    assert "nutriólogos" in str(exc.value)
    assert services.group_join(actor=make_nutritionist(), group_id=pros.pk).role == GroupRole.MEMBER
    patients = make_group(user, name="Pacientes", type="patient_only")
    with pytest.raises(PermissionDenied) as exc:
        services.group_join(actor=nutritionist, group_id=patients.pk)
    assert "pacientes" in str(exc.value)


def test_last_admin_must_name_successor(user, other_user):
    group = make_group(user)
    with pytest.raises(ValidationError) as exc:
        services.group_leave(actor=user, group_id=group.pk)
    assert "única persona" in exc.value.messages[0]
    services.group_join(actor=other_user, group_id=group.pk)
    with pytest.raises(ValidationError) as exc:
        services.group_leave(actor=user, group_id=group.pk)
    assert "administrador" in exc.value.messages[0]
    services.group_leave(actor=user, group_id=group.pk, new_admin_id=other_user.username)
    assert role_of(group, user) is None and role_of(group, other_user) == GroupRole.ADMIN
    assert Group.objects.get(pk=group.pk).member_count == 1


def test_roles_and_removal(user, other_user, make_user):
    group = make_group(user)
    third = make_user()
    services.group_join(actor=other_user, group_id=group.pk)
    services.group_join(actor=third, group_id=group.pk)
    services.group_member_role_set(actor=user, group_id=group.pk, user_id=other_user.pk, role="moderator")
    assert role_of(group, other_user) == GroupRole.MODERATOR
    # moderators are not admins: they cannot change roles or remove
    with pytest.raises(rules.GroupNotFound):
        services.group_member_role_set(actor=other_user, group_id=group.pk, user_id=third.pk, role="admin")
    with pytest.raises(rules.GroupNotFound):
        services.group_member_remove(actor=other_user, group_id=group.pk, user_id=third.pk)
    with pytest.raises(ValidationError):
        services.group_member_role_set(actor=user, group_id=group.pk, user_id=user.pk, role="member")
    services.group_member_remove(actor=user, group_id=group.pk, user_id=third.pk)
    assert role_of(group, third) is None and Group.objects.get(pk=group.pk).member_count == 2


def test_pending_group_post_invisible_until_approved(user, other_user, make_user, django_capture_on_commit_callbacks):
    group = make_group(user, require_post_approval=True)
    reader = make_user()
    services.group_join(actor=other_user, group_id=group.pk)
    services.group_join(actor=reader, group_id=group.pk)
    post = post_create(actor=other_user, visibility="group", group_id=group.pk, body="Mi receta de nopales")
    assert post.moderation_status == ModerationStatus.PENDING
    reader_group = selectors.group_get(user=reader, group_id=group.pk)
    assert list(selectors.group_posts(viewer=reader, group=reader_group)) == []
    # the author sees it (marked pending), the admin sees it in the queue
    author_group = selectors.group_get(user=other_user, group_id=group.pk)
    assert list(selectors.group_posts(viewer=other_user, group=author_group)) == [post]
    assert list(selectors.pending_posts(group=group)) == [post]
    with django_capture_on_commit_callbacks(execute=True):
        services.group_post_decide(actor=user, group_id=group.pk, post_id=post.pk, approve=True)
    post.refresh_from_db()
    assert post.moderation_status == ModerationStatus.APPROVED and post.moderated_by == user
    assert list(selectors.group_posts(viewer=reader, group=reader_group)) == [post]
    assert Group.objects.get(pk=group.pk).post_count == 1
    # the fan-out told the reader (preference "all") but not the author
    assert Notification.objects.filter(user=reader, kind="group_post").exists()
    assert not Notification.objects.filter(user=other_user, kind="group_post").exists()


def test_rejected_group_post_notifies_author(user, other_user):
    group = make_group(user, require_post_approval=True)
    services.group_join(actor=other_user, group_id=group.pk)
    post = post_create(actor=other_user, visibility="group", group_id=group.pk, body="Compra mis pastillas")
    services.group_post_decide(actor=user, group_id=group.pk, post_id=post.pk, approve=False, reason="Publicidad")
    post.refresh_from_db()
    assert post.moderation_status == ModerationStatus.REJECTED
    note = Notification.objects.get(user=other_user, kind="group_post_rejected")
    assert note.body == "Publicidad"


def test_group_post_notify_respects_preferences(user, other_user, make_user):
    group = make_group(user)
    quiet, mentions = make_user(), make_user()
    for person in (other_user, quiet, mentions):
        services.group_join(actor=person, group_id=group.pk)
    services.group_notify_set(actor=quiet, group_id=group.pk, preference=GroupNotify.NONE)
    services.group_notify_set(actor=mentions, group_id=group.pk, preference=GroupNotify.MENTIONS_ONLY)
    post = post_create(actor=user, visibility="group", group_id=group.pk, body="Bienvenidos")
    Notification.objects.filter(kind="group_post").delete()
    assert services.group_post_notify(post) == 1
    note = Notification.objects.get(kind="group_post")
    assert note.user == other_user and note.title == f"Nueva publicación en {group.name}"


def test_group_post_notify_skips_big_groups(user, other_user, monkeypatch):
    group = make_group(user)
    services.group_join(actor=other_user, group_id=group.pk)
    post = post_create(actor=user, visibility="group", group_id=group.pk, body="Hola")
    Notification.objects.filter(kind="group_post").delete()
    monkeypatch.setattr(services, "NOTIFY_MAX_MEMBERS", 1)
    assert services.group_post_notify(post) == 0
    assert not Notification.objects.filter(kind="group_post").exists()


def test_discovery_featured_first_near_and_mine(user, other_user, make_user):
    far = make_group(user, name="Lejos", state="YUC")
    near = make_group(user, name="Cerca", state="JAL")
    featured = make_group(user, name="Destacado")
    staff = make_user(is_staff=True)
    services.group_feature_set(actor=staff, group_id=featured.pk, featured=True)
    with pytest.raises(rules.GroupNotFound):
        services.group_feature_set(actor=other_user, group_id=featured.pk, featured=False)
    assert list(selectors.group_list(user=other_user))[0] == featured
    assert list(selectors.group_list(user=other_user, q="cerc")) == [near]
    from accounts.models import Profile

    Profile.objects.filter(user=other_user).update(state="JAL")
    assert list(selectors.group_list(user=other_user, near=True)) == [near]
    assert selectors.groups_near(user=other_user) == [near]
    services.group_join(actor=other_user, group_id=far.pk)
    assert list(selectors.group_list(user=other_user, mine=True)) == [far]


def test_soft_delete_hides_group_and_posts(user, other_user):
    group = make_group(user)
    services.group_join(actor=other_user, group_id=group.pk)
    post = post_create(actor=other_user, visibility="group", group_id=group.pk, body="Hola")
    with pytest.raises(rules.GroupNotFound):
        services.group_delete(actor=other_user, group_id=group.pk)
    services.group_delete(actor=user, group_id=group.pk)
    with pytest.raises(rules.GroupNotFound):
        selectors.group_get(user=user, group_id=group.pk)
    assert not rules.visible_posts(rules.audience_for(other_user), Post.objects.filter(pk=post.pk)).exists()
