"""Retrieval for grounding: Spanish-normalised tokens and BM25 over the knowledge passages.

The index is built in process memory from :class:`KnowledgePassage` rows and tagged with a
version number kept in the shared cache; any change to the passages bumps the version, so
every server process rebuilds its copy on its next query (no replica keeps state another one
needs). Scoring walks postings lists only for the query's terms, so a query over a few
thousand passages takes a few milliseconds.
"""

from __future__ import annotations

import math
import re
import threading
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.core.cache import cache

from nutrition.text import normalize

VERSION_KEY = "assistant:kb:version"
K1 = 1.5
B = 0.75
TITLE_WEIGHT = 2  # title tokens count this many times: a title that matches is a strong signal

# Simple Spanish stopwords plus the commonest English ones (questions come in both).
STOPWORDS = frozenset(
    """
    a al algo algun alguna algunas alguno algunos ante antes aqui asi aun bien cada como con contra cual cuales
    cuando de del desde donde dos e el ella ellas ello ellos en entre era eran es esa esas ese eso esos esta estas
    este esto estos estoy fue fueron ha han hasta hay la las le les lo los mas me mi mis mucho muy nada ni no nos
    nosotros o os otra otras otro otros para pero poco por porque puede pueden que quien se sea sean ser si sin
    sobre son su sus tambien te tengo tiene tienen toda todas todo todos tu tus u un una unas uno unos usted y ya yo
    cuanto cuanta cuantos cuantas debo puedo hacer hace
    the an and or of to in on for with is are be do does what which how can i my me you your it its this that
    these those about from at by as was were should would could
    """.split()
)

_SUFFIXES = ("amientos", "imientos", "amiento", "imiento", "aciones", "uciones", "mente", "acion", "ucion",
             "ciones", "cion", "ces", "es", "s")


def stem(token: str) -> str:
    """Light Spanish stemming: plurals and a few derivational endings, then a final vowel.

    ``"proteínas"`` and ``"proteína"`` -> ``"protein"``; ``"verduras"`` -> ``"verdur"``. Words
    of four letters or fewer are left alone (so "sal" and "pan" stay themselves)."""
    if len(token) <= 4 or token.isdigit():
        return token
    for suffix in _SUFFIXES:
        if token.endswith(suffix) and len(token) - len(suffix) >= 4:
            token = token[: -len(suffix)] + ("z" if suffix == "ces" else "")
            break
    if len(token) > 4 and token[-1] in "aeo":
        token = token[:-1]
    return token


_TOKEN = re.compile(r"[a-z0-9]+")


def tokens(text: str) -> list[str]:
    """Lowercase, accent-free, stopword-free, stemmed tokens of ``text``."""
    return [stem(t) for t in _TOKEN.findall(normalize(text)) if t not in STOPWORDS and len(t) > 1]


def passage_terms(title: str, text: str) -> str:
    """The tokens stored on a passage: the title's (weighted) and the text's."""
    title_tokens = tokens(title)
    return " ".join(title_tokens * TITLE_WEIGHT + tokens(text))


# ---------------------------------------------------------------------------------------
# the index


@dataclass(frozen=True)
class Hit:
    passage_id: int
    score: float


class Bm25Index:
    """Postings lists over the passages' stored terms."""

    def __init__(self, rows):
        # rows: iterable of (passage_id, language, terms)
        self.ids: list[int] = []
        self.languages: list[str] = []
        self.lengths: list[int] = []
        self.postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for pid, language, terms in rows:
            words = terms.split()
            doc = len(self.ids)
            self.ids.append(pid)
            self.languages.append(language)
            self.lengths.append(len(words))
            for term, tf in Counter(words).items():
                self.postings[term].append((doc, tf))
        self.n = len(self.ids)
        self.avgdl = (sum(self.lengths) / self.n) if self.n else 0.0
        self.idf = {
            term: math.log(1 + (self.n - len(plist) + 0.5) / (len(plist) + 0.5)) for term, plist in self.postings.items()
        }

    def search(self, query_tokens: list[str], *, limit: int = 5, language: str | None = None) -> list[Hit]:
        scores: dict[int, float] = defaultdict(float)
        for term in set(query_tokens):
            plist = self.postings.get(term)
            if not plist:
                continue
            idf = self.idf[term]
            for doc, tf in plist:
                if language and self.languages[doc] != language:
                    continue
                norm = K1 * (1 - B + B * self.lengths[doc] / (self.avgdl or 1))
                scores[doc] += idf * tf * (K1 + 1) / (tf + norm)
        best = sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:limit]
        return [Hit(self.ids[doc], round(score, 4)) for doc, score in best]


_lock = threading.Lock()
_cached: dict = {"version": None, "index": None}


def index_version() -> str:
    # A random token, not a counter: after the cache is flushed a counter would restart at a
    # number some process already built an index for, and that stale index would be reused.
    return cache.get_or_set(VERSION_KEY, lambda: uuid.uuid4().hex, None)


def index_bump() -> None:
    """Mark every process's in-memory index stale (called after any passage change)."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


def current_index() -> Bm25Index:
    """This process's index for the current version, built on first use."""
    from assistant.models import KnowledgePassage

    version = index_version()
    if _cached["version"] == version and _cached["index"] is not None:
        return _cached["index"]
    with _lock:
        if _cached["version"] != version or _cached["index"] is None:
            rows = KnowledgePassage.objects.values_list("pk", "language", "terms").iterator(chunk_size=2000)
            _cached["index"] = Bm25Index(rows)
            _cached["version"] = version
    return _cached["index"]


def passages_search(query: str, *, language: str = "es", limit: int = 5, min_score: float = 0.1):
    """The passages that best answer ``query``, best first, as ``KnowledgePassage`` objects
    with a ``score`` attribute. Passages in the person's language come first; the other
    language is searched only when nothing matches in theirs."""
    from assistant.models import KnowledgePassage

    query_tokens = tokens(query)
    if not query_tokens:
        return []
    index = current_index()
    hits = [h for h in index.search(query_tokens, limit=limit, language=language) if h.score >= min_score]
    if not hits:
        hits = [h for h in index.search(query_tokens, limit=limit) if h.score >= min_score]
    if not hits:
        return []
    found = KnowledgePassage.objects.in_bulk([h.passage_id for h in hits])
    out = []
    for hit in hits:
        passage = found.get(hit.passage_id)
        if passage is not None:  # deleted since this process built its index
            passage.score = hit.score
            out.append(passage)
    return out
