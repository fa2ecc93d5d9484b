"""Family circle pages: list with invitations, create, the circle page (members, goals by
htmx, recipes, meals when shared, composer only with can_post, encouragement), settings, 404s."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from social.models import FamilyCircle, FamilyCircleMember
from social.services import circles as services

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def add(circle, owner, person, **perms):
    services.circle_invite(actor=owner, circle_id=circle.pk, username=person.username, relationship="esposo",
                           permissions=perms)
    services.circle_invitation_respond(actor=person, circle_id=circle.pk, accept=True)


def test_create_page_errors_and_nutritionist_auto_added(client, user, nutritionist, make_care):
    make_care(nutritionist, user)
    client.force_login(user)
    bad = client.post(reverse("social:circle_create"), {"name": ""})
    assert bad.status_code == 422 and "Este campo es obligatorio" in bad.content.decode()
    r = client.post(reverse("social:circle_create"), {"name": "Los Ramírez", "share_progress_automatically": "1"})
    circle = FamilyCircle.objects.get(name="Los Ramírez")
    assert r.status_code == 302 and not circle.share_meal_logs
    page = client.get(reverse("social:circle", args=[circle.pk])).content.decode()
    assert nutritionist.full_name in page and "Nutriólogo(a)" in page
    client.force_login(nutritionist)
    assert client.get(reverse("social:circle_create")).status_code == 302
    assert "Los Ramírez" in client.get(reverse("social:circles")).content.decode()


def test_invitation_on_list_then_member_view(client, user, other_user):
    circle = services.circle_create(actor=user, name="Familia López")
    services.circle_invite(actor=user, circle_id=circle.pk, username=other_user.username, relationship="esposo")
    client.force_login(other_user)
    assert client.get(reverse("social:circle", args=[circle.pk])).status_code == 404
    page = client.get(reverse("social:circles")).content.decode()
    assert "Familia López" in page and "Aceptar" in page
    r = client.post(reverse("social:circle_invitation", args=[circle.pk, "aceptar"]))
    assert r.status_code == 302
    page = client.get(reverse("social:circle", args=[circle.pk])).content.decode()
    assert "esposo" in page and "Manda ánimo" in page and "Ajustes" not in page


def test_composer_only_with_can_post(client, user, other_user):
    circle = services.circle_create(actor=user, name="Familia")
    add(circle, user, other_user, can_post=False)
    client.force_login(other_user)
    page = client.get(reverse("social:circle", args=[circle.pk])).content.decode()
    assert "no incluye publicar" in page and 'name="family_circle_id"' not in page
    client.force_login(user)
    page = client.get(reverse("social:circle", args=[circle.pk])).content.decode()
    assert f'name="family_circle_id" value="{circle.pk}"' in page


def test_meals_visible_only_when_shared_and_permitted(client, user, other_user, make_user):
    from nutrition.models import DiaryEntry

    circle = services.circle_create(actor=user, name="Familia", share_meal_logs=False)
    blind = make_user()
    add(circle, user, other_user)
    add(circle, user, blind, can_view_meal_log=False)
    DiaryEntry.objects.create(user=user, date=timezone.localdate(), meal="cena", name="Quesadillas", quantity=1,
                              energy_kcal=612, protein_g=25, fat_g=30, carbs_g=55)
    client.force_login(other_user)
    assert "612 kcal" not in client.get(reverse("social:circle", args=[circle.pk])).content.decode()
    FamilyCircle.objects.filter(pk=circle.pk).update(share_meal_logs=True)
    assert "612 kcal" in client.get(reverse("social:circle", args=[circle.pk])).content.decode()
    client.force_login(blind)
    assert "612 kcal" not in client.get(reverse("social:circle", args=[circle.pk])).content.decode()


def test_goals_htmx_partial(client, user):
    circle = services.circle_create(actor=user, name="Familia")
    client.force_login(user)
    r = client.post(reverse("social:circle_goal_add", args=[circle.pk]), {"title": ""}, **HTMX)
    assert r.status_code == 422 and "Este campo es obligatorio" in r.content.decode()
    r = client.post(reverse("social:circle_goal_add", args=[circle.pk]), {"title": "Tomar 2 L de agua"}, **HTMX)
    body = r.content.decode()
    assert r.status_code == 200 and 'id="circle-goals"' in body and "Tomar 2 L de agua" in body and "<html" not in body
    r = client.post(reverse("social:circle_goal_done", args=[circle.pk, 0]), {"done": "1"}, **HTMX)
    assert "is-done" in r.content.decode()


def test_encourage_button(client, user, other_user, make_user):
    from accounts.models import Notification

    circle = services.circle_create(actor=user, name="Familia")
    add(circle, user, other_user)
    client.force_login(other_user)
    r = client.post(reverse("social:circle_encourage", args=[circle.pk]), {"message": "tu_puedes"}, **HTMX)
    assert "Enviamos tu ánimo" in r.content.decode()
    assert Notification.objects.get(user=user, kind="circle_encouragement").body == "¡Tú puedes! 💪"
    quiet = make_user()
    add(circle, user, quiet, can_give_encouragement=False)
    client.force_login(quiet)
    assert "Manda ánimo" not in client.get(reverse("social:circle", args=[circle.pk])).content.decode()


def test_settings_owner_only_and_permission_edit(client, user, other_user, make_user):
    circle = services.circle_create(actor=user, name="Familia")
    add(circle, user, other_user)
    client.force_login(other_user)
    assert client.get(reverse("social:circle_settings", args=[circle.pk])).status_code == 404
    outsider = make_user()
    client.force_login(outsider)
    for name in ("social:circle", "social:circle_settings"):
        assert client.get(reverse(name, args=[circle.pk])).status_code == 404
    assert client.post(reverse("social:circle_goal_add", args=[circle.pk]), {"title": "x"}).status_code == 404
    client.force_login(user)
    page = client.get(reverse("social:circle_settings", args=[circle.pk])).content.decode()
    assert other_user.username in page
    r = client.post(reverse("social:circle_member_update", args=[circle.pk, other_user.pk]),
                    {"relationship": "hermano", "can_view_progress": "1"}, **HTMX)
    assert r.status_code == 200
    row = FamilyCircleMember.objects.get(circle=circle, user=other_user)
    assert row.relationship == "hermano" and row.can_view_progress and not row.can_post
    r = client.post(reverse("social:circle_invite", args=[circle.pk]), {"username": "fantasma"}, **HTMX)
    assert r.status_code == 422 and "No encontramos a @fantasma" in r.content.decode()
    client.post(reverse("social:circle_delete", args=[circle.pk]))
    assert not FamilyCircle.objects.filter(pk=circle.pk).exists()
