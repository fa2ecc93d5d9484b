"""Fixtures of the assistant tests: a small knowledge base (published blog posts, a draft, a
private post, a resource and a recipe) indexed the way publishing indexes it.

The websocket tests are transactional; the channel-layer isolation and the teardown hook that
restores the post-migration data after their flush come from the realtime tests' conftest."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tests.content.home_blog_fixtures import make_post, paragraph, site_tree  # noqa: F401
from tests.realtime.conftest import _isolated_channel_layer, pytest_runtest_teardown  # noqa: F401

FIBER = (
    "La fibra de los frijoles, las lentejas y los nopales ayuda a la digestión y da saciedad. "
    "Una taza de frijoles de la olla aporta cerca de 15 gramos de fibra. Combina los frijoles con tortilla "
    "de maíz para una proteína más completa. Agrega verduras a cada comida y toma agua simple durante el día."
)
LABELS = (
    "Los sellos de advertencia de la NOM-051 indican exceso de azúcares, exceso de sodio, exceso de grasas "
    "saturadas, exceso de calorías y grasas trans. Elige productos con menos sellos y revisa las leyendas de "
    "cafeína y edulcorantes, que no se recomiendan para niñas y niños."
)
WATER = (
    "El agua simple es la mejor bebida para hidratarte. Evita refrescos y jugos con azúcar añadida; el agua "
    "de jamaica sin azúcar es una opción fresca."
)


def publish(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page


@pytest.fixture
def kb(site_tree, make_post, django_capture_on_commit_callbacks):  # noqa: F811
    """Three published posts, a draft and a private post about the same topic as the first,
    a resource and a published recipe, indexed by the publish/save signals."""
    from wagtail.models import PageViewRestriction

    from assistant.models import KnowledgePassage

    with django_capture_on_commit_callbacks(execute=True):
        fiber = make_post("Frijoles y fibra: aliados de tu digestión", body=paragraph(FIBER),
                          excerpt="Por qué la fibra importa.", image=False)
        labels = make_post("Cómo leer los sellos de advertencia", body=paragraph(LABELS),
                           excerpt="Guía de etiquetas.", image=False)
        water = make_post("Hidratación: agua simple primero", body=paragraph(WATER), excerpt="Bebe agua.",
                          image=False)
        draft = make_post("Borrador: fibra secreta de los frijoles", body=paragraph(FIBER + " Texto del borrador."),
                          live=False, image=False)
        private = make_post("Privado: fibra y frijoles para pacientes", body=paragraph(FIBER), image=False)
        PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.PASSWORD,
                                           password="secreto")
        resource = _resource(site_tree)
        recipe = _recipe()
    assert KnowledgePassage.objects.filter(source_id=fiber.pk).exists()
    return SimpleNamespace(fiber=fiber, labels=labels, water=water, draft=draft, private=private,
                           resource=resource, recipe=recipe, site=site_tree)


def _resource(tree):
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model

    from content.models import AccessLevel, ResourceIndexPage, ResourcePage

    index = tree.home.add_child(instance=ResourceIndexPage(title="Recursos", slug="recursos"))
    publish(index)
    doc = get_document_model().objects.create(title="Guía", file=ContentFile(b"%PDF-1.4 contenido secreto del pdf\n",
                                                                            name="guia.pdf"))
    resource = index.add_child(instance=ResourcePage(
        title="Guía del plato del bien comer", slug="plato", access_level=AccessLevel.PREMIUM, resource_type="guide",
        description="Cómo armar un plato equilibrado con verduras, cereales y leguminosas.",
        body="<p>Llena la mitad del plato con verduras y un cuarto con cereales integrales.</p>", file=doc))
    return publish(resource)


def _recipe():
    from nutrition.models import Moderation, Recipe, RecipeIngredient

    recipe = Recipe.objects.create(
        slug="ensalada-de-nopales", title="Ensalada de nopales", title_en="Nopal salad",
        description="Ensalada fresca de nopales con jitomate, cebolla y cilantro.",
        description_en="Fresh nopal salad with tomato, onion and cilantro.",
        meal_type="comida", chef_tips=["Enjuaga bien los nopales para quitar la baba."],
        moderation_status=Moderation.APPROVED, is_published=True, energy_kcal=95, servings=4,
    )
    RecipeIngredient.objects.create(recipe=recipe, position=0, name="Nopales cocidos", quantity=3, unit="tazas")
    RecipeIngredient.objects.create(recipe=recipe, position=1, name="Jitomate", quantity=2, unit="piezas")
    recipe.save()  # the ingredients exist now: the post-commit indexing sees them
    return recipe


@pytest.fixture
def ask(django_capture_on_commit_callbacks):
    """``ask(user, text, conversation_id=None, stream=False)`` through the service, running the
    post-commit work (the Celery task, the websocket pushes) as a real request would."""
    from assistant.services import chat_ask

    def _ask(user, text, conversation_id=None, stream=False):
        with django_capture_on_commit_callbacks(execute=True):
            reply = chat_ask(actor=user, message=text, conversation_id=conversation_id, stream=stream)
        reply.refresh_from_db()
        return reply

    return _ask
