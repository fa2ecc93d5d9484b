"""Posts, the ranked feed, visibility (including retroactive changes), blocks, mutes,
reactions, comments, saves and shares: services, pages and API."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken

from social import rules
from social.models import Comment, Post, PostTag, Reaction
from social.selectors import posts as selectors
from social.services import interactions, people
from social.services import posts as services
from social.services.common import SocialRateLimited

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {AccessToken.for_user(user)}")
    return client


def feed_ids(user) -> list[int]:
    return [p.pk for p in selectors.feed_page(viewer=user, limit=50).posts]


def jpeg_with_gps() -> SimpleUploadedFile:
    image = Image.new("RGB", (64, 48), (200, 80, 40))
    exif = Image.Exif()
    exif[0x010F] = "CamaraEspia"  # camera make
    exif[0x9286] = "Tomada en la cocina de casa, Coyoacán"  # user comment (a place)
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return SimpleUploadedFile("foto.jpg", out.getvalue(), content_type="image/jpeg")


@pytest.fixture
def ana(make_user):
    return make_user(first_name="Ana", last_name="López")


@pytest.fixture
def beto(make_user):
    return make_user(first_name="Beto", last_name="Ruiz")


@pytest.fixture
def carla(make_user):
    return make_user(first_name="Carla", last_name="Díaz")


# ---------------------------------------------------------------------------------------
# creating posts


def test_progress_post_with_photos_computes_weight_lost_and_strips_exif(ana):
    post = services.post_create(
        actor=ana, type="progress", body="Un mes de cambios #Progreso",
        progress_data={"weight_before_kg": "82.5", "weight_after_kg": 78, "time_period_days": 30},
        images=[jpeg_with_gps(), jpeg_with_gps()],
    )
    assert post.progress_data == {"weight_before_kg": 82.5, "weight_after_kg": 78.0, "time_period_days": 30,
                                  "weight_lost_kg": 4.5}
    roles = [i.role for i in post.images.all()]
    assert roles == ["before", "after"]
    stored = Image.open(post.images.first().image.path)
    assert not stored.getexif(), "EXIF (with GPS) must be stripped"
    assert list(PostTag.objects.filter(post=post).values_list("tag", flat=True)) == ["progreso"]


def test_bad_inputs_are_refused_with_field_errors_and_nothing_saved(ana):
    from django.core.exceptions import ValidationError

    cases = [
        dict(body=""),
        dict(body="x" * 5001),
        dict(body=123),
        dict(type="video", body="hola"),
        dict(visibility="everyone", body="hola"),
        dict(type="progress", progress_data={"weight_before_kg": "abc", "weight_after_kg": 70}),
        dict(type="progress", progress_data="{not json"),
        dict(type="photo", body="sin foto"),
        dict(body="cinco fotos", images=[jpeg_with_gps() for _ in range(5)]),
        dict(body="no es imagen", images=[SimpleUploadedFile("x.jpg", b"%PDF-1.4 nope", content_type="image/jpeg")]),
        dict(visibility="nutritionist_only", body="solo para mi nutrióloga"),
    ]
    for kwargs in cases:
        with pytest.raises(ValidationError):
            services.post_create(actor=ana, **kwargs)
    assert Post.objects.count() == 0


def test_html_and_scripts_never_survive_in_posts_comments_or_names(ana, beto, client):
    people.follow(actor=beto, user_id=ana.pk)
    post = services.post_create(
        actor=ana, title='<img src=x onerror=alert(1)>Título',
        body='Hola <script>alert("x")</script><b>negritas</b> #<script>tag @<svg/onload=alert(1)>',
    )
    assert "<" not in post.body.replace("‹", "") and "<" not in post.title
    comment = interactions.comment_create(actor=beto, post_id=post.pk, content="<iframe src=//evil></iframe>genial")
    assert comment.body == "genial"
    ana.first_name = "<script>alert('nombre')</script>"
    ana.save()
    client.force_login(beto)
    html = client.get(f"/comunidad/p/{post.pk}/").content.decode()
    assert "<script>alert" not in html and "onerror=alert" not in html and "<svg/onload" not in html
    assert "&lt;script&gt;alert(&#x27;nombre&#x27;)&lt;/script&gt;" in html
    body = api(beto).get(f"/api/v1/posts/{post.pk}").json()
    assert "<script" not in body["post"]["body"] and "<script" not in body["post"]["body_html"]


def test_mentions_notify_and_link_only_real_people(ana, beto):
    from accounts.models import Notification

    post = services.post_create(actor=ana, body=f"Gracias @{beto.username} y @nadie_existe por el apoyo #MotivaciónDiaria")
    assert list(post.mentions.all()) == [beto]
    html = str(selectors.post_body_html(selectors.post_get(viewer=beto, post_id=post.pk)))
    assert f'href="/comunidad/personas/{beto.username}/"' in html
    assert "@nadie_existe" in html and "personas/nadie_existe" not in html
    assert 'href="/comunidad/etiqueta/motivaci%C3%B3ndiaria/"' in html or "etiqueta/motivacióndiaria/" in html
    assert Notification.objects.filter(user=beto, kind="mention").count() == 1


def test_twenty_posts_an_hour_then_429_in_api_and_message_on_page(ana, settings, client):
    settings.API_RATE_LIMITS_ENABLED = True
    for i in range(20):
        services.post_create(actor=ana, body=f"publicación {i} con texto distinto")
    with pytest.raises(SocialRateLimited):
        services.post_create(actor=ana, body="la número 21")
    response = api(ana).post("/api/v1/posts", {"body": "otra"}, format="json")
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "RATE_LIMIT_EXCEEDED"
    client.force_login(ana)
    page = client.post("/comunidad/publicar/", {"body": "desde la página", "visibility": "public"}, follow=True)
    assert "Vas muy rápido" in page.content.decode()
    assert Post.objects.filter(author=ana).count() == 20


def test_new_account_spam_is_held_until_approved(make_user):
    spammer = make_user(first_name="Spam")
    post = services.post_create(actor=spammer, body="Gana dinero fácil con bitcoin, escríbeme al whatsapp https://x.co https://y.co")
    assert post.moderation_status == "pending" and post.moderation_reason == "spam_hold"
    other = make_user()
    assert feed_ids(other) == []
    with pytest.raises(rules.PostNotFound):
        selectors.post_get(viewer=other, post_id=post.pk)
    # the author still sees it, marked as in review
    assert selectors.post_get(viewer=spammer, post_id=post.pk).moderation_status == "pending"
    veteran = make_user(first_name="Vieja")
    veteran.date_joined = timezone.now() - timedelta(days=30)
    veteran.save()
    assert services.post_create(actor=veteran, body="Gana dinero fácil con bitcoin").moderation_status == "approved"


# ---------------------------------------------------------------------------------------
# the feed and retroactive privacy


def test_feed_shows_followed_people_own_posts_and_nutritionist(ana, beto, carla, make_nutritionist, make_care):
    nutri = make_nutritionist()
    make_care(nutri, ana)
    people.follow(actor=ana, user_id=beto.pk)
    by_beto = services.post_create(actor=beto, body="de Beto para seguidores", visibility="followers")
    by_carla = services.post_create(actor=carla, body="de Carla, a quien Ana no sigue")
    mine = services.post_create(actor=ana, body="mía")
    by_nutri = services.post_create(actor=nutri, body="consejo de la nutrióloga")
    private_note = services.post_create(actor=ana, body="solo para mi nutrióloga", visibility="nutritionist_only")
    assert set(feed_ids(ana)) == {by_beto.pk, mine.pk, by_nutri.pk, private_note.pk}
    assert by_carla.pk not in feed_ids(ana)
    assert private_note.pk in feed_ids(nutri)
    assert private_note.pk not in feed_ids(beto)
    with pytest.raises(rules.PostNotFound):
        selectors.post_get(viewer=beto, post_id=private_note.pk)


def test_ranking_boosts_closeness_and_engagement_over_pure_recency(ana, beto, carla, make_nutritionist, make_care):
    nutri = make_nutritionist()
    make_care(nutri, ana)
    people.follow(actor=ana, user_id=beto.pk)
    people.follow(actor=ana, user_id=carla.pk)
    old_nutri = services.post_create(actor=nutri, body="de hace 3 horas, de mi nutrióloga")
    Post.objects.filter(pk=old_nutri.pk).update(created_at=timezone.now() - timedelta(hours=3))
    popular = services.post_create(actor=carla, body="de hace 3 horas, muy comentada")
    Post.objects.filter(pk=popular.pk).update(created_at=timezone.now() - timedelta(hours=3), comments_count=40, reactions_count=80)
    quiet = services.post_create(actor=beto, body="de hace 3 horas, sin interacción")
    Post.objects.filter(pk=quiet.pk).update(created_at=timezone.now() - timedelta(hours=3))
    fresh = services.post_create(actor=beto, body="recién publicada")
    order = feed_ids(ana)
    assert order[0] in (fresh.pk, popular.pk)
    assert order.index(popular.pk) < order.index(quiet.pk)
    assert order.index(old_nutri.pk) < order.index(quiet.pk)


def test_visibility_change_delete_block_unfollow_leave_feeds_at_once(ana, beto, carla):
    people.follow(actor=beto, user_id=ana.pk)
    people.follow(actor=carla, user_id=ana.pk)
    post = services.post_create(actor=ana, body="para seguidores", visibility="followers")
    assert post.pk in feed_ids(beto) and post.pk in feed_ids(carla)
    # a later page of the infinite scroll reads the snapshot, yet never shows what is gone
    services.post_update(actor=ana, post_id=post.pk, data={"visibility": "public"})
    people.unfollow(actor=carla, user_id=ana.pk)
    assert post.pk not in feed_ids(carla)
    people.block(actor=ana, user_id=beto.pk)
    assert post.pk not in feed_ids(beto)
    with pytest.raises(rules.PostNotFound):
        selectors.post_get(viewer=beto, post_id=post.pk)
    # a block ended the follow both ways and refuses a new one
    from social.models import Follow

    assert not Follow.objects.filter(follower=beto, followee=ana).exists()
    with pytest.raises(rules.UserNotFound):
        people.follow(actor=beto, user_id=ana.pk)
    people.follow(actor=carla, user_id=ana.pk)
    assert post.pk in feed_ids(carla)
    services.post_delete(actor=ana, post_id=post.pk)
    assert post.pk not in feed_ids(carla)
    assert api(carla).get(f"/api/v1/posts/{post.pk}").status_code == 404


def test_later_pages_of_a_loaded_feed_never_show_what_became_invisible(ana, beto):
    people.follow(actor=beto, user_id=ana.pk)
    for i in range(12):
        services.post_create(actor=ana, body=f"número {i}", visibility="followers")
    first = selectors.feed_page(viewer=beto, page=1, limit=6)
    assert len(first.posts) == 6 and first.has_next
    people.unfollow(actor=beto, user_id=ana.pk)
    # page 2 reads the ranking snapshot of page 1, but visibility is checked again
    assert selectors.feed_page(viewer=beto, page=2, limit=6).posts == []


def test_mute_hides_from_feed_but_not_from_profile(ana, beto):
    people.follow(actor=beto, user_id=ana.pk)
    post = services.post_create(actor=ana, body="ruido")
    people.mute(actor=beto, user_id=ana.pk)
    assert post.pk not in feed_ids(beto)
    assert [p.pk for p in selectors.profile_posts(viewer=beto, user=ana).posts] == [post.pk]
    people.unmute(actor=beto, user_id=ana.pk)
    assert post.pk in feed_ids(beto)


def test_feed_api_shape_and_pagination(ana, beto):
    people.follow(actor=beto, user_id=ana.pk)
    for i in range(5):
        services.post_create(actor=ana, body=f"publicación {i}")
    body = api(beto).get("/api/v1/feed?page=1&limit=2").json()
    assert body["total_results"] == 5 and body["total_pages"] == 3 and len(body["results"]) == 2
    item = body["results"][0]
    for key in ("id", "author", "type", "body", "media_urls", "progress_data", "likes_count", "comments_count",
                "shares_count", "reactions", "has_liked", "has_saved", "created_at"):
        assert key in item
    assert item["author"]["username"] == ana.username
    assert set(item["reactions"]) == {"heart", "clap", "fire", "strong", "celebrate"}
    page3 = api(beto).get("/api/v1/feed?page=3&limit=2").json()
    seen = {r["id"] for r in body["results"]} | {r["id"] for r in api(beto).get("/api/v1/feed?page=2&limit=2").json()["results"]}
    assert len(seen | {r["id"] for r in page3["results"]}) == 5
    assert api(beto).get("/api/v1/feed?limit=abc").json()["error"]["code"] == "VALIDATION_ERROR"
    assert api(beto).get("/api/v1/feed?type=video").status_code == 400


def test_feed_query_count_is_fixed(ana, beto, django_assert_max_num_queries, make_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def run():
        with CaptureQueriesContext(connection) as ctx:
            response = api(beto).get("/api/v1/feed?limit=20")
            assert response.status_code == 200
        return len(ctx.captured_queries)

    people.follow(actor=beto, user_id=ana.pk)
    services.post_create(actor=ana, body="una")
    run()  # the first read builds the timeline (one more query, once)
    small = run()
    for i in range(25):
        author = make_user()
        people.follow(actor=beto, user_id=author.pk)
        services.post_create(actor=author, body=f"otra {i}", images=[jpeg_with_gps()] if i % 5 == 0 else [])
    assert run() == small <= 14  # user, audience (6), candidates, posts, images, mentions, reactions, saves


# ---------------------------------------------------------------------------------------
# reactions, comments, saves, shares


def test_reactions_one_per_person_changeable_counts_exact(ana, beto, carla):
    post = services.post_create(actor=ana, body="¿Qué tal mi plato?")
    interactions.reaction_set(actor=beto, post_id=post.pk, reaction_type="heart")
    _r, changed = interactions.reaction_set(actor=beto, post_id=post.pk, reaction_type="heart")
    assert changed is False
    interactions.reaction_set(actor=beto, post_id=post.pk, reaction_type="fire")
    interactions.reaction_set(actor=carla, post_id=post.pk, reaction_type="fire")
    post.refresh_from_db()
    assert (post.reactions_count, post.reaction_heart, post.reaction_fire) == (2, 0, 2)
    assert interactions.reaction_remove(actor=beto, post_id=post.pk) is True
    assert interactions.reaction_remove(actor=beto, post_id=post.pk) is False
    post.refresh_from_db()
    assert (post.reactions_count, post.reaction_fire) == (1, 1)
    assert Reaction.objects.count() == 1
    response = api(carla).post(f"/api/v1/posts/{post.pk}/reactions", {"reaction_type": "strong"}, format="json")
    assert response.status_code == 201 and response.json()["reactions"]["strong"] == 1
    assert api(carla).post(f"/api/v1/posts/{post.pk}/reactions", {"reaction_type": "like"}, format="json").status_code == 400
    assert api(carla).delete(f"/api/v1/posts/{post.pk}/reactions").status_code == 204


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # see tests/realtime/conftest.py
def test_parallel_reaction_requests_leave_exact_counts(make_user, settings):
    """60 people react through the API at the same time, a third of them changing their
    reaction in a second request racing the first: the counters equal the rows."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (SQLite serialises the whole database)")
    settings.API_RATE_LIMITS_ENABLED = False
    author = make_user()
    post = services.post_create(actor=author, body="¡Reto cumplido!")
    fans = [make_user() for _ in range(60)]
    kinds = ["heart", "clap", "fire", "strong", "celebrate"]

    def react(i):
        try:
            client = api(fans[i % len(fans)])
            response = client.post(f"/api/v1/posts/{post.pk}/reactions", {"reaction_type": kinds[i % 5]}, format="json")
            assert response.status_code in (200, 201), response.content
            if i % 3 == 0:
                client.post(f"/api/v1/posts/{post.pk}/reactions", {"reaction_type": kinds[(i + 1) % 5]}, format="json")
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=12) as pool:
        list(pool.map(react, range(120)))
    post.refresh_from_db()
    rows = dict.fromkeys(kinds, 0)
    for kind in Reaction.objects.filter(post=post).values_list("type", flat=True):
        rows[kind] += 1
    assert post.reactions_count == Reaction.objects.filter(post=post).count() == 60
    assert post.reactions == rows
    shown = api(author).get(f"/api/v1/posts/{post.pk}").json()["post"]
    assert shown["likes_count"] == 60 and shown["reactions"] == rows


def test_comments_nest_three_levels_oldest_first_and_deleted_threads_stay_readable(ana, beto, carla):
    from accounts.models import Notification

    post = services.post_create(actor=ana, body="Mi comida de hoy")
    c1 = interactions.comment_create(actor=beto, post_id=post.pk, content="¡Se ve rica!")
    c2 = interactions.comment_create(actor=ana, post_id=post.pk, content="Gracias", parent_comment_id=c1.pk)
    c3 = interactions.comment_create(actor=carla, post_id=post.pk, content="¿Receta?", parent_comment_id=c2.pk)
    c4 = interactions.comment_create(actor=beto, post_id=post.pk, content="yo también quiero", parent_comment_id=c3.pk)
    assert (c1.depth, c2.depth, c3.depth, c4.depth) == (0, 1, 2, 2)
    assert c4.parent_id == c2.pk  # a fourth level attaches to the third
    assert Notification.objects.filter(user=ana, kind="post_comment").count() == 3
    assert Notification.objects.filter(user=beto, kind="comment_reply").count() == 1
    interactions.comment_delete(actor=beto, comment_id=c1.pk)
    tree = selectors.comments_tree(viewer=carla, post=post)
    assert tree[0].is_hidden and tree[0].children[0].pk == c2.pk
    flat = api(carla).get(f"/api/v1/posts/{post.pk}/comments").json()["results"]
    assert [c["content"] for c in flat] == ["", "Gracias", "¿Receta?", "yo también quiero"]
    assert flat[0]["is_deleted"] is True and flat[0]["author"] is None
    post.refresh_from_db()
    assert post.comments_count == 3


def test_comment_edit_like_and_permissions(ana, beto, carla):
    post = services.post_create(actor=ana, body="hola")
    comment = interactions.comment_create(actor=beto, post_id=post.pk, content="primero")
    assert api(carla).patch(f"/api/v1/comments/{comment.pk}", {"content": "hackeado"}, format="json").status_code == 404
    assert api(carla).delete(f"/api/v1/comments/{comment.pk}").status_code == 404
    response = api(beto).patch(f"/api/v1/comments/{comment.pk}", {"content": "editado bien"}, format="json")
    assert response.status_code == 200 and response.json()["comment"]["is_edited"] is True
    liked = api(carla).post(f"/api/v1/comments/{comment.pk}/like").json()
    again = api(carla).post(f"/api/v1/comments/{comment.pk}/like").json()
    assert liked["likes_count"] == again["likes_count"] == 1 and again["has_liked"] is True
    # the post's author may remove a comment on their post
    assert api(ana).delete(f"/api/v1/comments/{comment.pk}").status_code == 204
    assert Comment.objects.get(pk=comment.pk).is_deleted


def test_save_and_share(ana, beto, carla):
    post = services.post_create(actor=ana, body="Receta de agua de jamaica sin azúcar #recetas")
    assert api(beto).post(f"/api/v1/posts/{post.pk}/save").json() == {"has_saved": True}
    assert api(beto).post(f"/api/v1/posts/{post.pk}/save").json() == {"has_saved": True}
    saved = api(beto).get("/api/v1/posts/saved").json()
    assert [r["id"] for r in saved["results"]] == [post.pk] and saved["results"][0]["has_saved"] is True
    first = api(beto).post(f"/api/v1/posts/{post.pk}/share", {"body": "¡Pruébenla!"}, format="json")
    assert first.status_code == 201
    again = api(beto).post(f"/api/v1/posts/{post.pk}/share", {"body": "otra vez"}, format="json")
    assert again.status_code == 200 and again.json()["replayed"] is True
    post.refresh_from_db()
    assert (post.saves_count, post.shares_count) == (1, 1)
    people.follow(actor=carla, user_id=beto.pk)
    shared = selectors.feed_page(viewer=carla).posts[0]
    assert shared.shared_visible.pk == post.pk
    followers_only = services.post_create(actor=ana, body="solo seguidores", visibility="followers")
    assert api(beto).post(f"/api/v1/posts/{followers_only.pk}/share").status_code == 404


def test_someone_elses_post_answers_404_everywhere(ana, beto, client):
    post = services.post_create(actor=ana, body="privada", visibility="followers")
    b = api(beto)
    for method, url, data in [
        ("get", f"/api/v1/posts/{post.pk}", None),
        ("patch", f"/api/v1/posts/{post.pk}", {"body": "x"}),
        ("delete", f"/api/v1/posts/{post.pk}", None),
        ("post", f"/api/v1/posts/{post.pk}/reactions", {"reaction_type": "heart"}),
        ("post", f"/api/v1/posts/{post.pk}/comments", {"content": "hola"}),
        ("get", f"/api/v1/posts/{post.pk}/comments", None),
        ("post", f"/api/v1/posts/{post.pk}/save", None),
        ("post", f"/api/v1/posts/{post.pk}/share", None),
        ("get", "/api/v1/posts/999999", None),
    ]:
        response = getattr(b, method)(url, data, format="json") if data else getattr(b, method)(url)
        assert response.status_code == 404, (method, url)
        assert response.json()["error"]["code"] == "POST_NOT_FOUND"
    public = services.post_create(actor=ana, body="pública")
    assert b.patch(f"/api/v1/posts/{public.pk}", {"body": "mía ahora"}, format="json").status_code == 404
    assert b.delete(f"/api/v1/posts/{public.pk}").status_code == 404
    client.force_login(beto)
    for url in [f"/comunidad/p/{post.pk}/", f"/comunidad/p/{public.pk}/editar/"]:
        assert client.get(url).status_code == 404
    assert client.post(f"/comunidad/p/{public.pk}/eliminar/").status_code == 404
    assert Post.objects.get(pk=public.pk).deleted_at is None


# ---------------------------------------------------------------------------------------
# pages


def test_feed_page_and_infinite_scroll_partial(ana, beto, client):
    people.follow(actor=beto, user_id=ana.pk)
    for i in range(12):
        services.post_create(actor=ana, body=f"Publicación número {i} de Ana")
    client.force_login(beto)
    page = client.get("/comunidad/").content.decode()
    assert page.count('class="post card"') == 10
    assert 'hx-trigger="revealed"' in page and "page=2" in page
    assert "Hay publicaciones nuevas" in page  # the pill, hidden until a live post arrives
    more = client.get("/comunidad/?page=2", HTTP_HX_REQUEST="true").content.decode()
    assert more.count('class="post card"') == 2 and "<html" not in more


def test_compose_react_comment_and_edit_through_pages(ana, beto, client):
    client.force_login(ana)
    response = client.post("/comunidad/publicar/", {
        "type": "progress", "body": "Mi avance", "visibility": "public",
        "weight_before_kg": "80", "weight_after_kg": "76.5", "time_period_days": "45", "images": [jpeg_with_gps()],
    }, follow=True)
    assert "¡Publicado!" in response.content.decode()
    post = Post.objects.get(author=ana)
    assert post.progress_data["weight_lost_kg"] == 3.5 and post.images.count() == 1
    client.force_login(beto)
    swapped = client.post(f"/comunidad/p/{post.pk}/reaccion/", {"reaction_type": "clap"}, HTTP_HX_REQUEST="true").content.decode()
    assert 'value="clap" class="reaction is-on" aria-pressed="true"' in swapped and "👏 1" in swapped
    thread = client.post(f"/comunidad/p/{post.pk}/comentarios/", {"content": "¡Bravo!"}, HTTP_HX_REQUEST="true").content.decode()
    assert "¡Bravo!" in thread and 'id="thread"' in thread
    empty = client.post(f"/comunidad/p/{post.pk}/comentarios/", {"content": "   "}, HTTP_HX_REQUEST="true").content.decode()
    assert "Este campo es obligatorio" in empty
    detail = client.get(f"/comunidad/p/{post.pk}/").content.decode()
    assert "Bajé" in detail and "3.5 kg" in detail and "45 días" in detail
    client.force_login(ana)
    client.post(f"/comunidad/p/{post.pk}/editar/", {"title": "", "body": "Mi avance (corregido)", "visibility": "followers"})
    post.refresh_from_db()
    assert post.is_edited and post.visibility == "followers"
    assert "editado" in client.get(f"/comunidad/p/{post.pk}/").content.decode()


def test_profile_page_follow_button_and_lists(ana, beto, client):
    services.post_create(actor=ana, type="achievement", body="¡30 días registrando!")
    client.force_login(beto)
    page = client.get(f"/comunidad/personas/{ana.username}/").content.decode()
    assert "Seguir" in page and "¡30 días registrando!" in page and "Logros" in page
    swapped = client.post(f"/comunidad/personas/{ana.username}/seguir/", HTTP_HX_REQUEST="true").content.decode()
    assert "Siguiendo" in swapped
    followers = client.get(f"/comunidad/personas/{ana.username}/seguidores/").content.decode()
    assert f"@{beto.username}" in followers
    profile = api(beto).get(f"/api/v1/profiles/{ana.username}").json()
    assert profile["is_following"] is True and profile["followers_count"] == 1
    client.force_login(ana)
    client.post(f"/comunidad/personas/{beto.username}/bloquear/")
    client.force_login(beto)
    assert client.get(f"/comunidad/personas/{ana.username}/").status_code == 404
    assert api(beto).get(f"/api/v1/profiles/{ana.username}").status_code == 404


def test_anonymous_visitor_reads_public_post_only(ana, client):
    public = services.post_create(actor=ana, body="pública para todos")
    hidden = services.post_create(actor=ana, body="solo seguidores", visibility="followers")
    assert "pública para todos" in client.get(f"/comunidad/p/{public.pk}/").content.decode()
    assert client.get(f"/comunidad/p/{hidden.pk}/").status_code == 404
    assert client.get("/comunidad/").status_code == 302
    assert APIClient().get("/api/v1/feed").status_code == 401


def test_trending_by_virality_and_staff_featured(ana, beto, carla, make_user, client):
    from social.services.posts import trending_refresh, virality

    quiet = services.post_create(actor=ana, body="tranquila")
    hot = services.post_create(actor=beto, body="¡la más comentada!")
    Post.objects.filter(pk=hot.pk).update(comments_count=10, reactions_count=5, created_at=timezone.now() - timedelta(hours=2))
    followers_only = services.post_create(actor=carla, body="popular pero solo para seguidores", visibility="followers")
    Post.objects.filter(pk=followers_only.pk).update(comments_count=50)
    assert trending_refresh()[0] == hot.pk
    hot.refresh_from_db()
    assert hot.is_trending and hot.virality_score == pytest.approx(virality(reactions=5, comments=10, shares=0,
                                                                         created_at=hot.created_at), rel=0.01)
    assert followers_only.pk not in [p.pk for p in selectors.trending_posts(viewer=ana)]
    assert quiet.pk not in [p.pk for p in selectors.trending_posts(viewer=ana)]
    # staff feature a public post for everyone's "Destacadas"; others cannot
    assert api(ana).post(f"/api/v1/posts/{quiet.pk}/feature", {"featured": True}, format="json").status_code == 404
    staff = make_user(is_staff=True)
    assert api(staff).post(f"/api/v1/posts/{quiet.pk}/feature", {"featured": True}, format="json").status_code == 200
    featured = api(beto).get("/api/v1/feed/featured").json()["results"]
    assert [p["id"] for p in featured] == [quiet.pk] and featured[0]["is_featured"] is True
    assert api(staff).post(f"/api/v1/posts/{followers_only.pk}/feature", format="json").status_code == 400


def test_views_count_once_per_person_and_not_the_author(ana, beto, carla, client):
    post = services.post_create(actor=ana, body="cuenten mis visitas")
    for viewer in (beto, beto, carla, ana):
        client.force_login(viewer)
        client.get(f"/comunidad/p/{post.pk}/")
    post.refresh_from_db()
    assert post.views_count == 2
