# ruff: noqa: F811  (fixtures are imported from tests.content.editorial_fixtures)
"""Site search: grouped (blog 5, resources 5, recipes 3, nutritionists 5), typo tolerant in
Spanish, only what a visitor may see; page /buscar/ and GET /api/v1/search."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from content.search import site_search
from tests.content.editorial_fixtures import add_post, add_resource, ed_site  # noqa: F401

pytestmark = pytest.mark.django_db


def _recipe(title, *, published=True, author=None):
    from django.utils.text import slugify

    from nutrition.models import Recipe
    from nutrition.text import normalize

    return Recipe.objects.create(slug=slugify(title), title=title, meal_type="desayuno", is_published=published,
                                 author=author, search_text=normalize(title))


def _nutritionist(make_user, first, last, *, verified=True, n=[0]):  # noqa: B006
    from django.utils.text import slugify

    from clinical.models import NutritionistProfile, VerificationStatus

    n[0] += 1
    user = make_user(first_name=first, last_name=last, user_type="nutritionist")
    return NutritionistProfile.objects.create(
        user=user, slug=slugify(f"{first}-{last}-{n[0]}"), license_number=f"12345{n[0]:03d}", city="Guadalajara",
        verification_status=VerificationStatus.VERIFIED if verified else VerificationStatus.PENDING)


def _groups(q, user=None):
    result = site_search(user=user or AnonymousUser(), q=q)
    return {g.key: g for g in result.groups}, result


def test_groups_are_capped_and_counted(ed_site, make_user):
    for i in range(7):
        add_post(ed_site["blog"], f"Nutrición y diabetes {i}", slug=f"nd-{i}")
        add_resource(ed_site["resources"], f"Guía de nutrición para diabetes {i}")
    for i in range(5):
        _recipe(f"Ensalada para diabetes {i}")
    for i in range(7):
        _nutritionist(make_user, "Diana", f"Diabetes{i}")
    groups, result = _groups("diabetes")
    assert [g for g in groups] == ["blog", "resources", "recipes", "nutritionists"]
    assert (len(groups["blog"].results), groups["blog"].count) == (5, 7)
    assert (len(groups["resources"].results), groups["resources"].count) == (5, 7)
    assert (len(groups["recipes"].results), groups["recipes"].count) == (3, 5)
    assert (len(groups["nutritionists"].results), groups["nutritionists"].count) == (5, 7)


@pytest.mark.parametrize("typed", ["nutricion", "NUTRICIÓN", "nutrisión", "diabetis", "rescetas", "desayuno diabetis"])
def test_typos_and_missing_accents_still_find(ed_site, typed):
    add_post(ed_site["blog"], "Nutrición en la diabetes: recetas de desayuno", slug="nd",
             excerpt="Recetas fáciles para personas con diabetes.", tags=["recetas"])
    groups, _ = _groups(typed)
    assert [r["title"] for r in groups["blog"].results] == ["Nutrición en la diabetes: recetas de desayuno"]


def test_typo_finds_recipes_and_reports_the_correction(ed_site):
    _recipe("Chilaquiles verdes")
    groups, result = _groups("chilaquils")
    assert [r["title"] for r in groups["recipes"].results] == ["Chilaquiles verdes"]
    assert result.corrected == "chilaquiles"


def test_drafts_unpublished_and_private_never_appear(ed_site, make_user):
    from wagtail.models import PageViewRestriction

    add_post(ed_site["blog"], "Diabetes publicada", slug="pub")
    add_post(ed_site["blog"], "Diabetes borrador", slug="draft", live=False)
    gone = add_post(ed_site["blog"], "Diabetes retirada", slug="gone")
    gone.unpublish()
    private = add_post(ed_site["blog"], "Diabetes privada", slug="private")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    add_resource(ed_site["resources"], "Diabetes recurso borrador", live=False)
    author = make_user()
    _recipe("Diabetes receta privada", published=False, author=author)
    _recipe("Diabetes receta pública")
    groups, _ = _groups("diabetes", user=author)
    assert [r["title"] for r in groups["blog"].results] == ["Diabetes publicada"]
    assert groups["resources"].results == []
    # Even the author's own unpublished recipe stays out of the public search.
    assert [r["title"] for r in groups["recipes"].results] == ["Diabetes receta pública"]


def test_only_verified_nutritionists(ed_site, make_user):
    _nutritionist(make_user, "Lucía", "Verificada")
    _nutritionist(make_user, "Lucía", "Pendiente", verified=False)
    groups, _ = _groups("lucia")
    assert [r["title"] for r in groups["nutritionists"].results] == ["Lucía Verificada"]


def test_page_groups_with_headings(client, ed_site):
    add_post(ed_site["blog"], "Nutrición para deportistas", slug="dep")
    html = client.get("/buscar/", {"q": "nutricion"}).content.decode()
    assert 'role="search"' in html and 'id="search-group-blog"' in html
    assert "Nutrición para deportistas" in html and "Recetas" in html and "Nutriólogos" in html
    short = client.get("/buscar/", {"q": "a"}).content.decode()
    assert 'role="alert"' in short


def test_page_htmx_partial(client, ed_site):
    add_post(ed_site["blog"], "Nutrición para deportistas", slug="dep")
    resp = client.get("/buscar/", {"q": "nutricion"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="search-results")
    html = resp.content.decode()
    assert html.lstrip().startswith('<div id="search-results"') and "<html" not in html


def test_api_same_groups(client, ed_site):
    add_post(ed_site["blog"], "Nutrición para deportistas", slug="dep")
    resp = client.get("/api/v1/search", {"q": "nutricion"})
    assert resp.status_code == 200
    body = resp.json()
    assert set(body["groups"]) == {"blog", "resources", "recipes", "nutritionists"}
    assert body["groups"]["blog"]["count"] == 1
    assert body["groups"]["blog"]["results"][0]["url"] == "/blog/dep/"


@pytest.mark.parametrize("params", [{}, {"q": "a"}, {"q": "x" * 101}])
def test_api_validation_errors(client, ed_site, params):
    resp = client.get("/api/v1/search", params)
    assert resp.status_code == 400
    assert resp.json()["error"]["code"] == "VALIDATION_ERROR"
    assert "q" in resp.json()["error"]["details"]
