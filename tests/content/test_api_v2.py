# ruff: noqa: F811  (fixtures are imported from tests.content.editorial_fixtures)
"""Wagtail API v2 at /api/v2/ for the mobile app: live pages with their fields, no drafts, no
private pages, no file of a non-free or gated resource."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from wagtail.documents.models import Document
from wagtail.models import PageViewRestriction

from tests.content.editorial_fixtures import add_post, add_resource, ed_site  # noqa: F401

pytestmark = pytest.mark.django_db


def _image():
    import io

    from PIL import Image as PILImage
    from wagtail.images.models import Image

    buf = io.BytesIO()
    PILImage.new("RGB", (1400, 800), (40, 140, 90)).save(buf, "PNG")
    return Image.objects.create(title="Plato", file=ContentFile(buf.getvalue(), name="plato.png"))


def test_pages_lists_live_blog_posts_with_fields(client, ed_site):
    image = _image()
    post = add_post(ed_site["blog"], "Agua y salud", slug="agua", excerpt="Cuánta agua tomar.", tags=["hidratación"],
                    hero_image=image)
    add_post(ed_site["blog"], "Borrador secreto", slug="borrador", live=False)
    private = add_post(ed_site["blog"], "Solo socios", slug="socios")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)

    resp = client.get("/api/v2/pages/", {"type": "content.BlogPage",
                                         "fields": "excerpt,read_time,date,category,hero_image,tags"})
    assert resp.status_code == 200, resp.content
    items = resp.json()["items"]
    assert [i["title"] for i in items] == ["Agua y salud"]
    item = items[0]
    assert item["excerpt"] == "Cuánta agua tomar." and item["read_time"] >= 1 and item["category"] == "nutrition"
    assert item["tags"] == ["hidratación"]
    assert item["hero_image"]["width"] == 1200 and item["hero_image"]["url"]

    detail = client.get(f"/api/v2/pages/{post.pk}/").json()
    assert detail["body"][0]["type"] == "paragraph"
    assert client.get(f"/api/v2/pages/{private.pk}/").status_code == 404


def test_resources_never_expose_a_gated_or_paid_file(client, ed_site):
    free_doc = Document.objects.create(title="Libre", file=ContentFile(b"%PDF-1.4 libre", name="libre.pdf"))
    paid_doc = Document.objects.create(title="Premium", file=ContentFile(b"%PDF-1.4 premium", name="premium.pdf"))
    gated_doc = Document.objects.create(title="Con correo", file=ContentFile(b"%PDF-1.4 gate", name="gate.pdf"))
    add_resource(ed_site["resources"], "Guía libre", file=free_doc)
    add_resource(ed_site["resources"], "Guía premium", access_level="premium", file=paid_doc)
    add_resource(ed_site["resources"], "Guía con correo", lead_magnet=True, file=gated_doc)

    resp = client.get("/api/v2/pages/", {"type": "content.ResourcePage",
                                         "fields": "resource_type,access_level,description,download_count"})
    items = resp.json()["items"]
    assert {i["title"] for i in items} == {"Guía libre", "Guía premium", "Guía con correo"}
    assert all("file" not in i for i in items)
    assert "premium.pdf" not in resp.content.decode()
    assert client.get("/api/v2/pages/", {"type": "content.ResourcePage", "fields": "file"}).status_code == 400

    docs = client.get("/api/v2/documents/").json()["items"]
    assert [d["title"] for d in docs] == ["Libre"]
    assert client.get(f"/api/v2/documents/{paid_doc.pk}/").status_code == 404


def test_images_and_documents_answer_and_home_body(client, ed_site):
    _image()
    assert client.get("/api/v2/images/").json()["meta"]["total_count"] == 1
    assert client.get("/api/v2/documents/").status_code == 200
    home = client.get(f"/api/v2/pages/{ed_site['home'].pk}/", {"fields": "body"})
    assert home.status_code == 200 and "body" in home.json()


def test_v2_is_not_in_the_openapi_schema(client):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json")
    text = schema.content.decode()
    assert "/api/v2/" not in text and "/search" in text
