"""Fixtures of the home, blog and SEO tests: a home page as the default site's root with a
blog index (``site_tree``), and ``make_post`` creating blog posts with images drawn by Pillow.
Exposed to every content test through ``conftest.py``."""

from __future__ import annotations

import datetime
import itertools
from io import BytesIO
from types import SimpleNamespace

import pytest

_counter = itertools.count(1)


def make_image(title: str = "Foto", size=(800, 450), color=(15, 118, 110)):
    """A wagtailimages Image made locally (a plain JPEG drawn by Pillow)."""
    from django.core.files.images import ImageFile
    from PIL import Image as PILImage
    from wagtail.images.models import Image

    buf = BytesIO()
    PILImage.new("RGB", size, color).save(buf, "JPEG", quality=70)
    buf.seek(0)
    return Image.objects.create(title=title, file=ImageFile(buf, name=f"img-{next(_counter)}.jpg"))


def home_sections(*, headline: str = "Come mejor a la mexicana") -> list[dict]:
    """The home page's sections in editor order: hero, features, programs, latest posts, CTA."""
    return [
        {"type": "hero", "value": {
            "badge": "Nutrición con evidencia",
            "headline": headline,
            "subheadline": "Acompañamiento de nutriólogas certificadas.",
            "figures": [{"value": "500+", "label": "pacientes"}, {"value": "95 %", "label": "alcanzan su meta"},
                        {"value": "4.9", "label": "de calificación"}],
            "ctas": [{"label": "Agenda tu consulta", "url": "/consulta/", "style": "primary"},
                     {"label": "Conoce los programas", "url": "#programas", "style": "ghost"}],
            "image": None,
        }},
        {"type": "features", "value": {
            "heading": "Todo lo que necesitas", "intro": "",
            "items": [{"icon": "leaf", "title": "Planes a tu medida", "text": "Con comida mexicana."},
                      {"icon": "chart", "title": "Progreso visible", "text": "Gráficas semanales."}],
        }},
        {"type": "programs", "value": {
            "heading": "Programas", "intro": "",
            "programs": [{"name": "Programa Intestino Sano", "description": "12 semanas.", "duration": "12 semanas",
                          "price_mxn": 1200, "features": ["4 consultas"], "link": "/consulta/"}],
        }},
        {"type": "latest_posts", "value": {"heading": "Del blog", "count": 3, "category": ""}},
        {"type": "cta", "value": {"title": "Empieza hoy", "text": "Tu primera consulta.",
                                  "button": {"label": "Crear cuenta", "url": "/accounts/signup/", "style": "primary"}}},
    ]


def paragraph(text: str) -> list[dict]:
    return [{"type": "paragraph", "value": f"<p>{text}</p>"}]


@pytest.fixture
def site_tree(db):
    """A published HomePage (sections in editor order) as the default site's root, replacing
    Wagtail's welcome page, with a published blog index at /blog/."""
    from wagtail.models import Page, Site

    from content.models import BlogIndexPage, HomePage

    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="Inicio", slug="inicio-home", body=home_sections(),
                                            search_description="Nutrición mexicana con profesionales."))
    home.save_revision().publish()
    site = Site.objects.get(is_default_site=True)
    site.root_page = home
    site.save()
    blog = home.add_child(instance=BlogIndexPage(title="Blog", slug="blog"))
    blog.save_revision().publish()
    home.refresh_from_db()
    blog.refresh_from_db()
    return SimpleNamespace(site=site, home=home, blog=blog)


@pytest.fixture
def make_post(site_tree):
    """``make_post(title, category=..., tags=[...], live=True, date=..., image=True, body=...,
    related=[posts], **fields)``: a blog post under the site's blog index."""
    from content.models import BlogPage, BlogRelatedLink

    def _make(title: str, *, category: str = "nutrition", tags=(), live: bool = True, date=None, image: bool = True,
              body=None, excerpt: str = "Un resumen breve.", related=(), **extra):
        post = BlogPage(
            title=title,
            slug=extra.pop("slug", None) or f"entrada-{next(_counter)}",
            category=category,
            excerpt=excerpt,
            date=date or datetime.date(2026, 1, 15),
            body=body if body is not None else paragraph("Texto de la entrada sobre nutrición."),
            hero_image=make_image(title[:40]) if image else None,
            hero_alt=f"Foto de {title}"[:200] if image else "",
            **extra,
        )
        site_tree.blog.add_child(instance=post)
        for tag in tags:
            post.tags.add(tag)
        if related:
            post.related_links = [BlogRelatedLink(related=r) for r in related]
        post.save()
        revision = post.save_revision()
        if live:
            revision.publish()
        else:
            post.live = False
            post.save(update_fields=["live"])
        post.refresh_from_db()
        return post

    return _make
