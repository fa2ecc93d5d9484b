"""Fixtures of the resources, legal pages and forms tests (imported by those modules; names are
``resource_tree`` and ``rl_*`` so they never clash with other content fixtures)."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile


def _doc(title: str, name: str):
    from wagtail.documents import get_document_model

    return get_document_model().objects.create(title=title, file=ContentFile(b"%PDF-1.4 guia de prueba\n", name=name))


@pytest.fixture
def resource_tree(db):
    """A HomePage as the default site's root, a resource index with one resource per access level
    (one gated, one external), a legal-page parent, and a contact form."""
    from wagtail.models import Page, Site

    from content.models import AccessLevel, FormField, FormPage, HomePage, ResourceIndexPage, ResourcePage

    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="Inicio", slug="inicio-rl"))
    site = Site.objects.get(is_default_site=True)
    site.root_page = home
    site.save()
    index = home.add_child(instance=ResourceIndexPage(title="Recursos", slug="recursos"))

    def res(slug, level, **extra):
        extra.setdefault("file", _doc(f"Doc {slug}", f"{slug}.pdf"))
        return index.add_child(instance=ResourcePage(
            title=f"Recurso {slug}", slug=slug, access_level=level, description=f"Descripción de {slug}", **extra))

    out = {
        "site": site,
        "home": home,
        "index": index,
        "free": res("guia-libre", AccessLevel.FREE, resource_type="pdf"),
        "gated": res("plato-del-bien-comer", AccessLevel.FREE, resource_type="guide", lead_magnet=True),
        "registered": res("registro-semanal", AccessLevel.REGISTERED, resource_type="tracker"),
        "program": res("menu-programa", AccessLevel.PROGRAM, resource_type="meal_plan"),
        "premium": res("manual-premium", AccessLevel.PREMIUM, resource_type="ebook"),
        "external": res("calculadora", AccessLevel.FREE, resource_type="calculator", file=None,
                        external_url="https://calc.example.mx/imc"),
    }
    form = FormPage(title="Contacto", slug="contacto", to_address="equipo@nutrimx.mx",
                    from_address="web@nutrimx.mx", subject="Nuevo mensaje")
    home.add_child(instance=form)
    FormField.objects.create(page=form, sort_order=0, label="Nombre", field_type="singleline", required=True)
    FormField.objects.create(page=form, sort_order=1, label="Correo", field_type="email", required=True)
    FormField.objects.create(page=form, sort_order=2, label="Mensaje", field_type="multiline", required=True)
    out["form"] = form
    return out


@pytest.fixture
def rl_in_care(make_user):
    """A patient in open care with a nutritionist (counts as "program")."""
    from django.utils import timezone

    from clinical.models import CareRelationship, CareStatus

    nutritionist = make_user(user_type="nutritionist", first_name="Nora")
    patient = make_user(first_name="Paola")
    CareRelationship.objects.create(nutritionist=nutritionist, patient=patient, status=CareStatus.ACTIVE,
                                    assigned_at=timezone.now(), initiated_by=nutritionist)
    return patient


@pytest.fixture
def rl_nutritionist(make_user):
    from accounts.models import Role, RoleGrant

    user = make_user(user_type="nutritionist", first_name="Nadia")
    RoleGrant.objects.create(user=user, role=Role.NUTRITIONIST)
    return user
