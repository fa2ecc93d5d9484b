"""Grounding: Spanish normalisation, chunking, BM25 ranking over the live public content, and
the index following publish / unpublish / restrictions / recipe changes."""

from __future__ import annotations

import time

import pytest

from assistant.indexing import chunk_text, page_reindex, reindex_all
from assistant.models import KnowledgePassage
from assistant.retrieval import passages_search, stem, tokens

pytestmark = pytest.mark.django_db


def test_tokens_are_lowercase_accent_free_stemmed_and_without_stopwords():
    assert tokens("¿Cuántas PROTEÍNAS tienen los frijoles?") == ["protein", "frijol"]
    assert stem("proteina") == stem("proteinas") == "protein"
    assert stem("azucares") == "azucar"
    assert tokens("sal y pan") == ["sal", "pan"]  # short words stay themselves


def test_chunks_stay_between_80_and_150_words_on_sentence_boundaries():
    sentence = "La tortilla de maíz nixtamalizado aporta calcio y fibra a la dieta diaria. "  # 13 words
    text = sentence * 40  # 520 words
    chunks = chunk_text(text)
    sizes = [len(c.split()) for c in chunks]
    assert sum(sizes) == 520
    assert all(80 <= s <= 150 for s in sizes), sizes
    assert all(c.endswith("diaria.") for c in chunks)
    # a run-on text with no punctuation is still cut
    assert max(len(c.split()) for c in chunk_text("palabra " * 400)) <= 150


def test_relevant_blog_post_ranks_first(kb):
    hits = passages_search("¿Qué alimentos tienen fibra? ¿Los frijoles ayudan a la digestión?")
    assert hits[0].title == "Frijoles y fibra: aliados de tu digestión"
    assert hits[0].url == kb.fiber.url
    labels = passages_search("¿qué significan los sellos de advertencia en las etiquetas?")
    assert labels[0].title == "Cómo leer los sellos de advertencia"
    recipe = passages_search("receta con nopales y jitomate")
    assert recipe[0].kind == "recipe" and recipe[0].url == "/nutricion/recetas/ensalada-de-nopales/"
    assert "Nopales cocidos (3 tazas)" in recipe[0].text and "Enjuaga bien los nopales" in recipe[0].text


def test_drafts_private_pages_and_gated_files_are_never_indexed(kb):
    titles = set(KnowledgePassage.objects.values_list("title", flat=True))
    assert "Borrador: fibra secreta de los frijoles" not in titles
    assert "Privado: fibra y frijoles para pacientes" not in titles
    # the premium resource's public description is there, its file is not
    texts = " ".join(KnowledgePassage.objects.filter(kind="resource").values_list("text", flat=True))
    assert "plato equilibrado" in texts and "contenido secreto del pdf" not in texts
    for hit in passages_search("fibra frijoles borrador secreta pacientes", limit=20):
        assert hit.source_id not in (kb.draft.pk, kb.private.pk)


def test_unpublish_and_publish_update_the_index(kb, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        kb.water.unpublish()
    assert not KnowledgePassage.objects.filter(source_id=kb.water.pk).exists()
    assert all(h.source_id != kb.water.pk for h in passages_search("agua simple hidratación"))
    with django_capture_on_commit_callbacks(execute=True):
        kb.draft.save_revision().publish()
    assert passages_search("borrador fibra secreta")[0].source_id == kb.draft.pk


def test_a_new_view_restriction_removes_the_page(kb, django_capture_on_commit_callbacks):
    from wagtail.models import PageViewRestriction

    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(page=kb.labels, restriction_type=PageViewRestriction.LOGIN)
    assert not KnowledgePassage.objects.filter(source_id=kb.labels.pk).exists()


def test_recipe_unpublished_or_deleted_leaves_the_index(kb, django_capture_on_commit_callbacks):
    assert KnowledgePassage.objects.filter(kind="recipe", source_id=kb.recipe.pk, language="en").exists()
    with django_capture_on_commit_callbacks(execute=True):
        kb.recipe.is_published = False
        kb.recipe.save()
    assert not KnowledgePassage.objects.filter(kind="recipe").exists()
    with django_capture_on_commit_callbacks(execute=True):
        kb.recipe.is_published = True
        kb.recipe.save()
    assert KnowledgePassage.objects.filter(kind="recipe").exists()
    with django_capture_on_commit_callbacks(execute=True):
        kb.recipe.delete()
    assert not KnowledgePassage.objects.filter(kind="recipe").exists()


def test_english_passages_for_english_questions(kb):
    hits = passages_search("nopal salad with tomato", language="en")
    assert hits[0].title == "Nopal salad" and hits[0].language == "en"


def test_reindex_command_rebuilds_everything(kb):
    from io import StringIO

    from django.core.management import call_command

    KnowledgePassage.objects.all().delete()
    out = StringIO()
    call_command("assistant_reindex", stdout=out)
    assert "blog 3" in out.getvalue() and "recetas 2" in out.getvalue()
    assert passages_search("fibra frijoles")[0].source_id == kb.fiber.pk
    assert page_reindex(kb.draft.pk) == 0  # a draft stays out


def test_search_over_three_thousand_passages_is_fast(kb):
    from assistant.retrieval import current_index, index_bump, passage_terms

    words = ("maiz frijol nopal aguacate jitomate chile calabaza arroz avena leche queso huevo pollo pescado "
             "manzana platano papaya mango naranja limon tortilla verdura fruta proteina fibra azucar sodio").split()
    rows = []
    for i in range(3000):
        # six of the food words per passage (each word in about a quarter of them) among filler
        chosen = [words[(i + k * 5) % len(words)] for k in range(6)]
        text = " ".join(chosen[k % 6] if k % 3 == 0 else f"relleno{(i * 13 + k) % 700}" for k in range(110))
        rows.append(KnowledgePassage(kind="blog", source_id=100000 + i // 3, position=i % 3, title=f"Entrada {i}",
                                     url=f"/blog/e{i}/", text=text, terms=passage_terms(f"Entrada {i}", text)))
    KnowledgePassage.objects.bulk_create(rows, batch_size=500)
    index_bump()
    current_index()  # the build happens once per version; the query is what people wait for
    started = time.perf_counter()
    for _ in range(20):
        hits = passages_search("¿Cuánta fibra tiene el frijol con tortilla de maíz y nopal?")
    per_query_ms = (time.perf_counter() - started) * 1000 / 20
    assert hits
    assert per_query_ms < 50, per_query_ms
    print(f"\nBM25 over {KnowledgePassage.objects.count()} passages: {per_query_ms:.1f} ms/query")
    _ = reindex_all  # (the full rebuild is covered above)
