# ruff: noqa: F811  (fixtures are imported from tests.content.editorial_fixtures)
"""Locales es-MX (default) and English; the language switch lands on the page's translation."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from content.templatetags.content_i18n import page_translation_url
from tests.content.editorial_fixtures import add_post, ed_english, ed_site  # noqa: F401

pytestmark = pytest.mark.django_db


def _translate(post, locale, title, slug=None):
    copy = post.copy_for_translation(locale)
    copy.title = title
    if slug:
        copy.slug = slug
    copy.save()
    copy.save_revision().publish()
    copy.refresh_from_db()
    return copy


def test_same_path_serves_the_translation_in_the_chosen_language(client, ed_site, ed_english):
    post = add_post(ed_site["blog"], "Frutas de temporada", slug="frutas")
    _translate(post, ed_english["locale"], "Seasonal fruit")
    assert post.url == "/blog/frutas/"
    es = client.get("/blog/frutas/")
    assert "Frutas de temporada" in es.content.decode()
    client.cookies["nmx_language"] = "en"
    en = client.get("/blog/frutas/")
    assert en.status_code == 200 and "Seasonal fruit" in en.content.decode()
    client.cookies.pop("nmx_language")
    en2 = client.get("/blog/frutas/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Seasonal fruit" in en2.content.decode()


def test_switch_posts_next_to_the_translation_when_slugs_differ(client, ed_site, ed_english):
    post = add_post(ed_site["blog"], "Frutas de temporada", slug="frutas")
    en_post = _translate(post, ed_english["locale"], "Seasonal fruit", slug="seasonal-fruit")
    assert page_translation_url(post, "en") == "/blog/seasonal-fruit/"
    assert page_translation_url(en_post, "es-mx") == "/blog/frutas/"

    html = client.get("/blog/frutas/").content.decode()
    assert 'formaction="/i18n/setlang/?next=/blog/seasonal-fruit/"' in html
    resp = client.post("/i18n/setlang/?next=/blog/seasonal-fruit/", {"language": "en"})
    assert resp.status_code == 302 and resp["Location"] == "/blog/seasonal-fruit/"
    en = client.get(resp["Location"])
    assert en.status_code == 200 and "Seasonal fruit" in en.content.decode()


def test_untranslated_page_falls_back_to_the_translated_ancestor(ed_site, ed_english):
    post = add_post(ed_site["blog"], "Solo en español", slug="solo-es")
    assert page_translation_url(post, "en") == ed_english["blog"].url


def test_outside_cms_pages_the_switch_keeps_the_current_path(ed_site):
    request = RequestFactory().get("/nutricion/recetas/?q=pollo")
    out = Template("{% load content_i18n %}{% translation_url page 'en' %}").render(
        Context({"request": request, "page": object()}))
    assert out == "/nutricion/recetas/?q=pollo"


def test_switch_without_page_keeps_hidden_next(client, ed_site):
    html = client.get("/buscar/").content.decode()
    assert 'name="next" value="/buscar/"' in html


def test_an_untranslated_page_is_served_in_spanish_to_english_readers(client, site_tree, make_post):
    """The home page has an English translation but this post does not: an English reader
    gets the Spanish post, not a 404."""
    from wagtail.models import Locale

    home = site_tree.home
    english, _ = Locale.objects.get_or_create(language_code="en")
    translated = home.copy_for_translation(english)
    translated.save_revision().publish()
    post = make_post(title="Solo en español")
    response = client.get(post.url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "Solo en español" in response.content.decode()
