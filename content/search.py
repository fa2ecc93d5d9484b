"""Site search: one query, results grouped by kind (seed 002): blog 5, resources 5, recipes 3,
nutritionists 5.

Wagtail's database backend ranks the blog and resources (title, excerpt, body, tags) but does
not fuzzy-match, and people type Spanish on phones without accents and with typos. So each
query word is also expanded against a vocabulary of the words that appear in what can be found
(titles, tags, categories, names): an exact accent-free match ("nutricion" → "nutrición"), a
prefix ("diab" → "diabetes") or a close spelling (``difflib``: "rescetas" → "recetas",
"diabetis" → "diabetes"). A result must match every word (any of its variants).

Only what anyone may see is searched: live, public pages of the current locale, published
recipes and verified nutritionists of the public directory.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.models import Locale

from nutrition.text import normalize

Q_MIN = 2
Q_MAX = 100
MAX_TERMS = 6
GROUP_SIZES = {"blog": 5, "resources": 5, "recipes": 3, "nutritionists": 5}
GROUP_LABELS = {
    "blog": gettext_lazy("Blog"),
    "resources": gettext_lazy("Recursos"),
    "recipes": gettext_lazy("Recetas"),
    "nutritionists": gettext_lazy("Nutriólogos"),
}
STOPWORDS = frozenset(
    "a al con de del el en la las lo los mi para por que se sin su un una y o the of and for to in on with".split()
)
VOCAB_TTL = 600
_VOCAB_VERSION_KEY = "content:search:vocab:version"


@dataclass
class SearchGroup:
    key: str
    label: str
    count: int = 0
    results: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"key": self.key, "label": self.label, "count": self.count, "results": self.results}


@dataclass
class SearchResult:
    q: str
    terms: list[str]
    corrected: str  # the query as understood ("" when nothing was corrected)
    groups: list[SearchGroup]

    @property
    def total(self) -> int:
        return sum(g.count for g in self.groups)

    def as_dict(self) -> dict:
        return {"q": self.q, "corrected": self.corrected, "total": self.total,
                "groups": {g.key: g.as_dict() for g in self.groups}}


def search_query_clean(raw) -> str:
    """The query, stripped; ValidationError when missing, too short or too long."""
    q = " ".join(str(raw or "").split())
    if not q:
        raise ValidationError({"q": [_("Escribe qué quieres buscar.")]})
    if len(q) < Q_MIN:
        raise ValidationError({"q": [_("Escribe al menos %(n)s caracteres.") % {"n": Q_MIN}]})
    if len(q) > Q_MAX:
        raise ValidationError({"q": [_("Escribe como máximo %(n)s caracteres.") % {"n": Q_MAX}]})
    return q


# ---------------------------------------------------------------------------------------
# vocabulary and typo tolerance


def vocabulary_invalidate(**kwargs) -> None:
    """Publishing or unpublishing a page changes what can be found (connected to Wagtail's
    ``page_published`` / ``page_unpublished``)."""
    try:
        cache.incr(_VOCAB_VERSION_KEY)
    except ValueError:
        cache.set(_VOCAB_VERSION_KEY, 2, None)


def _words(text: str) -> list[str]:
    return [w for w in str(text or "").lower().replace("\n", " ").split() if w]


def _vocabulary(locale) -> dict[str, list[str]]:
    """{accent-free word: [spellings as written]} over what search can find (cached)."""
    version = cache.get_or_set(_VOCAB_VERSION_KEY, 1, None)
    key = f"content:search:vocab:{version}:{locale.pk if locale else 0}"
    vocab = cache.get(key)
    if vocab is not None:
        return vocab
    from clinical.selectors.practice import nutritionist_directory
    from content.models import BlogCategory, BlogPage, BlogPageTag, ResourcePage, ResourceType
    from nutrition.models import Recipe

    texts: list[str] = []
    blog = BlogPage.objects.live().public()
    resources = ResourcePage.objects.live().public()
    if locale is not None:
        blog, resources = blog.filter(locale=locale), resources.filter(locale=locale)
    texts += [f"{t} {e}" for t, e in blog.values_list("title", "excerpt")]
    texts += list(BlogPageTag.objects.filter(content_object__in=blog).values_list("tag__name", flat=True))
    texts += [f"{t} {d}" for t, d in resources.values_list("title", "description")]
    texts += [str(label) for label in (*BlogCategory.labels, *ResourceType.labels)]
    texts += [f"{t} {te}" for t, te in Recipe.objects.filter(is_published=True, deleted_at__isnull=True)
              .values_list("title", "title_en")[:5000]]
    texts += [f"{f} {la} {c} {city}" for f, la, c, city in nutritionist_directory()
              .values_list("user__first_name", "user__last_name", "clinic_name", "city")[:5000]]
    vocab: dict[str, set[str]] = {}
    for text in texts:
        for word in _words(text):
            word = word.strip(".,;:¡!¿?()\"'«»“”")
            key_ = normalize(word)
            if len(key_) >= 3 and " " not in key_:
                vocab.setdefault(key_, set()).add(word)
    out = {k: sorted(v) for k, v in vocab.items()}
    cache.set(key, out, VOCAB_TTL)
    return out


def _terms(q: str) -> list[str]:
    terms = [t for t in normalize(q).split() if t and t not in STOPWORDS]
    return terms[:MAX_TERMS] or normalize(q).split()[:MAX_TERMS]


def _variants(term: str, vocab: dict[str, list[str]]) -> tuple[list[str], str]:
    """Spellings to look for (as written in the content) and the best correction."""
    keys: list[str] = []
    if term in vocab:
        keys.append(term)
    if len(term) >= 3:
        keys += sorted((k for k in vocab if k.startswith(term) and k != term), key=len)[:5]
    if term not in vocab and len(term) >= 4:
        keys += difflib.get_close_matches(term, list(vocab), n=3, cutoff=0.75)
    best = keys[0] if keys else term
    spellings = {term}
    for k in keys:
        spellings.update(vocab[k])
        spellings.add(k)
    return sorted(spellings, key=len), best


# ---------------------------------------------------------------------------------------
# groups


def _match_all(term_variants: list[list[str]], fields: tuple[str, ...]) -> Q:
    """Every term must match (any of its spellings) in any of ``fields``."""
    q = Q()
    for variants in term_variants:
        any_ = Q()
        for v in variants:
            for f in fields:
                any_ |= Q(**{f"{f}__icontains": v})
        q &= any_
    return q


def _wagtail_hits(qs, query: str) -> list[int]:
    """Page ids Wagtail's search backend ranks for ``query`` (title, body, tags, ...)."""
    try:
        return [p.pk for p in qs.search(query, operator="and")[:200]]
    except Exception:  # noqa: BLE001 - a backend that cannot parse the query: rely on the ORM
        return []


def _pages(model, *, locale, term_variants, queries, fields, limit, order):
    qs = model.objects.live().public()
    if locale is not None:
        qs = qs.filter(locale=locale)
    ranked: list[int] = []
    for query in queries:
        for pk in _wagtail_hits(qs, query):
            if pk not in ranked:
                ranked.append(pk)
    orm_ids = list(dict.fromkeys(
        qs.filter(_match_all(term_variants, fields)).order_by(*order).values_list("pk", flat=True)[:400]))
    ids = ranked + [pk for pk in orm_ids if pk not in ranked]
    pages = model.objects.live().public().filter(pk__in=ids[:limit]).in_bulk()
    return len(ids), [pages[pk] for pk in ids[:limit] if pk in pages]


def site_search(*, user, q: str, request=None, locale=None) -> SearchResult:
    """Search the public site; ``q`` must have passed ``search_query_clean``."""
    from clinical.selectors.practice import nutritionist_directory
    from content.models import BlogPage, ResourcePage
    from nutrition.models import Recipe
    from nutrition.selectors.recipes import recipe_list

    if locale is None:
        try:
            locale = Locale.get_active()
        except (Locale.DoesNotExist, LookupError):
            locale = None
    terms = _terms(q)
    vocab = _vocabulary(locale)
    term_variants, best = [], []
    for term in terms:
        spellings, correction = _variants(term, vocab)
        term_variants.append(spellings)
        best.append(correction)
    corrected = " ".join(best)
    corrected_out = corrected if corrected != " ".join(terms) else ""
    # Wagtail queries: as typed, and with each word replaced by its best spelling.
    best_written = [vocab.get(b, [b])[0] for b in best]
    queries = [q] + ([" ".join(best_written)] if best != terms else [])

    groups: list[SearchGroup] = []

    count, pages = _pages(BlogPage, locale=locale, term_variants=term_variants, queries=queries,
                          fields=("title", "excerpt", "search_description", "tagged_items__tag__name"),
                          limit=GROUP_SIZES["blog"], order=("-date", "-pk"))
    groups.append(SearchGroup("blog", str(GROUP_LABELS["blog"]), count, [
        {"id": p.pk, "title": p.title, "url": p.get_url(request=request), "summary": p.excerpt,
         "date": p.date.isoformat(), "category": p.category, "category_label": p.get_category_display(),
         "read_time": p.read_time}
        for p in pages
    ]))

    count, pages = _pages(ResourcePage, locale=locale, term_variants=term_variants, queries=queries,
                          fields=("title", "description", "search_description"),
                          limit=GROUP_SIZES["resources"], order=("-first_published_at", "-pk"))
    groups.append(SearchGroup("resources", str(GROUP_LABELS["resources"]), count, [
        {"id": p.pk, "title": p.title, "url": p.get_url(request=request), "summary": p.description,
         "resource_type": p.resource_type, "resource_type_label": p.get_resource_type_display(),
         "access_level": p.access_level, "access_level_label": p.get_access_level_display()}
        for p in pages
    ]))

    # Recipes: the nutrition selector's own search (accent-free, substring per word), with the
    # corrected words; only published recipes (what a visitor sees), never someone's draft.
    public = Q(is_published=True)
    recipes_qs = recipe_list(user=user, search=corrected, sort_by="relevance").filter(public)
    if not recipes_qs.exists() and corrected != " ".join(terms):
        recipes_qs = recipe_list(user=user, search=" ".join(terms), sort_by="relevance").filter(public)
    if not recipes_qs.exists():
        ids = Recipe.objects.filter(public, deleted_at__isnull=True).filter(
            _match_all(term_variants, ("title", "title_en", "description"))).values_list("pk", flat=True)[:200]
        recipes_qs = recipe_list(user=user, sort_by="rating").filter(public, pk__in=list(ids))
    recipes = list(recipes_qs[: GROUP_SIZES["recipes"]])
    groups.append(SearchGroup("recipes", str(GROUP_LABELS["recipes"]), recipes_qs.count(), [
        {"id": r.pk, "slug": r.slug, "title": r.title, "summary": r.description[:200],
         "url": reverse("nutrition:recipe_detail", kwargs={"slug": r.slug}),
         "meal_type": r.meal_type, "total_time_min": r.total_time_min}
        for r in recipes
    ]))

    # Nutritionists: the public directory (verified, active accounts only).
    directory = nutritionist_directory().filter(_match_all(
        term_variants, ("user__first_name", "user__last_name", "clinic_name", "city", "state", "bio")))
    people = list(directory[: GROUP_SIZES["nutritionists"]])
    groups.append(SearchGroup("nutritionists", str(GROUP_LABELS["nutritionists"]), directory.count(), [
        {"id": n.pk, "slug": n.slug, "title": n.user.get_full_name() or n.clinic_name, "summary": n.clinic_name,
         "city": n.city, "url": reverse("clinical:nutritionist_public", kwargs={"slug": n.slug})}
        for n in people
    ]))
    return SearchResult(q=q, terms=terms, corrected=corrected_out, groups=groups)
