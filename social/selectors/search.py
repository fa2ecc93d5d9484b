"""Search in the social network: posts, #tags and people; and the posts of one tag.

Posts are searched, always through ``social.rules.visible_posts``, so search never shows what
the viewer may not see (followers-only posts of people they do not follow, blocked authors,
hidden, removed or pending posts, other people's groups and circles).

* PostgreSQL: Spanish full text on exactly the expression the GIN index of migration 0002
  covers, ``to_tsvector('spanish', title || ' ' || body)``, queried with
  ``websearch_to_tsquery`` (so "recetas" finds "receta" and "comiendo" finds "comer"), ranked
  by ``ts_rank`` and then by recency.
* SQLite (the embedded default): no stemming; every word of the query must appear in the
  title or the text, accents and case ignored ("nutricion" finds "Nutrición", "pina" finds
  "piña"). It scans, which is fine at the embedded default's size.

People are found by username, first or last name, accents ignored on both databases, without
blocked (either way), deleted, suspended or inactive accounts.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Case, CharField, Count, F, Func, IntegerField, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

from social import rules
from social.models import ModerationStatus, Post, PostTag, Visibility
from social.text import normalise_tag

MIN_Q = 2
MAX_Q = 100
MAX_WORDS = 8
PER_PAGE = 20

FTS_DOCUMENT = "to_tsvector('spanish'::regconfig, social_post.title || ' ' || social_post.body)"
FTS_WHERE = f"{FTS_DOCUMENT} @@ websearch_to_tsquery('spanish', %s)"
FTS_RANK = f"ts_rank({FTS_DOCUMENT}, websearch_to_tsquery('spanish', %s))"

__all__ = [
    "ResultPage",
    "fold",
    "search_people",
    "search_people_qs",
    "search_posts",
    "search_posts_qs",
    "search_query_clean",
    "search_tags",
    "search_tags_qs",
    "tag_posts",
    "tag_posts_qs",
]


@dataclass
class ResultPage:
    """One page of results with the seed's pagination fields."""

    results: list
    page: int
    limit: int
    total_results: int
    total_pages: int = field(init=False)

    def __post_init__(self):
        self.total_pages = max(math.ceil(self.total_results / self.limit), 1) if self.limit else 1

    @property
    def posts(self) -> list:
        """The same list, under the name ``social.selectors.posts.PostPage`` uses."""
        return self.results

    @property
    def has_next(self) -> bool:
        return self.page < self.total_pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def next_page(self) -> int:
        return self.page + 1

    @property
    def previous_page(self) -> int:
        return self.page - 1

    def meta(self) -> dict:
        return {"page": self.page, "limit": self.limit, "total_pages": self.total_pages,
                "total_results": self.total_results}


def _page(qs, *, page, limit) -> ResultPage:
    limit = max(1, min(int(limit or PER_PAGE), 100))
    try:
        page = max(int(page or 1), 1)
    except (TypeError, ValueError):
        page = 1
    paginator = Paginator(qs, limit)
    total = paginator.count
    if page > max(paginator.num_pages, 1):
        return ResultPage(results=[], page=page, limit=limit, total_results=total)
    return ResultPage(results=list(paginator.page(page).object_list), page=page, limit=limit, total_results=total)


# ---------------------------------------------------------------------------------------
# text


def fold(text: str) -> str:
    """Lowercase, accents and ñ folded, punctuation to spaces: ``"¡Piña Colada!"`` -> ``"pina colada"``."""
    text = unicodedata.normalize("NFKD", (text or "").lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^\w]+", " ", text).replace("_", " ").split())


_ACCENTS = {
    "a": "aáàâäãå", "e": "eéèêë", "i": "iíìîï", "o": "oóòôöõ", "u": "uúùûü", "n": "nñ", "c": "cç", "y": "yý",
}


def _accent_pattern(word: str) -> str:
    """A regular expression that finds ``word`` (already folded) with or without accents;
    the database matches it case-insensitively (``iregex``)."""
    out = []
    for ch in word:
        variants = _ACCENTS.get(ch)
        out.append(f"[{variants}]" if variants else re.escape(ch))
    return "".join(out)


def search_query_clean(q) -> str:
    """The query text, 2 to 100 characters, or ValidationError on ``q``."""
    text = " ".join(str(q or "").split()) if isinstance(q, str | int) else ""
    if len(text) < MIN_Q:
        raise ValidationError({"q": [_("Escribe al menos %(n)s caracteres para buscar.") % {"n": MIN_Q}]},
                              code="invalid")
    if len(text) > MAX_Q:
        raise ValidationError({"q": [_("La búsqueda admite hasta %(n)s caracteres.") % {"n": MAX_Q}]},
                              code="invalid")
    return text


def _postgres() -> bool:
    return connection.vendor == "postgresql"


class _Unaccent(Func):
    function = "unaccent"
    output_field = CharField()


# ---------------------------------------------------------------------------------------
# posts


def _visible(viewer, audience: rules.Audience | None = None) -> QuerySet[Post]:
    audience = audience or rules.audience_for(viewer)
    qs = Post.objects.filter(author__is_active=True, author__deleted_at__isnull=True)
    return rules.visible_posts(audience, qs)


def _post_page(qs, *, viewer, audience, page, limit) -> ResultPage:
    """A page of ``qs`` loaded for display: ``posts_hydrate``'d posts in ``qs``'s order."""
    from social.selectors.posts import posts_load

    result = _page(qs, page=page, limit=limit)
    result.results = posts_load(viewer=viewer, ids=[p.pk for p in result.results], audience=audience)
    return result


def search_posts_qs(*, viewer, q: str, audience: rules.Audience | None = None) -> QuerySet[Post]:
    """Posts ``viewer`` may see that match ``q`` (already cleaned), best first."""
    qs = _visible(viewer, audience)
    if _postgres():
        # The query text goes in as a parameter; the SQL is our constant (the indexed expression).
        return qs.extra(  # noqa: S610
            select={"search_rank": FTS_RANK},
            select_params=[q],
            where=[FTS_WHERE],
            params=[q],
        ).order_by("-search_rank", "-created_at", "-id")
    words = fold(q).split()[:MAX_WORDS]
    if not words:
        return qs.none()
    for word in words:
        pattern = _accent_pattern(word)
        qs = qs.filter(Q(title__iregex=pattern) | Q(body__iregex=pattern))
    return qs.order_by("-created_at", "-id")


def search_posts(*, viewer, q, page=1, limit=PER_PAGE) -> ResultPage:
    """One page of :func:`search_posts_qs`, posts ready to show (``posts_hydrate``); ``q`` is
    validated (ValidationError on ``q``)."""
    q = search_query_clean(q)
    audience = rules.audience_for(viewer)
    qs = search_posts_qs(viewer=viewer, q=q, audience=audience)
    return _post_page(qs, viewer=viewer, audience=audience, page=page, limit=limit)


def tag_posts_qs(*, viewer, tag: str, audience: rules.Audience | None = None) -> QuerySet[Post]:
    """The posts with ``#tag`` that ``viewer`` may see, newest first."""
    tag = normalise_tag(str(tag or ""))
    if not tag:
        return Post.objects.none()
    ids = PostTag.objects.filter(tag=tag).values("post_id")
    return _visible(viewer, audience).filter(pk__in=ids).order_by("-created_at", "-id")


def tag_posts(*, viewer, tag: str, page=1, limit=PER_PAGE) -> ResultPage:
    """One page of the posts of ``#tag`` (``normalise_tag`` applied), ready to show."""
    audience = rules.audience_for(viewer)
    qs = tag_posts_qs(viewer=viewer, tag=tag, audience=audience)
    return _post_page(qs, viewer=viewer, audience=audience, page=page, limit=limit)


# ---------------------------------------------------------------------------------------
# tags


def search_tags_qs(q: str) -> QuerySet:
    """``{"tag", "count"}`` rows of the tags starting with ``q`` (accents ignored), most used
    first; counts only public, approved, undeleted posts."""
    prefix = normalise_tag(q)
    if not prefix:
        return PostTag.objects.none().values("tag")
    qs = PostTag.objects.filter(
        post__visibility=Visibility.PUBLIC,
        post__moderation_status=ModerationStatus.APPROVED,
        post__deleted_at__isnull=True,
    )
    folded = fold(prefix).replace(" ", "")
    if _postgres():
        qs = qs.annotate(tag_folded=_Unaccent(F("tag"))).filter(
            Q(tag__startswith=prefix) | Q(tag_folded__istartswith=folded)
        )
    else:
        qs = qs.filter(Q(tag__startswith=prefix) | Q(tag__iregex="^" + _accent_pattern(folded)))
    return qs.values("tag").annotate(count=Count("id")).order_by("-count", "tag")


def search_tags(q, *, page=1, limit=PER_PAGE) -> ResultPage:
    return _page(search_tags_qs(search_query_clean(q)), page=page, limit=limit)


# ---------------------------------------------------------------------------------------
# people


def search_people_qs(*, viewer, q: str) -> QuerySet:
    """People matching every word of ``q`` in their username, first or last name."""
    from accounts.models import User

    audience = rules.audience_for(viewer)
    qs = User.objects.filter(is_active=True, is_banned=False, deleted_at__isnull=True)
    if audience.blocked:
        qs = qs.exclude(pk__in=audience.blocked)
    words = fold(q).split()[:MAX_WORDS]
    if not words:
        return qs.none()
    handle = fold(q.lstrip("@")).replace(" ", "")
    if _postgres():
        qs = qs.annotate(
            f_username=_Unaccent(F("username")), f_first=_Unaccent(F("first_name")), f_last=_Unaccent(F("last_name"))
        )
        for word in words:
            qs = qs.filter(Q(f_username__icontains=word) | Q(f_first__icontains=word) | Q(f_last__icontains=word))
    else:
        for word in words:
            pattern = _accent_pattern(word)
            qs = qs.filter(Q(username__iregex=pattern) | Q(first_name__iregex=pattern) | Q(last_name__iregex=pattern))
    rank = Case(
        When(username=handle, then=Value(0)),
        When(username__startswith=handle, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return qs.select_related("profile").annotate(search_rank=rank).order_by("search_rank", "first_name", "last_name", "id")


def search_people(*, viewer, q, page=1, limit=PER_PAGE) -> ResultPage:
    return _page(search_people_qs(viewer=viewer, q=search_query_clean(q)), page=page, limit=limit)
