"""The search page (tabs, htmx panel) and the search API (validation, pagination, no leaks)."""

import pytest
from rest_framework_simplejwt.tokens import AccessToken

from social.models import Block, Post
from social.services.posts import post_create

pytestmark = pytest.mark.django_db
PAGE = "/comunidad/buscar/"
API = "/api/v1/search/"


def bearer(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {AccessToken.for_user(user)}"}


def make_post(author, body, **kw):
    return post_create(actor=author, body=body, enforce_limit=False, **kw)


@pytest.fixture
def author(make_user):
    return make_user(first_name="Alma", last_name="Autora")


def test_page_posts_tab_full_and_htmx(client, author, user):
    make_post(author, "Mis #tamales de rajas con queso")
    make_post(author, "Tamales solo para seguidores", visibility="followers")
    client.force_login(user)
    html = client.get(PAGE, {"q": "tamales"}).content.decode()
    assert "<html" in html and "de rajas con queso" in html and "solo para seguidores" not in html
    assert "1 resultado" in html
    panel = client.get(PAGE, {"q": "tamales", "tipo": "publicaciones"}, HTTP_HX_REQUEST="true",
                       HTTP_HX_TARGET="search-panel").content.decode()
    assert "<html" not in panel and 'id="search-panel"' in panel and "de rajas con queso" in panel


def test_page_tags_and_people_tabs(client, make_user, author, user):
    make_post(author, "Hoy #desayuno rico")
    make_user(first_name="Ramón", last_name="Gómez")
    client.force_login(user)
    tags = client.get(PAGE, {"q": "desa", "tipo": "etiquetas"}, HTTP_HX_REQUEST="true",
                      HTTP_HX_TARGET="search-panel").content.decode()
    assert "#desayuno" in tags and "1 publicación" in tags
    people = client.get(PAGE, {"q": "ramon", "tipo": "personas"}).content.decode()
    assert "Ramón Gómez" in people
    assert 'aria-current="page"' in people


def test_page_escapes_query_and_explains_short_query(client, user):
    client.force_login(user)
    html = client.get(PAGE, {"q": "<script>x</script>"}).content.decode()
    assert "<script>x</script>" not in html and "&lt;script&gt;" in html
    short = client.get(PAGE, {"q": "a"}).content.decode()
    assert "al menos 2 caracteres" in short
    assert client.get(PAGE).status_code == 200


def test_page_more_results_partial(client, author, user):
    for i in range(12):
        make_post(author, f"Smoothie verde número {i}")
    client.force_login(user)
    first = client.get(PAGE, {"q": "smoothie"}).content.decode()
    assert 'id="search-more"' in first
    more = client.get(PAGE, {"q": "smoothie", "page": 2}, HTTP_HX_REQUEST="true",
                      HTTP_HX_TARGET="search-more").content.decode()
    assert "<html" not in more and 'id="search-panel"' not in more and "Smoothie verde" in more
    assert 'id="search-more"' not in more  # the last page


def test_page_needs_sign_in(client):
    assert client.get(PAGE, {"q": "hola"}).status_code == 302


def test_api_posts(client, make_user, author, user):
    public = make_post(author, "Caldo de pollo para el frío")
    make_post(author, "Caldo para seguidores", visibility="followers")
    hidden = make_post(author, "Caldo oculto")
    Post.objects.filter(pk=hidden.pk).update(moderation_status="hidden")
    blocker = make_user()
    make_post(blocker, "Caldo de alguien que me bloqueó")
    Block.objects.create(blocker=blocker, blocked=user)
    response = client.get(API + "posts", {"q": "caldo"}, **bearer(user))
    assert response.status_code == 200
    body = response.json()
    assert [p["id"] for p in body["results"]] == [public.pk]
    assert (body["page"], body["limit"], body["total_pages"], body["total_results"]) == (1, 20, 1, 1)
    assert body["results"][0]["author"]["username"] == author.username


@pytest.mark.parametrize("params", [{}, {"q": "a"}, {"q": "x" * 101}, {"q": "caldo", "page": "0"},
                                    {"q": "caldo", "limit": "500"}])
def test_api_validation(client, user, params):
    for kind in ("posts", "tags", "people"):
        response = client.get(API + kind, params, **bearer(user))
        assert response.status_code == 400, (kind, params)
        assert response.json()["error"]["code"] == "VALIDATION_ERROR"


def test_api_tags_and_people(client, make_user, author, user):
    make_post(author, "#Hidratación ante todo")
    found = make_user(first_name="Lucía", last_name="Hernández")
    blocked = make_user(first_name="Lucía", last_name="Bloqueada")
    Block.objects.create(blocker=blocked, blocked=user)
    tags = client.get(API + "tags", {"q": "hidratacion"}, **bearer(user)).json()
    assert tags["results"] == [{"tag": "hidratación", "posts_count": 1}]
    people = client.get(API + "people", {"q": "lucia"}, **bearer(user)).json()
    assert [p["id"] for p in people["results"]] == [found.pk]
    assert client.get(API + "people", {"q": "lucia"}).status_code == 401


def test_api_pagination(client, author, user):
    for i in range(3):
        make_post(author, f"Ensalada de nopal {i}")
    body = client.get(API + "posts", {"q": "nopal", "limit": 2, "page": 2}, **bearer(user)).json()
    assert (len(body["results"]), body["total_pages"], body["total_results"]) == (1, 2, 3)
