"""The public home page (sections, cache and its invalidation), the blog (filters, pagination,
read time, related posts, view counts, RSS) and SEO (sitemap, robots.txt, meta, JSON-LD)."""

from __future__ import annotations

import datetime
import json
import math
import re

import pytest
from django.conf import settings
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from tests.content.home_blog_fixtures import home_sections, make_image, paragraph

pytestmark = pytest.mark.django_db


def _jsonld(html: str) -> list[dict]:
    return [json.loads(m) for m in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)]


def _meta(html: str, prop: str) -> str | None:
    m = re.search(rf'<meta (?:property|name)="{re.escape(prop)}" content="([^"]*)"', html)
    return m.group(1) if m else None


# ---------------------------------------------------------------------------------------
# home


def test_home_renders_sections_in_editor_order_with_hero_figures(client, site_tree, make_post):
    make_post("Cómo leer etiquetas", date=datetime.date(2026, 2, 1))
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    order = ["Come mejor a la mexicana", "Todo lo que necesitas", "Programas", "Del blog", "Empieza hoy"]
    positions = [html.index(text) for text in order]
    assert positions == sorted(positions)
    for figure in ("500+", "95 %", "4.9"):
        assert f"<strong>{figure}</strong>" in html
    assert "$1,200 MXN" in html and "IVA incluido" in html
    assert "Cómo leer etiquetas" in html  # latest posts block
    assert html.count("<h1") == 1
    assert 'href="/consulta/"' in html


def test_home_reordered_sections_follow_the_editor(client, site_tree):
    home = site_tree.home
    sections = home_sections()
    home.body = [sections[4], sections[0], sections[1]]  # CTA first now
    home.save_revision().publish()
    html = client.get("/").content.decode()
    assert html.index("Empieza hoy") < html.index("Come mejor a la mexicana") < html.index("Todo lo que necesitas")


def test_home_is_cached_and_publishing_shows_changes_at_once(client, site_tree, make_post):
    first = client.get("/")
    assert first["X-Home-Cache"] == "miss"
    second = client.get("/")
    assert second["X-Home-Cache"] == "hit"
    assert second.content == first.content.replace(
        re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', first.content).group(1),
        re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', second.content).group(1),
    )

    home = site_tree.home
    home.body = home_sections(headline="Nuevo titular publicado")
    home.save_revision().publish()
    after = client.get("/")
    assert after["X-Home-Cache"] == "miss"
    assert "Nuevo titular publicado" in after.content.decode()

    # a new post shows in the latest-posts block right after it is published
    assert client.get("/")["X-Home-Cache"] == "hit"
    make_post("Recién publicada")
    response = client.get("/")
    assert response["X-Home-Cache"] == "miss"
    assert "Recién publicada" in response.content.decode()


def test_home_cache_cleared_when_a_snippet_or_setting_is_saved(client, site_tree):
    from content.models import FAQ, SiteSettings, Testimonial

    client.get("/")
    assert client.get("/")["X-Home-Cache"] == "hit"
    Testimonial.objects.create(name="Laura", quote="Bajé 8 kg comiendo rico.")
    assert client.get("/")["X-Home-Cache"] == "miss"
    FAQ.objects.create(question="¿Cuánto cuesta?", answer="<p>Desde $600.</p>")
    assert client.get("/")["X-Home-Cache"] == "miss"
    settings_obj = SiteSettings.for_site(site_tree.site)
    settings_obj.tagline = "Otro lema"
    settings_obj.save()
    assert client.get("/")["X-Home-Cache"] == "miss"


def test_cached_home_gives_each_visitor_a_working_csrf_token(client, site_tree):
    from django.test import Client

    client.get("/")
    other = Client(enforce_csrf_checks=True)
    response = other.get("/")
    assert response["X-Home-Cache"] == "hit"
    html = response.content.decode()
    assert "__content-home-csrf-token__" not in html
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    assert settings.CSRF_COOKIE_NAME in response.cookies
    switched = other.post("/i18n/setlang/", {"language": "en", "next": "/", "csrfmiddlewaretoken": token})
    assert switched.status_code == 302  # not 403: the token matches this visitor's cookie


def test_home_cache_is_per_language(client, site_tree):
    spanish = client.get("/").content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get("/")
    assert english["X-Home-Cache"] == "miss"
    assert 'lang="en"' in english.content.decode() and 'lang="es-mx"' in spanish


def test_home_never_cached_for_signed_in_people_or_pending_messages(site_tree, user):
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.signed_cookies import SessionStore

    home = site_tree.home.specific
    request = RequestFactory().get("/")
    request.user = user
    assert home.cacheable(request) is False

    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    assert home.cacheable(request) is True
    request._messages.add(20, "Guardado")
    assert home.cacheable(request) is False
    assert home.cacheable(RequestFactory().get("/?utm_source=x")) is False


def test_signed_in_visitor_goes_to_the_dashboard(client, site_tree, user):
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == "/inicio/"


# ---------------------------------------------------------------------------------------
# blog index


def test_blog_index_filters_by_category_and_tag(client, site_tree, make_post):
    make_post("Kéfir casero", category="gut-health", tags=["probióticos"])
    make_post("Ciclo y energía", category="hormones", tags=["mujer"])
    make_post("Tacos de verdura", category="recipes", tags=["probióticos", "cena"])
    make_post("Borrador oculto", category="gut-health", live=False)

    html = client.get("/blog/").content.decode()
    assert all(t in html for t in ("Kéfir casero", "Ciclo y energía", "Tacos de verdura"))
    assert "Borrador oculto" not in html

    html = client.get("/blog/?category=gut-health").content.decode()
    assert "Kéfir casero" in html and "Ciclo y energía" not in html and "Tacos de verdura" not in html
    assert 'aria-current="page">Salud digestiva<' in html

    html = client.get("/blog/", {"tag": "probióticos"}).content.decode()
    assert "Kéfir casero" in html and "Tacos de verdura" in html and "Ciclo y energía" not in html

    html = client.get("/blog/", {"tag": "probióticos", "category": "recipes"}).content.decode()
    assert "Tacos de verdura" in html and "Kéfir casero" not in html

    assert "Kéfir casero" not in client.get("/blog/?tag=no-existe").content.decode()
    # an unknown category is ignored rather than an error
    assert client.get("/blog/?category=<script>").status_code == 200


def test_blog_index_paginates_ten_newest_first(client, site_tree, make_post):
    base = datetime.date(2026, 1, 1)
    for i in range(12):
        make_post(f"Entrada número {i:02d}", date=base + datetime.timedelta(days=i), image=(i % 3 == 0))
    html = client.get("/blog/").content.decode()
    titles = re.findall(r"Entrada número (\d\d)", html)
    assert titles == [f"{i:02d}" for i in range(11, 1, -1)]
    assert 'href="?page=2"' in html and 'rel="next"' in html
    html = client.get("/blog/?page=2").content.decode()
    assert re.findall(r"Entrada número (\d\d)", html) == ["01", "00"]
    assert client.get("/blog/?page=abc").status_code == 200


def test_blog_cards_show_image_category_spanish_date_and_read_time(client, site_tree, make_post):
    make_post("Desayunos con proteína", category="nutrition", date=datetime.date(2026, 3, 5))
    html = client.get("/blog/").content.decode()
    assert "5 de marzo de 2026" in html
    assert "Nutrición" in html and "1 min de lectura" in html
    img = re.search(r"<img [^>]*>", html.split('class="post-grid"')[1]).group(0)
    assert 'width="640"' in img and 'height="360"' in img and ".webp" in img


def test_blog_index_query_count_does_not_grow_with_posts(client, site_tree, make_post):
    from django.db import connection

    for i in range(2):
        make_post(f"Primera tanda {i}", tags=["a", "b"])
    client.get("/blog/")  # renditions made once
    with CaptureQueriesContext(connection) as few:
        client.get("/blog/")
    for i in range(5):
        make_post(f"Segunda tanda {i}", tags=["a", "b"])
    client.get("/blog/")
    with CaptureQueriesContext(connection) as many:
        client.get("/blog/")
    assert len(many) == len(few)


# ---------------------------------------------------------------------------------------
# blog post


def test_read_time_is_words_over_200_rounded_up(site_tree, make_post):
    post = make_post("Uno", excerpt="", body=paragraph(" ".join(["palabra"] * 399)))
    assert post.read_time == math.ceil(400 / 200) == 2
    post = make_post("Uno", excerpt="", body=paragraph(" ".join(["palabra"] * 400)))
    assert post.read_time == 3
    post = make_post("Corto", excerpt="", body=paragraph("hola"))
    assert post.read_time == 1


def test_related_posts_editor_choice_first_else_shared_tags(site_tree, make_post):
    from content.selectors import blog_related_posts

    base = datetime.date(2026, 1, 1)
    tagged = [make_post(f"Con etiqueta {i}", tags=["intestino"], date=base + datetime.timedelta(days=i)) for i in range(6)]
    make_post("Borrador con etiqueta", tags=["intestino"], live=False, date=base + datetime.timedelta(days=30))
    make_post("Sin relación", tags=["otra"])

    post = make_post("Principal", tags=["intestino"], date=base)
    related = blog_related_posts(post=post)
    assert [p.title for p in related] == ["Con etiqueta 5", "Con etiqueta 4", "Con etiqueta 3", "Con etiqueta 2"]

    chosen = make_post("Elegidas", tags=["intestino"], related=[tagged[0], tagged[1]])
    assert [p.title for p in blog_related_posts(post=chosen)] == ["Con etiqueta 0", "Con etiqueta 1"]

    alone = make_post("Sin etiquetas")
    assert blog_related_posts(post=alone) == []


def test_post_page_shows_hero_byline_tags_related_and_share_links(client, site_tree, make_post):
    other = make_post("Otra sobre fibra", tags=["fibra"])
    post = make_post("Fibra en la dieta", tags=["fibra"], author_name="Dra. Sofía Ramírez",
                     date=datetime.date(2026, 4, 10))
    response = client.get(post.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert "Por Dra. Sofía Ramírez" in html and "10 de abril de 2026" in html
    hero = re.search(r'<img [^>]*class="post__hero-img"[^>]*>|<img [^>]*post__hero-img[^>]*>', html).group(0)
    assert 'alt="Foto de Fibra en la dieta"' in hero and "srcset=" in hero and 'width="' in hero
    assert 'href="/blog/?tag=fibra"' in html
    assert other.title in html.split('id="related-title"')[1]
    assert "https://wa.me/?text=" in html and "facebook.com/sharer" in html and "x.com/intent/post" in html


def test_view_count_increments_once_per_visitor(client, site_tree, make_post):
    from django.test import Client

    from content.services import blog_view_count

    post = make_post("Contando vistas")
    client.get(post.url)
    client.get(post.url)
    post.refresh_from_db()
    assert post.view_count == 1
    Client(HTTP_USER_AGENT="Otro navegador").get(post.url)
    post.refresh_from_db()
    assert post.view_count == 2
    blog_view_count(post=post)
    blog_view_count(post=post)
    post.refresh_from_db()
    assert post.view_count == 4


def test_blog_body_blocks_render(client, site_tree, make_post):
    image = make_image("Plato")
    body = [
        {"type": "heading", "value": "Qué comer"},
        {"type": "paragraph", "value": "<p>Texto <b>rico</b>.</p>"},
        {"type": "image", "value": {"image": image.pk, "alt": "Un plato con verduras", "caption": "Plato del bien comer"}},
        {"type": "quote", "value": {"quote": "Come despacio.", "attribution": "Abuela"}},
        {"type": "embed", "value": "https://www.youtube.com/watch?v=dQw4w9WgXcQ"},
        {"type": "recipe", "value": {"recipe": "/nutricion/recetas/no-existe/", "note": ""}},
        {"type": "cta", "value": {"title": "Agenda", "text": "", "button": {"label": "Ir", "url": "/consulta/",
                                                                          "style": "primary"}}},
    ]
    post = make_post("Con bloques", body=body)
    html = client.get(post.url).content.decode()
    assert '<h2 id="que-comer">Qué comer</h2>' in html
    assert "<b>rico</b>" in html
    assert 'alt="Un plato con verduras"' in html and 'loading="lazy"' in html
    assert "Come despacio." in html and "Abuela" in html
    assert 'src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in html
    assert "Agenda" in html


# ---------------------------------------------------------------------------------------
# template helpers


@pytest.mark.parametrize(("url", "expected"), [
    ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
    ("https://youtu.be/dQw4w9WgXcQ?t=10", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
    ("https://www.youtube.com/shorts/dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
    ("https://www.youtube.com/embed/dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
    ("https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871"),
    ("https://player.vimeo.com/video/76979871", "https://player.vimeo.com/video/76979871"),
    ("https://evil.example/watch?v=dQw4w9WgXcQ", None),
    ("javascript:alert(1)", None),
    ("https://www.youtube.com/watch?v=bad\"id", None),
    ("", None),
])
def test_embed_url(url, expected):
    from content.templatetags.content_tags import embed_url

    assert embed_url(url) == expected


def test_recipe_block_links_a_public_recipe_only(db):
    from content.templatetags.content_tags import recipe_lookup
    from nutrition.models import Recipe

    Recipe.objects.create(slug="enfrijoladas", title="Enfrijoladas", meal_type="comida", is_published=True,
                          energy_kcal=412.4, servings=4)
    Recipe.objects.create(slug="secreta", title="Secreta", meal_type="comida", is_published=False)
    for ref in ("enfrijoladas", "/nutricion/recetas/enfrijoladas/", "https://nutrimx.mx/nutricion/recetas/enfrijoladas/"):
        found = recipe_lookup(ref)
        assert found["title"] == "Enfrijoladas" and found["kcal"] == 412
        assert found["url"] == "/nutricion/recetas/enfrijoladas/"
    assert recipe_lookup("secreta") is None
    assert recipe_lookup("") is None


def test_mxn_format():
    from content.templatetags.content_tags import mxn

    assert mxn(1200) == "$1,200 MXN"
    assert mxn(0) == "$0 MXN"
    assert mxn(None) == ""


# ---------------------------------------------------------------------------------------
# feeds and SEO


def test_rss_lists_published_posts_only(client, site_tree, make_post):
    make_post("Publicada en RSS", tags=["fibra"])
    make_post("Borrador fuera del RSS", live=False)
    response = client.get("/blog/rss/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    body = response.content.decode()
    assert "<title>Publicada en RSS</title>" in body
    assert "Borrador fuera del RSS" not in body
    assert f"<link>{site_tree.blog.get_full_url()}</link>" in body
    assert "example.com" not in body


def test_sitemap_lists_published_pages_not_drafts(client, site_tree, make_post):
    live = make_post("Visible en sitemap")
    draft = make_post("Borrador del sitemap", live=False)
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    body = response.content.decode()
    root = site_tree.site.root_url
    assert f"<loc>{root}/</loc>" in body
    assert f"<loc>{root}/blog/</loc>" in body
    assert f"<loc>{live.get_full_url()}</loc>" in body
    assert draft.slug not in body


def test_robots_txt(client, site_tree):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in body
    for path in ("/cms/", "/django-admin/", "/api/", "/consulta/", "/nutricion/"):
        assert f"Disallow: {path}\n" in body


def test_post_seo_meta_canonical_og_image_and_article_jsonld(client, site_tree, make_post):
    post = make_post("Azúcar oculta en bebidas", author_name="Lic. Mario Pérez", date=datetime.date(2026, 5, 2),
                     search_description="Cómo encontrar el azúcar que no ves.")
    html = client.get(post.url).content.decode()
    assert f'<link rel="canonical" href="{post.get_full_url()}">' in html
    assert _meta(html, "description") == "Cómo encontrar el azúcar que no ves."
    assert _meta(html, "og:type") == "article"
    assert _meta(html, "og:title") == "Azúcar oculta en bebidas"
    og_image = _meta(html, "og:image")
    assert og_image.startswith(f"{site_tree.site.root_url}/media/images/") and "fill-1200x630" in og_image
    assert _meta(html, "og:image:width").isdigit() and _meta(html, "og:image:height").isdigit()
    assert _meta(html, "twitter:card") == "summary_large_image"
    data = _jsonld(html)
    assert len(data) == 1
    article = data[0]
    assert article["@type"] == "Article" and article["headline"] == "Azúcar oculta en bebidas"
    assert article["datePublished"] == "2026-05-02"
    assert article["author"]["name"] == "Lic. Mario Pérez"
    assert article["publisher"]["@type"] == "Organization"
    assert article["image"] == [og_image]

    post.canonical_url = "https://otro.example/articulo"
    post.save_revision().publish()
    html = client.get(post.url).content.decode()
    assert '<link rel="canonical" href="https://otro.example/articulo">' in html


def test_home_seo_meta_and_organization_jsonld(client, site_tree):
    html = client.get("/").content.decode()
    assert f'<link rel="canonical" href="{site_tree.site.root_url}/">' in html
    assert _meta(html, "description") == "Nutrición mexicana con profesionales."
    graph = _jsonld(html)[0]["@graph"]
    assert {node["@type"] for node in graph} == {"Organization", "WebSite"}


def test_seo_warnings_for_a_long_title(site_tree, make_post):
    post = make_post("T" * 70, search_description="Bien.")
    warnings = post.seo_warnings()
    assert any("70" in w for w in warnings)
    ok = make_post("Título corto", search_description="Descripción suficiente.")
    assert ok.seo_warnings() == []


def test_editor_js_counts_seo_characters():
    from content.wagtail_hooks import seo_character_counter

    script = str(seo_character_counter())
    assert script.startswith("<script>") and "data-max-chars" in script


def test_post_title_and_excerpt_are_escaped(client, site_tree, make_post):
    evil = "<script>alert(1)</script>"
    post = make_post(f"Hola {evil}", excerpt=f"Resumen {evil}", slug="xss")
    make_post("Vecina", excerpt="x")
    for url in (post.url, "/blog/", "/blog/rss/", "/"):
        html = client.get(url).content.decode()
        assert "<script>alert(1)" not in html, url
    html = client.get(post.url).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert _jsonld(html)[0]["headline"] == f"Hola {evil}"  # JSON-LD escapes and still parses
