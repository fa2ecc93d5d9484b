"""Fixtures of the editorial workflow, locales, search and API tests (imported by those
modules; names start with ``ed_`` so they never clash with other content fixtures)."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import Group
from wagtail.models import Locale, Page, Site

from content.setup import EDITORS, MODERATORS, content_setup


def body(text: str):
    return [{"type": "paragraph", "value": f"<p>{text}</p>"}]


@pytest.fixture
def ed_site(db):
    """A HomePage as the default site's root with a blog index and a resource index, and the
    editorial setup run for it."""
    from content.models import BlogIndexPage, HomePage, ResourceIndexPage

    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="Inicio", slug="inicio-ed"))
    site = Site.objects.get(is_default_site=True)
    site.root_page = home
    site.save()
    blog = home.add_child(instance=BlogIndexPage(title="Blog", slug="blog"))
    resources = home.add_child(instance=ResourceIndexPage(title="Recursos", slug="recursos"))
    content_setup()
    return {"site": site, "home": home, "blog": blog, "resources": resources}


def add_post(index, title, *, live=True, slug=None, excerpt="", tags=(), text="Texto de la entrada.", **extra):
    from content.models import BlogPage

    post = BlogPage(title=title, slug=slug or None, excerpt=excerpt, body=body(text), live=live,
                    date=extra.pop("date", datetime.date(2026, 1, 15)), **extra)
    if not post.slug:
        from django.utils.text import slugify

        post.slug = slugify(title)[:50]
    index.add_child(instance=post)
    for tag in tags:
        post.tags.add(tag)
    if tags:
        post.save()
    revision = post.save_revision()
    if live:
        revision.publish()
    post.refresh_from_db()
    return post


def add_resource(index, title, *, live=True, access_level="free", lead_magnet=False, file=None,
                 description="Una guía práctica."):
    from content.models import ResourcePage

    page = ResourcePage(title=title, description=description, access_level=access_level,
                        lead_magnet=lead_magnet, file=file, external_url="" if file else "https://example.mx/r",
                        live=live)
    from django.utils.text import slugify

    page.slug = slugify(title)[:50]
    index.add_child(instance=page)
    revision = page.save_revision()
    if live:
        revision.publish()
    page.refresh_from_db()
    return page


@pytest.fixture
def ed_editor(make_user):
    user = make_user(email="editora@example.mx", first_name="Elena", last_name="Editora")
    user.groups.add(Group.objects.get(name=EDITORS))
    return user


@pytest.fixture
def ed_moderator(make_user):
    user = make_user(email="moderador@example.mx", first_name="Mario", last_name="Moderador")
    user.groups.add(Group.objects.get(name=MODERATORS))
    return user


@pytest.fixture
def ed_english(ed_site):
    """The English tree: the home page translated (and published)."""
    en = Locale.objects.get(language_code="en")
    home_en = ed_site["home"].copy_for_translation(en)
    home_en.save_revision().publish()
    blog_en = ed_site["blog"].copy_for_translation(en)
    blog_en.save_revision().publish()
    return {"locale": en, "home": home_en.specific, "blog": blog_en.specific}
