"""Group pages: discover, create (errors on the form), a group with its join states (htmx
partial and full page), private 404, members and roles, the moderators' queue, settings, XSS."""

from __future__ import annotations

import pytest
from django.urls import reverse

from social.models import Group, GroupMember, GroupRole, ModerationStatus
from social.services import groups as services
from social.services.posts import post_create

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def make_group(actor, **data):
    return services.group_create(actor=actor, data={"name": "Vida sana", "type": "open", **data})


def test_discover_lists_featured_first_and_filters(client, user, other_user, make_user):
    make_group(user, name="Corredores", category="goal_based")
    featured = make_group(user, name="Recetas mexicanas", category="other")
    Group.objects.filter(pk=featured.pk).update(is_featured=True)
    hidden = make_group(user, name="Secreto", type="private")
    client.force_login(other_user)
    page = client.get(reverse("social:groups")).content.decode()
    assert page.index("Recetas mexicanas") < page.index("Corredores")
    assert hidden.name not in page
    part = client.get(reverse("social:groups") + "?category=goal_based", HTTP_HX_TARGET="group-results", **HTMX)
    body = part.content.decode()
    assert "Corredores" in body and "Recetas mexicanas" not in body and "<html" not in body


def test_create_form_shows_errors_then_creates(client, user):
    client.force_login(user)
    url = reverse("social:group_create")
    assert client.get(url).status_code == 200
    bad = client.post(url, {"name": "", "type": "open", "category": "other", "who_can_post": "everyone"})
    assert bad.status_code == 422 and "Este campo es obligatorio" in bad.content.decode()
    ok = client.post(url, {"name": "Diabetes Jalisco", "type": "closed", "category": "condition_based",
                           "who_can_post": "everyone", "state": "JAL", "rules": "Respeto: sin burlas",
                           "join_questions": "¿Tu meta? *"})
    group = Group.objects.get(name="Diabetes Jalisco")
    assert ok.status_code == 302 and ok["Location"] == reverse("social:group", args=[group.slug])
    assert group.join_questions == [{"question": "¿Tu meta?", "required": True}]


def test_xss_in_name_description_and_rules_is_escaped(client, user, other_user):
    group = make_group(user, name="Hola <script>alert('n')</script>", description="<img src=x onerror=alert(1)>desc",
                       rules=[{"title": "<script>r()</script>Regla", "description": "<b>d</b>"}])
    assert "<" not in group.name and "<" not in group.description and "<" not in group.rules[0]["title"]
    client.force_login(other_user)
    html = client.get(reverse("social:group", args=[group.slug])).content.decode()
    assert "<script>alert" not in html and "onerror=alert" not in html and "<script>r()" not in html
    assert "Regla" in html and "desc" in html


def test_open_join_button_htmx_partial_and_full_page(client, user, other_user):
    group = make_group(user)
    client.force_login(other_user)
    page = client.get(reverse("social:group", args=[group.slug])).content.decode()
    assert "Unirme" in page
    r = client.post(reverse("social:group_join", args=[group.slug]), **HTMX)
    body = r.content.decode()
    assert r.status_code == 200 and 'id="group-join"' in body and "Eres miembro" in body and "<html" not in body
    assert GroupMember.objects.get(group=group, user=other_user).role == GroupRole.MEMBER
    r = client.post(reverse("social:group_leave", args=[group.slug]))
    assert r.status_code == 302 and not GroupMember.objects.filter(group=group, user=other_user).exists()


def test_closed_join_shows_question_error_then_pending(client, user, other_user):
    group = make_group(user, type="closed", join_questions=[{"question": "¿Cuál es tu meta?", "required": True}])
    client.force_login(other_user)
    r = client.post(reverse("social:group_join", args=[group.slug]), {"answer_0": ""}, **HTMX)
    body = r.content.decode()
    assert r.status_code == 422 and "Responde esta pregunta" in body
    r = client.post(reverse("social:group_join", args=[group.slug]), {"answer_0": "Bajar 4 kg"}, **HTMX)
    assert "Enviamos tu solicitud" in r.content.decode()
    # the admin's queue lists the request with the answer; approving refreshes the queue
    client.force_login(user)
    queue = client.get(reverse("social:group_requests", args=[group.slug])).content.decode()
    assert "Bajar 4 kg" in queue
    r = client.post(reverse("social:group_request_decide", args=[group.slug, other_user.pk, "aprobar"]), **HTMX)
    assert r.status_code == 200 and "No hay solicitudes pendientes" in r.content.decode()
    assert GroupMember.objects.get(group=group, user=other_user).role == GroupRole.MEMBER


def test_private_group_pages_are_404_for_outsiders(client, user, other_user):
    group = make_group(user, type="private")
    client.force_login(other_user)
    for name in ("social:group", "social:group_members", "social:group_requests", "social:group_edit"):
        assert client.get(reverse(name, args=[group.slug])).status_code == 404
    assert client.post(reverse("social:group_join", args=[group.slug])).status_code == 404
    services.group_invite(actor=user, group_id=group.pk, username=other_user.username)
    page = client.get(reverse("social:group", args=[group.slug])).content.decode()
    assert "Aceptar invitación" in page
    r = client.post(reverse("social:group_invitation", args=[group.slug, "aceptar"]), **HTMX)
    assert "Eres miembro" in r.content.decode()


def test_type_restrictions_shown_on_page(client, user, nutritionist):
    pros = make_group(nutritionist, name="Colegas", type="nutritionist_only")
    client.force_login(user)
    page = client.get(reverse("social:group", args=[pros.slug])).content.decode()
    assert "solo para nutriólogos" in page and "Unirme" not in page
    r = client.post(reverse("social:group_join", args=[pros.slug]))
    assert r.status_code == 422 and not GroupMember.objects.filter(group=pros, user=user).exists()


def test_pending_post_only_in_queue_until_approved(client, user, other_user, make_user):
    group = make_group(user, require_post_approval=True)
    reader = make_user()
    services.group_join(actor=other_user, group_id=group.pk)
    services.group_join(actor=reader, group_id=group.pk)
    post = post_create(actor=other_user, visibility="group", group_id=group.pk, body="Tamales de chaya")
    client.force_login(reader)
    assert "Tamales de chaya" not in client.get(reverse("social:group", args=[group.slug])).content.decode()
    client.force_login(other_user)
    assert "En revisión" in client.get(reverse("social:group", args=[group.slug])).content.decode()
    client.force_login(user)
    assert "Tamales de chaya" in client.get(reverse("social:group_requests", args=[group.slug])).content.decode()
    client.post(reverse("social:group_post_decide", args=[group.slug, post.pk, "aprobar"]))
    post.refresh_from_db()
    assert post.moderation_status == ModerationStatus.APPROVED
    client.force_login(reader)
    assert "Tamales de chaya" in client.get(reverse("social:group", args=[group.slug])).content.decode()
    # a plain member has no queue
    assert client.get(reverse("social:group_requests", args=[group.slug])).status_code == 404


def test_members_page_roles_and_invite(client, user, other_user, make_user):
    group = make_group(user)
    services.group_join(actor=other_user, group_id=group.pk)
    client.force_login(user)
    page = client.get(reverse("social:group_members", args=[group.slug])).content.decode()
    assert other_user.username in page and "Administrador(a)" in page
    r = client.post(reverse("social:group_member_role", args=[group.slug, other_user.pk]), {"role": "moderator"}, **HTMX)
    assert r.status_code == 200 and "Moderador(a)" in r.content.decode()
    r = client.post(reverse("social:group_invite", args=[group.slug]), {"username": "noexiste"}, **HTMX)
    assert r.status_code == 422 and "No encontramos a @noexiste" in r.content.decode()
    invitee = make_user()
    r = client.post(reverse("social:group_invite", args=[group.slug]), {"username": invitee.username}, **HTMX)
    assert r.status_code == 200 and f"@{invitee.username}" in r.content.decode()
    # a plain member sees the list without admin controls
    client.force_login(invitee)
    services.group_invitation_respond(actor=invitee, group_id=group.pk, accept=True)
    page = client.get(reverse("social:group_members", args=[group.slug])).content.decode()
    assert "Invitar a alguien" not in page and 'name="role"' not in page


def test_edit_and_delete_by_admin_only(client, user, other_user):
    group = make_group(user)
    services.group_join(actor=other_user, group_id=group.pk)
    client.force_login(other_user)
    assert client.get(reverse("social:group_edit", args=[group.slug])).status_code == 404
    assert client.post(reverse("social:group_delete", args=[group.slug])).status_code == 404
    client.force_login(user)
    r = client.post(reverse("social:group_edit", args=[group.slug]),
                    {"name": "Vida sana MX", "type": "open", "category": "other", "who_can_post": "admins_only"})
    group.refresh_from_db()
    assert r.status_code == 302 and group.name == "Vida sana MX" and group.who_can_post == "admins_only"
    client.post(reverse("social:group_delete", args=[group.slug]))
    assert client.get(reverse("social:group", args=[group.slug])).status_code == 404
