"""Reads of the food database: visibility, lookup, search, recent and frequent foods.

A food is visible to a user when it is active and either verified (SR28, staff-verified
custom foods, published recipes) or authored by that user.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import connection
from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.utils import timezone

from nutrition.errors import FoodNotFound
from nutrition.models import DiaryEntry, Food, FoodPortion, FoodSource
from nutrition.text import normalize

SEARCH_MAX_LIMIT = 50
SEARCH_MAX_LENGTH = 100
# Typo matching (trigram word similarity) only for words of 4+ letters: on shorter ones it
# matches half the database ("res" ~ "fresa") and costs more than it finds.
FUZZY_MIN_LENGTH = 4
_PUBLIC_ID = re.compile(r"^(?:(usda|custom|recipe)_)?(\d{1,12})$")


def foods_visible(*, user) -> QuerySet[Food]:
    """Foods ``user`` may see and log."""
    qs = Food.objects.filter(is_active=True)
    if user is not None and user.is_authenticated:
        return qs.filter(Q(is_verified=True) | Q(author=user))
    return qs.filter(is_verified=True)


def food_id_parse(value) -> int | None:
    """Accept ``123``, ``"123"`` or seed 003's ``"usda_123"``; None when malformed."""
    match = _PUBLIC_ID.match(str(value).strip()) if value is not None else None
    return int(match.group(2)) if match else None


def food_get(*, user, food_id, with_portions: bool = True) -> Food:
    """One visible food or ``FoodNotFound`` (FOOD_NOT_FOUND) — never someone's private food."""
    pk = food_id_parse(food_id)
    if pk is None:
        raise FoodNotFound()
    qs = foods_visible(user=user).select_related("group", "smae_group")
    if with_portions:
        qs = qs.prefetch_related(Prefetch("portions", queryset=FoodPortion.objects.order_by("seq")))
    food = qs.filter(pk=pk).first()
    if food is None:
        raise FoodNotFound()
    return food


@dataclass
class SearchResult:
    query: str
    total_results: int
    results: list[Food]
    suggestions: list[str] = field(default_factory=list)


def _user_food_counts(user, days: int = 90) -> dict[int, int]:
    if user is None or not user.is_authenticated:
        return {}
    since = timezone.localdate() - timedelta(days=days)
    rows = (
        DiaryEntry.objects.filter(user=user, date__gte=since, food__isnull=False)
        .values("food_id")
        .annotate(n=Count("id"))
        .order_by("-n")[:200]
    )
    return {r["food_id"]: r["n"] for r in rows}


def _visibility_sql(user) -> tuple[str, list]:
    if user is not None and user.is_authenticated:
        return "f.is_active AND (f.is_verified OR f.author_id = %s)", [user.pk]
    return "f.is_active AND f.is_verified", []


def _filters_sql(source: str | None, category: str | None) -> tuple[str, list]:
    sql, params = "", []
    if source and source != "all":
        sql += " AND f.source = %s"
        params.append(source)
    if category:
        sql += " AND f.category = %s"
        params.append(category)
    return sql, params


def _search_postgres(terms, query, user, limit, source, category) -> tuple[list[int], int]:
    """Full text (prefix) or trigram word similarity per term, ranked by match quality,
    common whole foods first, the user's own frequent foods boosted."""
    visible, vparams = _visibility_sql(user)
    extra, fparams = _filters_sql(source, category)
    match_sql, match_params, score_parts, score_params = [], [], [], []
    for term in terms:
        # a word starting with the term ("res" finds "res molida", not "fresa"), or a word
        # similar to it (typos); both use the trigram index
        if len(term) >= FUZZY_MIN_LENGTH:
            match_sql.append("(f.search_text ~ %s OR %s <%% f.search_text)")
            match_params += [rf"\m{term}", term]
        else:
            match_sql.append("f.search_text ~ %s")
            match_params.append(rf"\m{term}")
        score_parts.append("word_similarity(%s, h.search_text)")
        score_params.append(term)
    user_id = user.pk if user is not None and user.is_authenticated else None
    since = timezone.localdate() - timedelta(days=90)
    # Only constant fragments are interpolated; every value is a query parameter.
    sql = f"""
        WITH mine AS (
            SELECT food_id, COUNT(*) AS n FROM nutrition_diaryentry
            WHERE user_id = %s AND date >= %s AND food_id IS NOT NULL GROUP BY food_id
        ), hits AS (
            SELECT f.id, f.search_text, f.is_common, f.usage_count, f.source
            FROM nutrition_food f
            WHERE {visible}{extra} AND {" AND ".join(match_sql)}
        )
        SELECT h.id, COUNT(*) OVER () AS total
        FROM hits h LEFT JOIN mine m ON m.food_id = h.id
        ORDER BY (
            {" + ".join(score_parts)}
            + CASE WHEN h.search_text LIKE %s THEN 0.8 ELSE 0 END
            + CASE WHEN h.is_common THEN 1.2 ELSE 0 END
            + CASE WHEN h.source = 'recipe' THEN 0.6 ELSE 0 END
            + LEAST(COALESCE(m.n, 0), 10) * 0.25
            + LN(1 + h.usage_count) * 0.05
            - LENGTH(h.search_text) / 400.0
        ) DESC, h.id
        LIMIT %s
    """  # noqa: S608
    params = [user_id, since, *vparams, *fparams, *match_params, *score_params, f"{query}%", limit]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [r[0] for r in rows], (rows[0][1] if rows else 0)


def _search_simple(terms, query, user, limit, source, category) -> tuple[list[int], int]:
    """SQLite: every term must appear; ranking done in Python with the same signals."""
    qs = foods_visible(user=user)
    if source and source != "all":
        qs = qs.filter(source=source)
    if category:
        qs = qs.filter(category=category)
    for term in terms:
        qs = qs.filter(Q(search_text__startswith=term) | Q(search_text__contains=f" {term}"))
    rows = list(qs.values_list("id", "search_text", "is_common", "usage_count", "source")[:2000])
    mine = _user_food_counts(user)

    def score(row):
        pk, text, common, usage, src = row
        words = text.split()
        exact = sum(1 for t in terms if t in words)
        return (
            exact * 0.5
            + (0.8 if text.startswith(query) else 0)
            + (1.2 if common else 0)
            + (0.6 if src == FoodSource.RECIPE else 0)
            + min(mine.get(pk, 0), 10) * 0.25
            - len(text) / 400.0
        )

    rows.sort(key=lambda r: (-score(r), r[0]))
    return [r[0] for r in rows[:limit]], len(rows)


def food_search(*, user, q: str, limit: int = 10, source: str | None = None, category: str | None = None) -> SearchResult:
    """Search visible foods in Spanish or English, accent-insensitive, typo tolerant on
    PostgreSQL, common whole foods first, the user's recent and frequent foods boosted.

    Raises nothing: an empty (normalised) query returns no results; callers validate input.
    """
    query = normalize(q)[:SEARCH_MAX_LENGTH]
    terms = [t for t in query.split() if t][:6]
    if not terms:
        return SearchResult(query=q, total_results=0, results=[])
    limit = max(1, min(int(limit), SEARCH_MAX_LIMIT))
    finder = _search_postgres if connection.vendor == "postgresql" else _search_simple
    ids, total = finder(terms, query, user, limit, source, category)
    foods = Food.objects.select_related("group", "smae_group").prefetch_related(
        Prefetch("portions", queryset=FoodPortion.objects.order_by("seq"))
    ).in_bulk(ids)
    results = [foods[pk] for pk in ids if pk in foods]
    return SearchResult(query=q, total_results=total, results=results, suggestions=_suggestions(results, query))


def _suggestions(results: list[Food], query: str) -> list[str]:
    """Shorter names around the query ("manzana verde", "jugo de manzana") from the hits."""
    seen, out = {query}, []
    for food in results:
        head = food.name.split(",")[0].strip()
        key = normalize(head)
        if key and key not in seen:
            seen.add(key)
            out.append(head.lower() if head.isupper() else head[:1].lower() + head[1:])
        if len(out) == 5:
            break
    return out


def foods_recent(*, user, limit: int = 10) -> list[Food]:
    """The user's most recently logged distinct foods (newest first)."""
    rows = (
        DiaryEntry.objects.filter(user=user, food__isnull=False)
        .values("food_id")
        .annotate(last=Max("created_at"))
        .order_by("-last")[:limit]
    )
    ids = [r["food_id"] for r in rows]
    foods = foods_visible(user=user).in_bulk(ids)
    return [foods[i] for i in ids if i in foods]


def foods_frequent(*, user, limit: int = 10, days: int = 90) -> list[Food]:
    """The user's most often logged foods over the last ``days`` days."""
    counts = _user_food_counts(user, days)
    ids = list(counts)[:limit]
    foods = foods_visible(user=user).in_bulk(ids)
    return [foods[i] for i in ids if i in foods]
