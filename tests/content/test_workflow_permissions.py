# ruff: noqa: F811  (fixtures are imported from tests.content.editorial_fixtures)
"""Editorial workflow: editors write and submit, moderators approve and publish; editors never
reach the Django admin or patient data; revisions, comparison and scheduled publishing."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Locale, Page, Workflow
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from content.models import BlogPage
from content.setup import EDITORS, MODERATORS, WORKFLOW_NAME, content_setup
from tests.content.editorial_fixtures import add_post, ed_editor, ed_moderator, ed_site  # noqa: F401

pytestmark = pytest.mark.django_db


def _post_form(title, slug, **extra):
    data = {
        "title": title,
        "slug": slug,
        "date": "2026-02-01",
        "category": "nutrition",
        "author_name": "Equipo NutriMX",
        "tags": "diabetes, desayuno",
        "excerpt": "Ideas de desayuno para personas con diabetes.",
        "hero_alt": "",
        "body": streamfield([("paragraph", rich_text("<p>Un desayuno con fibra y proteína.</p>"))]),
        "related_links": inline_formset([]),
        "seo_title": "",
        "search_description": "Desayunos para diabetes.",
        "canonical_url": "",
        "comments": inline_formset([]),
    }
    data.update(extra)
    return nested_form_data(data)


def _create_as(client, user, parent, action, title="Desayunos para diabetes", slug="desayunos-diabetes", **extra):
    client.force_login(user)
    url = reverse("wagtailadmin_pages:add", args=("content", "blogpage", parent.pk))
    data = _post_form(title, slug, **extra)
    data[action] = "1"
    return client.post(url, data)


def test_setup_is_idempotent_and_grants_nothing_outside_content(ed_site):
    content_setup()
    content_setup()
    editors, moderators = Group.objects.get(name=EDITORS), Group.objects.get(name=MODERATORS)
    for group in (editors, moderators):
        labels = set(group.permissions.values_list("content_type__app_label", flat=True))
        assert labels <= {"wagtailadmin", "content"}
        assert not labels & {"accounts", "nutrition", "clinical", "social", "gamification"}
    assert set(editors.page_permissions.filter(page=ed_site["home"]).values_list("permission__codename", flat=True)) == {
        "add_page", "change_page"}
    assert "publish_page" in moderators.page_permissions.values_list("permission__codename", flat=True)
    assert moderators.permissions.filter(codename="change_sitesettings").exists()
    assert not editors.permissions.filter(codename="change_sitesettings").exists()
    assert Workflow.objects.filter(name=WORKFLOW_NAME).count() == 1
    assert ed_site["home"].get_workflow().name == WORKFLOW_NAME
    assert Locale.objects.filter(language_code="en").exists()
    assert Locale.objects.filter(language_code="es-mx").exists()


def test_management_command(ed_site, capsys):
    call_command("content_setup")
    assert "Editores" in capsys.readouterr().out


def test_editor_reaches_the_cms_but_not_the_django_admin_nor_patient_data(client, ed_site, ed_editor):
    assert not ed_editor.is_staff
    client.force_login(ed_editor)
    assert client.get("/cms/").status_code == 200
    resp = client.get("/django-admin/")
    assert resp.status_code in (302, 403)
    if resp.status_code == 302:
        assert "/django-admin/login/" in resp["Location"] or "login" in resp["Location"]
    assert client.get("/consulta/pacientes/").status_code in (403, 404)
    assert client.get("/api/v1/nutritionist/patients").status_code in (403, 404)


def test_editor_creates_and_submits_but_cannot_publish(client, ed_site, ed_editor):
    resp = _create_as(client, ed_editor, ed_site["blog"], "action-submit")
    assert resp.status_code == 302, resp.content[:2000]
    page = BlogPage.objects.get(slug="desayunos-diabetes")
    assert not page.live
    assert page.permissions_for_user(ed_editor).can_publish() is False
    state = page.current_workflow_state
    assert state is not None and state.status == "in_progress"
    assert state.workflow.name == WORKFLOW_NAME

    # Trying to publish through the admin leaves it unpublished.
    data = _post_form(page.title, page.slug)
    data["action-publish"] = "1"
    client.post(reverse("wagtailadmin_pages:edit", args=(page.pk,)), data)
    page.refresh_from_db()
    assert not page.live
    # A direct publish of a draft (the "Publish" menu action) is refused too.
    resp = client.post(reverse("wagtailadmin_pages:edit", args=(page.pk,)), {**data, "action-publish": "action-publish"})
    page.refresh_from_db()
    assert not page.live


def test_moderator_approves_and_the_page_goes_live(client, ed_site, ed_editor, ed_moderator):
    _create_as(client, ed_editor, ed_site["blog"], "action-submit")
    page = BlogPage.objects.get(slug="desayunos-diabetes")
    assert page.permissions_for_user(ed_moderator).can_publish() is True
    task_state = page.current_workflow_task_state
    client.force_login(ed_moderator)
    resp = client.post(reverse("wagtailadmin_pages:workflow_action", args=(page.pk, "approve", task_state.pk)),
                       {"comment": "Listo"})
    assert resp.status_code in (200, 302)
    page.refresh_from_db()
    assert page.live
    assert client.get(page.url).status_code == 200


def test_revisions_and_compare(client, ed_site, ed_editor, ed_moderator):
    _create_as(client, ed_editor, ed_site["blog"], "action-draft")
    page = BlogPage.objects.get(slug="desayunos-diabetes")
    client.post(reverse("wagtailadmin_pages:edit", args=(page.pk,)),
                {**_post_form("Desayunos para diabetes tipo 2", page.slug), "action-draft": "1"})
    revisions = list(page.revisions.order_by("created_at", "id"))
    assert len(revisions) >= 2
    client.force_login(ed_moderator)
    url = reverse("wagtailadmin_pages:revisions_compare", args=(page.pk, revisions[0].pk, revisions[-1].pk))
    resp = client.get(url)
    assert resp.status_code == 200
    assert "tipo 2" in resp.content.decode()
    assert client.get(reverse("wagtailadmin_pages:history", args=(page.pk,))).status_code == 200


def test_scheduled_publishing_goes_live_after_go_live_at(ed_site):
    from content.tasks import publish_scheduled

    page = add_post(ed_site["blog"], "Entrada programada", live=False)
    page.go_live_at = timezone.now() + datetime.timedelta(hours=1)
    revision = page.save_revision(approved_go_live_at=page.go_live_at)
    revision.publish()  # with a future go_live_at this only schedules it
    page.refresh_from_db()
    assert not page.live
    publish_scheduled.delay()
    page.refresh_from_db()
    assert not page.live

    # An hour later (the revision's schedule moves into the past).
    past = timezone.now() - datetime.timedelta(minutes=1)
    revision.refresh_from_db()
    revision.approved_go_live_at = past
    revision.content["go_live_at"] = past.isoformat()
    revision.save(update_fields=["approved_go_live_at", "content"])
    publish_scheduled.delay()
    page.refresh_from_db()
    assert page.live
    assert Page.objects.live().filter(pk=page.pk).exists()


def test_beat_runs_scheduled_publishing_every_minute():
    from config.celery import app

    entry = app.conf.beat_schedule["content-publish-scheduled"]
    assert entry["task"] == "content.tasks.publish_scheduled"
    assert entry["schedule"].minute == set(range(60))
