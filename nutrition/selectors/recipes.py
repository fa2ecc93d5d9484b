"""Reads of recipes: visibility, lookup, the filtered and sorted list with Spanish search,
the signed-in person's marks (saved, rated, tried) for a page of recipes, and the staff
moderation queue.

A recipe is visible when it is published and not deleted; its author also sees it while it
waits for review (or after it was rejected), and staff see every recipe that is not deleted.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.db.models import BooleanField, Case, F, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext as _

from nutrition.errors import RecipeNotFound
from nutrition.models import (
    DietaryTag,
    Difficulty,
    FoodPortion,
    Moderation,
    Recipe,
    RecipeIngredient,
    RecipeMealType,
    RecipeRating,
    RecipeSave,
    RecipeTried,
)
from nutrition.text import normalize

SORTS = ("rating", "created_at", "tried_count", "kcal", "total_time", "relevance")
SCOPES = ("all", "mine", "saved")
SEARCH_MAX_LENGTH = 100
SEARCH_MAX_TERMS = 6


def _signed_in(user) -> bool:
    return user is not None and user.is_authenticated


def recipes_visible(*, user) -> QuerySet[Recipe]:
    """Recipes ``user`` may see: published ones, plus their own (any state); staff see all
    that are not deleted. Deleted recipes are never visible."""
    qs = Recipe.objects.filter(deleted_at__isnull=True)
    if not _signed_in(user):
        return qs.filter(is_published=True)
    if user.is_staff:
        return qs
    return qs.filter(Q(is_published=True) | Q(author=user))


def recipe_get(*, user, recipe_id, detail: bool = True) -> Recipe:
    """One visible recipe by id (``12``, ``"12"``) or slug, or ``RecipeNotFound`` (404).

    With ``detail`` the ingredients (with their foods and portions), the steps and the gallery
    come prefetched, so a detail page is a fixed number of queries.
    """
    value = str(recipe_id if recipe_id is not None else "").strip()
    if not value:
        raise RecipeNotFound()
    qs = recipes_visible(user=user).select_related("author", "food", "verified_by")
    if detail:
        qs = qs.prefetch_related(
            Prefetch(
                "ingredients",
                queryset=RecipeIngredient.objects.select_related("food").prefetch_related(
                    Prefetch("food__portions", queryset=FoodPortion.objects.order_by("seq"))
                ),
            ),
            "steps",
            "gallery",
        )
    if value.isdigit():
        recipe = qs.filter(pk=int(value)).first()
    elif len(value) <= 140:
        recipe = qs.filter(slug=value).first()
    else:
        recipe = None
    if recipe is None:
        raise RecipeNotFound()
    return recipe


# ---------------------------------------------------------------------------------------
# list


@dataclass
class RecipeFilters:
    search: str = ""
    meal_type: str = ""
    dietary_tags: tuple[str, ...] = ()
    max_prep_time_min: int | None = None
    difficulty: str = ""
    is_verified: bool | None = None
    sort_by: str = "rating"
    scope: str = "all"

    def as_kwargs(self) -> dict:
        return {
            "search": self.search,
            "meal_type": self.meal_type,
            "dietary_tags": list(self.dietary_tags),
            "max_prep_time_min": self.max_prep_time_min,
            "difficulty": self.difficulty,
            "is_verified": self.is_verified,
            "sort_by": self.sort_by,
            "scope": self.scope,
        }


def _bool_param(value) -> bool | None:
    if value in (None, ""):
        return None
    text = str(value).strip().lower()
    if text in ("1", "true", "si", "sí", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off"):
        return False
    raise ValidationError({"is_verified": _("Usa true o false.")})


def recipe_filters_clean(
    *,
    search=None,
    meal_type=None,
    dietary_tags=None,
    max_prep_time_min=None,
    difficulty=None,
    is_verified=None,
    sort_by=None,
    scope=None,
) -> RecipeFilters:
    """Validate list filters from a page or the API (strings as they come from a query
    string). Raises ``ValidationError`` naming each bad parameter."""
    errors: dict[str, str] = {}
    search = str(search or "").strip()[:SEARCH_MAX_LENGTH]
    meal_type = str(meal_type or "").strip().lower()
    if meal_type and meal_type not in RecipeMealType.values:
        errors["meal_type"] = _("Tipo de comida no válido. Usa: %(v)s.") % {"v": ", ".join(RecipeMealType.values)}
    if isinstance(dietary_tags, str):
        dietary_tags = [t for t in dietary_tags.split(",")]
    tags = []
    for tag in dietary_tags or []:
        tag = str(tag).strip().lower()
        if not tag:
            continue
        if tag not in DietaryTag.values:
            errors["dietary_tags"] = _("Etiqueta dietética no válida: %(t)s.") % {"t": tag}
            break
        if tag not in tags:
            tags.append(tag)
    max_prep = None
    if max_prep_time_min not in (None, ""):
        try:
            max_prep = int(max_prep_time_min)
        except (TypeError, ValueError):
            errors["max_prep_time_min"] = _("Escribe los minutos como número entero.")
        else:
            if not 0 <= max_prep <= 1440:
                errors["max_prep_time_min"] = _("Escribe de 0 a 1440 minutos.")
    difficulty = str(difficulty or "").strip().lower()
    if difficulty and difficulty not in Difficulty.values:
        errors["difficulty"] = _("Dificultad no válida. Usa: %(v)s.") % {"v": ", ".join(Difficulty.values)}
    verified = None
    try:
        verified = _bool_param(is_verified)
    except ValidationError:
        errors["is_verified"] = _("Usa true o false.")
    sort = str(sort_by or "").strip().lower() or ("relevance" if search else "rating")
    if sort not in SORTS:
        errors["sort_by"] = _("Orden no válido. Usa: %(v)s.") % {"v": ", ".join(SORTS)}
    scope = str(scope or "all").strip().lower()
    if scope not in SCOPES:
        errors["scope"] = _("Colección no válida. Usa: %(v)s.") % {"v": ", ".join(SCOPES)}
    if errors:
        raise ValidationError(errors)
    return RecipeFilters(
        search=search, meal_type=meal_type, dietary_tags=tuple(tags), max_prep_time_min=max_prep,
        difficulty=difficulty, is_verified=verified, sort_by=sort, scope=scope,
    )


def _search_terms(search: str) -> list[str]:
    return [t for t in normalize(search)[:SEARCH_MAX_LENGTH].split() if t][:SEARCH_MAX_TERMS]


def _search_filter(qs: QuerySet[Recipe], terms: list[str]) -> QuerySet[Recipe]:
    """Every term must match. PostgreSQL: full text with prefixes (GIN on
    ``to_tsvector('simple', search_text)``) or, per term, a substring or a trigram word
    match for typos (GIN trigram index). Other databases: substring per term."""
    if connection.vendor != "postgresql":
        for term in terms:
            qs = qs.filter(search_text__contains=term)
        return qs
    table = Recipe._meta.db_table
    tsquery = " & ".join(f"{t}:*" for t in terms)  # terms are [a-z0-9] only (normalised)
    fuzzy = " AND ".join(f'({table}.search_text LIKE %s OR %s <%% {table}.search_text)' for _t in terms)
    params: list = [tsquery]
    for term in terms:
        params += [f"%{term}%", term]
    sql = f"(to_tsvector('simple', {table}.search_text) @@ to_tsquery('simple', %s)) OR ({fuzzy})"
    # Only constant fragments are interpolated; every value is a query parameter.
    return qs.filter(RawSQL(sql, params, output_field=BooleanField()))  # noqa: S611


def _order(qs: QuerySet[Recipe], sort_by: str, terms: list[str]) -> QuerySet[Recipe]:
    if sort_by == "relevance" and terms:
        # Recipes whose title starts with the query first, then by rating.
        query = " ".join(terms)
        qs = qs.annotate(
            _title_hit=Case(When(search_text__startswith=query, then=Value(0)), default=Value(1),
                            output_field=IntegerField())
        )
        return qs.order_by("_title_hit", "-rating_average", "-rating_count", "-id")
    if sort_by == "created_at":
        return qs.order_by("-created_at", "-id")
    if sort_by == "tried_count":
        return qs.order_by("-tried_count", "-rating_average", "-id")
    if sort_by == "kcal":
        return qs.order_by(F("energy_kcal").asc(nulls_last=True), "-rating_average", "id")
    if sort_by == "total_time":
        return qs.order_by("total_time_min", "-rating_average", "id")
    return qs.order_by("-rating_average", "-rating_count", "-tried_count", "-id")


def recipe_list(
    *,
    user,
    search: str = "",
    meal_type: str = "",
    dietary_tags=(),
    max_prep_time_min: int | None = None,
    difficulty: str = "",
    is_verified: bool | None = None,
    sort_by: str = "rating",
    scope: str = "all",
) -> QuerySet[Recipe]:
    """Visible recipes filtered and sorted (one query per page, plus the count).

    ``scope``: ``all`` (published ones, plus the user's own), ``mine`` (what the user wrote,
    in any moderation state) or ``saved`` (what the user saved). ``dietary_tags``: a recipe
    must carry every tag asked for. ``sort_by``: rating (default), created_at, tried_count,
    kcal (lightest first), total_time (quickest first), relevance (with a search).
    Pass values through ``recipe_filters_clean`` first when they come from a request.
    """
    qs = recipes_visible(user=user).select_related("author")
    if scope == "mine":
        qs = qs.filter(author=user) if _signed_in(user) else qs.none()
    elif scope == "saved":
        qs = qs.filter(saves__user=user) if _signed_in(user) else qs.none()
    elif _signed_in(user) and user.is_staff:
        # Staff browse what everyone sees; the moderation queue shows the rest.
        qs = qs.filter(Q(is_published=True) | Q(author=user))
    if meal_type:
        qs = qs.filter(meal_type=meal_type)
    for tag in dietary_tags or ():
        # JSON list membership, portable: the stored list is compact JSON ("vegan", ...).
        qs = qs.filter(dietary_tags__icontains=f'"{tag}"')
    if max_prep_time_min is not None:
        qs = qs.filter(prep_time_min__lte=max_prep_time_min)
    if difficulty:
        qs = qs.filter(difficulty=difficulty)
    if is_verified is not None:
        qs = qs.filter(is_verified=is_verified)
    terms = _search_terms(search)
    if terms:
        qs = _search_filter(qs, terms)
    return _order(qs, sort_by, terms)


# ---------------------------------------------------------------------------------------
# the person's marks


@dataclass
class RecipeMarks:
    saved: bool = False
    tried: bool = False
    rating: int | None = None
    comment: str = ""


def recipe_marks(*, user, recipe_ids) -> dict[int, RecipeMarks]:
    """{recipe_id: RecipeMarks} for a page of recipes: one query each for saves, ratings and
    tried marks (none for an anonymous visitor or an empty page)."""
    ids = [int(i) for i in recipe_ids]
    marks = {i: RecipeMarks() for i in ids}
    if not ids or not _signed_in(user):
        return marks
    for rid in RecipeSave.objects.filter(user=user, recipe_id__in=ids).values_list("recipe_id", flat=True):
        marks[rid].saved = True
    for rid, stars, comment in RecipeRating.objects.filter(user=user, recipe_id__in=ids).values_list(
        "recipe_id", "stars", "comment"
    ):
        marks[rid].rating = stars
        marks[rid].comment = comment
    for rid in RecipeTried.objects.filter(user=user, recipe_id__in=ids).values_list("recipe_id", flat=True):
        marks[rid].tried = True
    return marks


def recipes_moderation_queue(*, user) -> QuerySet[Recipe]:
    """Recipes waiting for review, oldest first (staff only)."""
    if not (_signed_in(user) and user.is_staff):
        raise PermissionDenied(_("Solo el personal puede moderar recetas."))
    return (
        Recipe.objects.filter(deleted_at__isnull=True, moderation_status=Moderation.PENDING)
        .select_related("author")
        .order_by("created_at", "id")
    )
