"""The demo public site (`seed_demo_content`): built once through Wagtail's page tree with
published revisions, a credible Spanish site as the default site's root, SEO limits kept."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from wagtail.models import Page, Revision, Site

from content.demo import demo_site_build
from content.models import (
    FAQ,
    SEO_DESCRIPTION_MAX,
    SEO_TITLE_MAX,
    BlogCategory,
    BlogPage,
    HomePage,
    LegalPage,
    Navigation,
    ResourcePage,
    SiteSettings,
    Video,
)
from content.models import Testimonial as TestimonialSnippet


def _counts():
    from wagtail.documents.models import Document
    from wagtail.images.models import Image

    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "images": Image.objects.count(),
        "documents": Document.objects.count(),
        "faqs": FAQ.objects.count(),
        "testimonials": TestimonialSnippet.objects.count(),
        "videos": Video.objects.count(),
    }


@pytest.fixture
def demo_site(db):
    call_command("seed_demo", "--quiet")
    assert demo_site_build() is True
    return Site.objects.get(is_default_site=True)


@pytest.mark.django_db
def test_building_twice_creates_nothing_new(demo_site):
    before = _counts()
    assert demo_site_build() is False
    call_command("seed_demo_content")
    assert _counts() == before


@pytest.mark.django_db
def test_site_root_is_the_home_page_and_welcome_page_is_gone(demo_site):
    root = demo_site.root_page.specific
    assert isinstance(root, HomePage) and root.live
    assert root.get_latest_revision() is not None and root.live_revision_id
    assert not Page.objects.filter(title__icontains="Welcome").exists()
    kinds = [block.block_type for block in root.body]
    assert kinds == ["hero", "features", "programs", "testimonials", "latest_posts", "faq", "cta"]
    hero = root.body[0].value
    assert hero["headline"] == "Come rico, vive mejor"
    assert [f["value"] for f in hero["figures"]] == ["500+", "95 %", "4.9"]
    assert [(c["label"], c["url"]) for c in hero["ctas"]] == [
        ("Crear cuenta gratis", "/accounts/signup/"), ("Conoce a nuestras nutriólogas", "/consulta/nutriologos/")]
    assert len(root.body[1].value["items"]) == 6
    programs = root.body[2].value["programs"]
    assert len(programs) == 3 and all(p["price_mxn"] > 0 for p in programs)
    assert len(root.body[3].value["testimonials"]) >= 3
    assert len(root.body[5].value["questions"]) >= 6


@pytest.mark.django_db
def test_counts_categories_and_published_revisions(demo_site):
    es_posts = BlogPage.objects.live().filter(locale__language_code="es-mx")
    assert es_posts.count() >= 6
    assert {p.category for p in es_posts} == set(BlogCategory.values)
    for post in es_posts:
        words = len(re.findall(r"\w+", post.plain_text()))
        assert 200 <= words <= 600, (post.title, words)
        assert post.hero_image_id and post.hero_alt and post.excerpt and post.tags.exists()
        assert post.live_revision_id is not None
        assert post.hero_image.width == 1600 and post.hero_image.height == 900
    assert BlogPage.objects.filter(related_links__isnull=False).distinct().count() >= 2

    resources = ResourcePage.objects.live().filter(locale__language_code="es-mx")
    assert resources.count() == 4
    gated = resources.get(lead_magnet=True)
    assert gated.access_level == "free" and gated.file.file.read(5) == b"%PDF-"
    assert resources.filter(access_level="registered", resource_type="meal_plan", file__isnull=False).exists()
    assert resources.filter(resource_type="tracker", access_level="free", lead_magnet=False).exists()
    assert resources.filter(resource_type="video").exclude(external_url="").exists()

    assert FAQ.objects.count() >= 6 and FAQ.objects.values("category").distinct().count() >= 4
    assert TestimonialSnippet.objects.count() >= 3 and Video.objects.count() == 3
    assert set(LegalPage.objects.live().filter(locale__language_code="es-mx").values_list("kind", flat=True)) == {"privacy", "terms", "cookies"}

    # the published privacy notice is the version the demo accounts accepted
    from django.conf import settings

    from accounts.models import User
    from accounts.services import consent_privacy_is_current

    privacy = LegalPage.objects.get(kind="privacy", locale__language_code="es-mx")
    assert privacy.version == settings.PRIVACY_NOTICE_VERSION
    assert "ARCO" in privacy.body
    assert consent_privacy_is_current(user=User.objects.get(email="paciente@demo.nutrimx.mx"))


@pytest.mark.django_db
def test_every_seo_title_and_description_fits(demo_site):
    pages = [p.specific for p in Page.objects.filter(depth__gt=1)]
    assert len(pages) > 15
    for page in pages:
        assert page.seo_title, page.title
        assert len(page.seo_title) <= SEO_TITLE_MAX, page.seo_title
        assert page.search_description, page.title
        assert len(page.search_description) <= SEO_DESCRIPTION_MAX, page.search_description
        assert page.seo_warnings() == []


@pytest.mark.django_db
def test_settings_navigation_form_and_translations(demo_site):
    from django.contrib.auth.models import Group

    from content.models import BlogIndexPage, FormPage

    settings_ = SiteSettings.for_site(demo_site)
    assert settings_.site_name == "NutriMX" and settings_.contact_email == "contacto@nutrimx.mx"
    assert settings_.phone.startswith("+52 55") and settings_.whatsapp and settings_.instagram
    nav = Navigation.for_site(demo_site)
    labels = [item.value["label"] for item in nav.main_menu]
    assert labels == ["Inicio", "Blog", "Recursos", "Videos", "Nutriólogas", "Contacto"]
    assert len(nav.main_menu[1].value["children"]) == 3
    assert [link.value["label"] for link in nav.footer_menu] == ["Aviso de privacidad", "Términos", "Cookies",
                                                                 "Contacto"]

    form = FormPage.objects.get(slug="contacto", locale__language_code="es-mx")
    assert [f.clean_name for f in form.form_fields.all()] == ["nombre", "correo", "asunto", "mensaje"]
    assert form.to_address == settings_.contact_email

    home_en = HomePage.objects.get(locale__language_code="en")
    assert home_en.live and home_en.title == "Home"
    assert home_en.body[0].value["headline"] == "Eat well, live better"
    assert BlogIndexPage.objects.filter(locale__language_code="en", live=True).exists()
    en_posts = BlogPage.objects.live().filter(locale__language_code="en")
    translated = en_posts.filter(alias_of__isnull=True)
    assert translated.count() == 2 and all(p.get_translation(p.locale.get_default()).live for p in translated)
    # the rest of the English tree mirrors the Spanish pages (no 404 for English browsers)
    es_pages = Page.objects.filter(locale__language_code="es-mx", depth__gt=1)
    assert all(p.has_translation(home_en.locale) for p in es_pages)

    assert Group.objects.get(name="Editores").user_set.filter(email="editor@demo.nutrimx.mx").exists()
    assert Group.objects.get(name="Moderadores").user_set.filter(email="moderadora@demo.nutrimx.mx").exists()


@pytest.mark.django_db
def test_anonymous_visitor_sees_the_hero_a_post_and_the_gated_resource(demo_site, client):
    resp = client.get("/")
    assert resp.status_code == 200
    html = resp.content.decode()
    assert "Come rico, vive mejor" in html
    assert "Crear cuenta gratis" in html and "/consulta/nutriologos/" in html
    # a browser that prefers English still reaches pages that only exist in Spanish
    for path in ("/recursos/", "/contacto/", "/blog/agua-fresca-sin-azucar-5-recetas/"):
        assert client.get(path, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").status_code == 200, path

    post = BlogPage.objects.live().get(slug="tortilla-de-maiz-aliada-no-enemiga", locale__language_code="es-mx")
    resp = client.get(post.url)
    assert resp.status_code == 200 and "nixtamal" in resp.content.decode()
    gated = ResourcePage.objects.get(lead_magnet=True, locale__language_code="es-mx")
    assert client.get(gated.url).status_code == 200
    assert client.get("/blog/").status_code == 200
