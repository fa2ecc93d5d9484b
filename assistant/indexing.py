"""Keeping the knowledge passages in step with what the public can read.

Sources: live, public blog posts and resources (their public description and body, never a
gated file) and published recipes (title, description, ingredients, tips). Each source is cut
into passages of about 80-150 words that carry its title and address. Wagtail's
``page_published`` / ``page_unpublished``, changes to view restrictions, and recipe saves and
deletes re-index one source after the transaction commits; ``manage.py assistant_reindex``
rebuilds everything.
"""

from __future__ import annotations

import logging
import re

from django.db import transaction
from django.urls import reverse
from django.utils.html import strip_tags

from assistant.models import KnowledgePassage, SourceKind
from assistant.retrieval import index_bump, passage_terms

logger = logging.getLogger(__name__)

CHUNK_TARGET_WORDS = 120
CHUNK_MAX_WORDS = 150
CHUNK_MIN_WORDS = 80

_SENTENCE = re.compile(r"(?<=[.!?¿¡:;])\s+|\n+")


def chunk_text(text: str, *, target: int = CHUNK_TARGET_WORDS, maximum: int = CHUNK_MAX_WORDS,
               minimum: int = CHUNK_MIN_WORDS) -> list[str]:
    """Cut ``text`` into passages of about ``target`` words on sentence boundaries.

    A sentence longer than ``maximum`` is split by words; a short tail (under ``minimum``)
    joins the previous passage when the result stays under ``maximum``."""
    words_total = text.split()
    if not words_total:
        return []
    sentences = [s.strip() for s in _SENTENCE.split(text) if s and s.strip()]
    chunks: list[list[str]] = []
    current: list[str] = []
    for sentence in sentences:
        words = sentence.split()
        while len(words) > maximum:  # a run-on "sentence" (a list flattened by strip_tags)
            if current:
                chunks.append(current)
                current = []
            chunks.append(words[:target])
            words = words[target:]
        if current and len(current) + len(words) > maximum:
            chunks.append(current)
            current = []
        current = current + words
        if len(current) >= target:
            chunks.append(current)
            current = []
    if current:
        if chunks and len(current) < minimum and len(chunks[-1]) + len(current) <= maximum:
            chunks[-1] = chunks[-1] + current
        else:
            chunks.append(current)
    return [" ".join(c) for c in chunks]


def _html_text(html: str) -> str:
    # Block ends become sentence breaks so list items and headings do not run together.
    html = re.sub(r"</(p|li|h[1-6]|blockquote)>|<br\s*/?>", "\n", str(html or ""), flags=re.IGNORECASE)
    return re.sub(r"[ \t]+", " ", strip_tags(html)).strip()


def _language(page) -> str:
    code = getattr(getattr(page, "locale", None), "language_code", "") or "es"
    return code[:2].lower()


# ---------------------------------------------------------------------------------------
# what each kind of source says


def _blog_text(post) -> str:
    parts = [post.excerpt or ""]
    for block in post.body:
        value = block.value
        if block.block_type == "paragraph":
            parts.append(_html_text(value.source if hasattr(value, "source") else str(value)))
        elif block.block_type == "heading":
            parts.append(f"{value}.")
        elif block.block_type == "quote":
            parts.append(value.get("quote", ""))
        elif block.block_type == "cta":
            parts.append(" ".join(filter(None, [value.get("title", ""), value.get("text", "")])))
    return "\n".join(p for p in parts if p)


def _resource_text(resource) -> str:
    # The page's public description and body only: a gated file is never read.
    return "\n".join(p for p in [resource.description or "", _html_text(resource.body)] if p)


def _recipe_texts(recipe) -> list[tuple[str, str, str]]:
    """(language, title, text) of a recipe: Spanish always, English when it has an English title."""
    ingredients = []
    for ing in recipe.ingredients.all():
        amount = " ".join(filter(None, [f"{ing.quantity:g}" if ing.quantity else "", ing.unit or ""]))
        ingredients.append(f"{ing.name} ({amount})" if amount else ing.name)
    tips = [str(t) for t in (recipe.chef_tips or []) if t]
    kcal = f"{recipe.energy_kcal:.0f}" if recipe.energy_kcal else ""
    out = []
    # The kind of meal, time and difficulty, so "¿qué desayuno rápido?" finds breakfast recipes.
    from django.utils import translation

    with translation.override("es-mx"):
        facts_es = " · ".join(filter(None, [
            f"Receta para {recipe.get_meal_type_display().lower()}" if recipe.meal_type else "",
            f"lista en {recipe.total_time_min} minutos" if recipe.total_time_min else "",
            f"dificultad {recipe.get_difficulty_display().lower()}" if recipe.difficulty else "",
        ]))
    es = [facts_es, recipe.description or ""]
    if ingredients:
        es.append("Ingredientes: " + ", ".join(ingredients) + ".")
    if kcal:
        es.append(f"Energía por porción: {kcal} kcal; rinde {recipe.servings} porciones.")
    if tips:
        es.append("Consejos: " + " ".join(tips))
    out.append(("es", recipe.title, "\n".join(p for p in es if p)))
    if recipe.title_en:
        en = [recipe.description_en or ""]
        if ingredients:
            en.append("Ingredients: " + ", ".join(ingredients) + ".")
        if kcal:
            en.append(f"Energy per serving: {kcal} kcal; makes {recipe.servings} servings.")
        out.append(("en", recipe.title_en, "\n".join(p for p in en if p)))
    return out


def _write(kind: str, source_id: int, docs: list[tuple[str, str, str, str]]) -> int:
    """Replace the passages of one source with ``docs`` [(language, title, url, text)]."""
    KnowledgePassage.objects.filter(kind=kind, source_id=source_id).delete()
    rows = []
    for language, title, url, text in docs:
        for position, chunk in enumerate(chunk_text(text) or [title]):
            rows.append(KnowledgePassage(kind=kind, source_id=source_id, language=language, position=position,
                                         title=title[:255], url=url[:500], text=chunk,
                                         terms=passage_terms(title, chunk)))
    KnowledgePassage.objects.bulk_create(rows)
    return len(rows)


# ---------------------------------------------------------------------------------------
# one source


def _public_page(model, page_id):
    return model.objects.live().public().filter(pk=page_id).select_related("locale").first()


def page_reindex(page_id: int) -> int:
    """Index one blog post or resource if it is live and public; otherwise drop its passages.
    Returns the number of passages written."""
    from content.models import BlogPage, ResourcePage

    for kind, model, text_of in ((SourceKind.BLOG, BlogPage, _blog_text),
                                 (SourceKind.RESOURCE, ResourcePage, _resource_text)):
        page = _public_page(model, page_id)
        if page is not None:
            count = _write(kind, page.pk, [(_language(page), page.title, page.url or "", text_of(page))])
            index_bump()
            return count
    deleted, _ = KnowledgePassage.objects.filter(kind__in=[SourceKind.BLOG, SourceKind.RESOURCE],
                                                 source_id=page_id).delete()
    if deleted:
        index_bump()
    return 0


def recipe_reindex(recipe_id: int) -> int:
    """Index one recipe if the public may see it; otherwise drop its passages."""
    from nutrition.selectors.recipes import recipes_visible

    recipe = recipes_visible(user=None).filter(pk=recipe_id).prefetch_related("ingredients").first()
    if recipe is None:
        deleted, _ = KnowledgePassage.objects.filter(kind=SourceKind.RECIPE, source_id=recipe_id).delete()
        if deleted:
            index_bump()
        return 0
    url = reverse("nutrition:recipe_detail", kwargs={"slug": recipe.slug})
    count = _write(SourceKind.RECIPE, recipe.pk, [(lang, title, url, text) for lang, title, text in _recipe_texts(recipe)])
    index_bump()
    return count


@transaction.atomic
def reindex_all() -> dict[str, int]:
    """Rebuild every passage from scratch. Returns passages written per kind."""
    from content.models import BlogPage, ResourcePage
    from nutrition.selectors.recipes import recipes_visible

    KnowledgePassage.objects.all().delete()
    counts = {SourceKind.BLOG.value: 0, SourceKind.RESOURCE.value: 0, SourceKind.RECIPE.value: 0}
    for page in BlogPage.objects.live().public().select_related("locale"):
        counts["blog"] += _write(SourceKind.BLOG, page.pk, [(_language(page), page.title, page.url or "", _blog_text(page))])
    for page in ResourcePage.objects.live().public().select_related("locale"):
        counts["resource"] += _write(SourceKind.RESOURCE, page.pk,
                                     [(_language(page), page.title, page.url or "", _resource_text(page))])
    for recipe in recipes_visible(user=None).prefetch_related("ingredients"):
        url = reverse("nutrition:recipe_detail", kwargs={"slug": recipe.slug})
        counts["recipe"] += _write(SourceKind.RECIPE, recipe.pk,
                                   [(lang, title, url, text) for lang, title, text in _recipe_texts(recipe)])
    index_bump()
    return counts


# ---------------------------------------------------------------------------------------
# signal receivers (connected in AssistantConfig.ready)


def _safely(func, *args):
    # Indexing must never break publishing a page or saving a recipe.
    try:
        func(*args)
    except Exception:  # noqa: BLE001
        logger.exception("assistant index update failed: %s%r", func.__name__, args)


def on_page_change(sender, instance, **kwargs):
    from content.models import BlogPage, ResourcePage

    if isinstance(instance, BlogPage | ResourcePage):
        pk = instance.pk  # read now: Django clears the pk of a deleted instance
        transaction.on_commit(lambda: _safely(page_reindex, pk))


def on_page_delete(sender, instance, **kwargs):
    pk = instance.pk
    transaction.on_commit(lambda: _safely(page_reindex, pk))


def on_view_restriction_change(sender, instance, **kwargs):
    """A password or group restriction hides a whole section: re-index every indexed page in it."""
    page_id = instance.page_id

    def run():
        from wagtail.models import Page

        page = Page.objects.filter(pk=page_id).first()
        if page is None:
            return
        ids = set(Page.objects.descendant_of(page, inclusive=True).values_list("pk", flat=True))
        indexed = set(KnowledgePassage.objects.filter(kind__in=[SourceKind.BLOG, SourceKind.RESOURCE],
                                                      source_id__in=ids).values_list("source_id", flat=True))
        from content.models import BlogPage, ResourcePage

        candidates = indexed | set(BlogPage.objects.filter(pk__in=ids).values_list("pk", flat=True)) | set(
            ResourcePage.objects.filter(pk__in=ids).values_list("pk", flat=True))
        for pk in candidates:
            page_reindex(pk)

    transaction.on_commit(lambda: _safely(run))


def on_recipe_change(sender, instance, **kwargs):
    pk = instance.pk
    transaction.on_commit(lambda: _safely(recipe_reindex, pk))


def connect_signals() -> None:
    from django.db.models.signals import post_delete, post_save
    from wagtail.models import PageViewRestriction
    from wagtail.signals import page_published, page_unpublished

    from content.models import BlogPage, ResourcePage
    from nutrition.models import Recipe

    page_published.connect(on_page_change, dispatch_uid="assistant_page_published")
    page_unpublished.connect(on_page_change, dispatch_uid="assistant_page_unpublished")
    for model in (BlogPage, ResourcePage):
        post_delete.connect(on_page_delete, sender=model, dispatch_uid=f"assistant_page_deleted_{model.__name__}")
    post_save.connect(on_view_restriction_change, sender=PageViewRestriction, dispatch_uid="assistant_restriction_saved")
    post_delete.connect(on_view_restriction_change, sender=PageViewRestriction,
                        dispatch_uid="assistant_restriction_deleted")
    post_save.connect(on_recipe_change, sender=Recipe, dispatch_uid="assistant_recipe_saved")
    post_delete.connect(on_recipe_change, sender=Recipe, dispatch_uid="assistant_recipe_deleted")
