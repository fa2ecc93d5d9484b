"""Moderation pages: the queue (staff and group moderators; 404 for everyone else), its htmx
actions, and the report form (htmx partial or redirect back)."""

import pytest

from accounts.models import Notification
from social.models import Group, GroupMember, GroupRole, Post, Report
from social.services import moderation as services
from social.services.posts import post_create

pytestmark = pytest.mark.django_db
QUEUE = "/comunidad/moderacion/"


def make_post(author, body="Mi comida de hoy", **kw):
    return post_create(actor=author, body=body, enforce_limit=False, **kw)


@pytest.fixture
def author(make_user):
    return make_user(first_name="Alma", last_name="Autora")


@pytest.fixture
def staff(make_user):
    from tests.accounts import enable_totp

    person = make_user(is_staff=True, first_name="Sara", last_name="Staff")
    enable_totp(person, with_recovery_codes=False)  # staff pages require an authenticator
    return person


def test_queue_shows_reported_content_escaped(client, make_user, author, staff):
    post = make_post(author, body="Hola")
    # Stored text is cleaned on the way in; even raw markup that got into the database
    # (an import, an old row) must reach the moderator as text, never as HTML.
    Post.objects.filter(pk=post.pk).update(body='<script>alert("xss")</script><img src=x onerror=alert(1)>',
                                           title="<b>negritas</b>")
    reporter = make_user()
    services.report_create(actor=reporter, post_id=post.pk, reason="spam", details="Mira esto")
    Report.objects.filter(post=post).update(details="<i>detalle</i>")
    client.force_login(staff)
    html = client.get(QUEUE).content.decode()
    assert "&lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt;" in html
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;b&gt;negritas&lt;/b&gt;" in html and "&lt;i&gt;detalle&lt;/i&gt;" in html
    assert "Spam o publicidad · 1" in html
    assert "1 persona lo reportó" in html


def test_non_staff_get_404_on_queue_and_actions(client, make_user, author, user):
    post = make_post(author)
    services.report_create(actor=make_user(), post_id=post.pk, reason="spam")
    client.force_login(user)
    assert client.get(QUEUE).status_code == 404
    assert client.post(f"{QUEUE}publicacion/{post.pk}/", {"action": "hide"}).status_code == 404
    post.refresh_from_db()
    assert post.moderation_status == "approved"
    client.logout()
    assert client.get(QUEUE).status_code == 302  # to sign in


def test_htmx_action_replaces_the_row_and_informs_reporters(client, make_user, author, staff):
    post = make_post(author)
    reporter = make_user()
    services.report_create(actor=reporter, post_id=post.pk, reason="harassment")
    client.force_login(staff)
    page = client.get(QUEUE).content.decode()
    assert f'id="mod-post-{post.pk}"' in page
    response = client.post(f"{QUEUE}publicacion/{post.pk}/", {"action": "hide", "notes": "revisado"},
                           HTTP_HX_REQUEST="true", HTTP_HX_TARGET=f"mod-post-{post.pk}")
    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="mod-post-{post.pk}"' in html and "Ocultaste la publicación" in html
    assert "<html" not in html
    post.refresh_from_db()
    assert post.moderation_status == "hidden" and post.moderation_notes == "revisado"
    assert Notification.objects.filter(user=reporter, kind="report_resolved").exists()
    assert f'id="mod-post-{post.pk}"' not in client.get(QUEUE).content.decode()


def test_full_page_action_redirects_to_queue(client, make_user, author, staff):
    post = make_post(author)
    comment_author = make_user()
    from social.models import Comment

    comment = Comment.objects.create(post=post, author=comment_author, body="feo")
    services.report_create(actor=author, comment_id=comment.pk, reason="harassment")
    client.force_login(staff)
    response = client.post(f"{QUEUE}comentario/{comment.pk}/", {"action": "remove"})
    assert response.status_code == 302 and response["Location"] == QUEUE
    comment.refresh_from_db()
    assert comment.moderation_status == "removed"


def test_group_moderator_page_scope(client, make_user, author):
    owner = make_user()
    mine = Group.objects.create(name="Mi grupo", slug="mi-grupo", created_by=owner)
    other = Group.objects.create(name="Otro grupo", slug="otro-grupo", created_by=owner)
    mod = make_user()
    GroupMember.objects.create(group=mine, user=mod, role=GroupRole.MODERATOR)
    for g in (mine, other):
        GroupMember.objects.create(group=g, user=author, role=GroupRole.MEMBER)
    inside = make_post(author, body="Dentro del grupo", visibility="group", group_id=mine.pk)
    outside = make_post(author, body="Fuera de mi grupo", visibility="group", group_id=other.pk)
    reporter = make_user()
    for g in (mine, other):
        GroupMember.objects.create(group=g, user=reporter, role=GroupRole.MEMBER)
    for p in (inside, outside):
        services.report_create(actor=reporter, post_id=p.pk, reason="spam")
    client.force_login(mod)
    html = client.get(QUEUE).content.decode()
    assert "Dentro del grupo" in html and "Fuera de mi grupo" not in html
    assert client.post(f"{QUEUE}publicacion/{outside.pk}/", {"action": "remove"}).status_code == 404
    assert Post.objects.get(pk=outside.pk).moderation_status == "approved"
    assert client.post(f"{QUEUE}publicacion/{inside.pk}/", {"action": "remove"}).status_code == 302


def test_nav_has_moderation_for_staff_only(client, staff, user):
    client.force_login(staff)
    assert 'href="/comunidad/moderacion/"' in client.get("/comunidad/buscar/").content.decode()
    client.force_login(user)
    assert 'href="/comunidad/moderacion/"' not in client.get("/comunidad/buscar/").content.decode()


# ---------------------------------------------------------------------------------------
# report form


def test_report_htmx_partial_and_idempotent(client, author, user):
    post = make_post(author)
    client.force_login(user)
    url = f"/comunidad/moderacion/reportar/publicacion/{post.pk}/"
    form = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert 'name="reason"' in form and "<html" not in form
    for _ in range(2):
        response = client.post(url, {"reason": "misinformation", "details": "Dice que el azúcar cura"},
                               HTTP_HX_REQUEST="true")
        assert response.status_code == 200
        assert "Gracias, lo revisaremos" in response.content.decode()
    assert Report.objects.filter(post=post, reporter=user).count() == 1


def test_report_full_page_redirects_back(client, author, user):
    post = make_post(author)
    client.force_login(user)
    response = client.post(f"/comunidad/moderacion/reportar/publicacion/{post.pk}/",
                           {"reason": "spam", "next": "/comunidad/buscar/?q=hola"})
    assert response.status_code == 302 and response["Location"] == "/comunidad/buscar/?q=hola"
    evil = client.post(f"/comunidad/moderacion/reportar/publicacion/{post.pk}/",
                       {"reason": "spam", "next": "https://malo.example.com/"})
    assert evil["Location"] != "https://malo.example.com/"


def test_report_errors_and_not_found(client, make_user, author, user):
    post = make_post(author)
    hidden = make_post(author, visibility="followers")
    client.force_login(user)
    bad = client.post(f"/comunidad/moderacion/reportar/publicacion/{post.pk}/", {"reason": "nope"},
                      HTTP_HX_REQUEST="true")
    assert bad.status_code == 422 and "Elige un motivo" in bad.content.decode()
    assert client.post(f"/comunidad/moderacion/reportar/publicacion/{hidden.pk}/",
                       {"reason": "spam"}).status_code == 404
    assert client.get(f"/comunidad/moderacion/reportar/publicacion/{hidden.pk}/").status_code == 404
    client.force_login(author)
    own = client.post(f"/comunidad/moderacion/reportar/publicacion/{post.pk}/", {"reason": "spam"},
                      HTTP_HX_REQUEST="true")
    assert own.status_code == 422 and "propia publicación" in own.content.decode()
    assert not Report.objects.exists()


def test_report_comment_page(client, make_user, author, user):
    from social.models import Comment

    post = make_post(author)
    comment = Comment.objects.create(post=post, author=make_user(), body="Comentario feo")
    client.force_login(user)
    response = client.post(f"/comunidad/moderacion/reportar/comentario/{comment.pk}/", {"reason": "harassment"},
                           HTTP_HX_REQUEST="true")
    assert "Gracias, lo revisaremos" in response.content.decode()
    assert Report.objects.get().comment_id == comment.pk
