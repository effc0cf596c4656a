"""The site search: the catalogue's search box and /search/ rank through here.

Every word of the query must occur (as a word or the start of one), in any order; results are ranked
by the database's own full-text engine, title over keywords over description and text: FTS5's bm25
on SQLite (tables and triggers in migration 0005), ``ts_rank`` with Dutch or English stemming by the
row's language on PostgreSQL. Students and visitors search ``text``; teachers ``teacher_text``, and
teacher-exclusive objects stay out for anyone else (``visible_to``). Snippets are cut and marked
here, in Python, so both databases show the same.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Case, F, TextField, Value, When
from django.db.models.functions import Cast
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from .models import LearningObject, LearningPath
from .querysets import can_see_teacher_content

MAX_TERMS = 8
PATHS_MAX = 1000  # more paths than a catalogue shows
ALL_LANGUAGES = "all"  # the ``language`` value that lifts the default filter
SNIPPET_CHARS = 180
WORD = re.compile(r"\w+")
# Relevance weights: title over keywords over description and text (bm25 on SQLite; on PostgreSQL
# the same order comes from the vector weights A, B, C).
WEIGHT_TITLE, WEIGHT_KEYWORDS, WEIGHT_DESCRIPTION, WEIGHT_TEXT = 10.0, 4.0, 2.0, 1.0
# PostgreSQL text-search configuration per content language; others are only split into words.
PG_CONFIGS = {"en": "english", "nl": "dutch"}


@dataclass
class Hit:
    obj: LearningObject
    title: SafeString  # escaped, the query's words in <mark>
    snippet: SafeString


def _fold(word: str) -> str:
    """Lower case without accents, as FTS5's ``unicode61 remove_diacritics`` indexes words."""
    return "".join(c for c in unicodedata.normalize("NFKD", word.casefold()) if not unicodedata.combining(c))


def query_terms(query: str) -> list[str]:
    """The query's words (lower case, deduplicated, at most ``MAX_TERMS``): nothing else reaches the
    engine, so no query syntax (quotes, operators) can be typed into it. Accents stay: each engine
    treats them as it treats the indexed text (FTS5 folds both, PostgreSQL keeps both)."""
    terms: list[str] = []
    for w in WORD.findall(query):
        f = w.casefold()
        if f not in terms:
            terms.append(f)
    return terms[:MAX_TERMS]


def search_language(param: str | None, available: list[str] | None = None) -> str:
    """The language a search is limited to ("" for all): ``param`` when given, ``all`` for every
    language, else the UI language (unless ``available`` is given and the UI language has nothing)."""
    param = (param or "").strip()
    if param == ALL_LANGUAGES:
        return ""
    if param:
        return param
    ui = (get_language() or "").split("-")[0]
    return ui if available is None or ui in available else ""


def _fts_ranks(table: str, terms: list[str], weights: tuple[float, ...], columns: tuple[str, ...]) -> dict[int, float]:
    """SQLite: rowid -> bm25 (lower is better) of the rows holding every term in ``columns``."""
    # Each term is a quoted FTS5 string (no syntax inside) with a prefix star: "neur" finds "neuron".
    phrases = " AND ".join(f'"{t}"*' for t in terms)  # \w+ words: no quote to escape
    match = f"{{{' '.join(columns)}}}: ({phrases})"
    sql = f"SELECT rowid, bm25({table}, {', '.join(map(str, weights))}) FROM {table} WHERE {table} MATCH %s"
    with connection.cursor() as cursor:
        cursor.execute(sql, [match])
        return dict(cursor.fetchall())


def _pg_config():
    return Case(
        *(When(language=code, then=Value(name)) for code, name in PG_CONFIGS.items()),
        default=Value("simple"),
        output_field=TextField(),
    )


def _pg_ranked(qs, terms: list[str], body: str | None):
    """PostgreSQL: ``qs`` limited to the rows holding every term, annotated with ``rank`` (higher is
    better); ``body`` is the text column searched besides title, keywords and description."""
    config = _pg_config()
    vector = (
        SearchVector("title", config=config, weight="A")
        + SearchVector(Cast("keywords", TextField()), config=config, weight="B")
        + SearchVector("description", *([body] if body else []), config=config, weight="C")
    )
    # Raw tsquery built from \w+ words only: "term:*" is a stemmed prefix match, "&" needs them all.
    query = SearchQuery(" & ".join(f"{t}:*" for t in terms), search_type="raw", config=config)
    return qs.annotate(search=vector).filter(search=query).annotate(rank=SearchRank(F("search"), query))


def _ranked(qs, *, table: str, terms: list[str], body: str | None, fields: tuple[str, ...], limit: int) -> list:
    """The first ``limit`` rows of ``qs`` that hold every term, best first (ties: title, language),
    with only ``fields`` loaded (a lesson's HTML variants are tens of kB each)."""
    if connection.vendor == "postgresql":
        ranked = _pg_ranked(qs, terms, body).order_by("-rank", "title", "language")
        return list(ranked.only(*fields)[:limit])
    if table == "paths_object_search":
        columns = ("title", "keywords", "description", body or "text")
        # A weight per FTS column (title, keywords, description, text, teacher_text); the column a
        # user may not search weighs nothing and is outside the match.
        weights = (
            WEIGHT_TITLE,
            WEIGHT_KEYWORDS,
            WEIGHT_DESCRIPTION,
            WEIGHT_TEXT if body == "text" else 0.0,
            WEIGHT_TEXT if body == "teacher_text" else 0.0,
        )
    else:
        columns = ("title", "keywords", "description")
        weights = (WEIGHT_TITLE, WEIGHT_KEYWORDS, WEIGHT_DESCRIPTION)
    ranks = _fts_ranks(table, terms, weights, columns)
    # Which matches the user may see (small columns only), then the best ``limit`` of them in full.
    keys = qs.filter(pk__in=list(ranks)).values_list("pk", "title", "language")
    top = [pk for pk, title, lang in sorted(keys, key=lambda k: (ranks[k[0]], k[1].casefold(), k[2]))][:limit]
    order = {pk: i for i, pk in enumerate(top)}
    return sorted(qs.filter(pk__in=top).only(*fields), key=lambda r: order[r.pk])


def object_search(*, user, query: str, language: str = "", limit: int = 50) -> list[Hit]:
    """Learning objects (latest visible versions) matching every word of ``query``, best first.

    ``language`` "" searches every language (``search_language`` turns a request's choice into this).
    A student's snippet comes from ``text``, so teacher-only words never show in a student's results.
    """
    terms = query_terms(query)
    if not terms:
        return []
    body = "teacher_text" if can_see_teacher_content(user) else "text"
    qs = LearningObject.objects.visible_to(user).latest_versions()
    if language:
        qs = qs.filter(language=language)
    fields = ("hruid", "language", "version", "title", "description", body)
    rows = _ranked(qs, table="paths_object_search", terms=terms, body=body, fields=fields, limit=limit)
    return [
        Hit(
            obj=o,
            title=highlight(o.title, terms),
            snippet=snippet(getattr(o, body), terms) or snippet(o.description, terms),
        )
        for o in rows
    ]


def path_ranking(*, user, query: str, language: str = "") -> list[int]:
    """Primary keys of the visible paths matching every word of ``query``, best first (the catalogue
    keeps its cards, memoised, and orders them by this)."""
    terms = query_terms(query)
    if not terms:
        return []
    qs = LearningPath.objects.visible_to(user)
    if language:
        qs = qs.filter(language=language)
    rows = _ranked(qs, table="paths_path_search", terms=terms, body=None, fields=("id",), limit=PATHS_MAX)
    return [p.pk for p in rows]


def _words(text: str, terms: list[str]) -> list[tuple[int, int, bool]]:
    """(start, end, matches) for each word of ``text``: it matches when it starts with a term (both
    folded: accents do not stop a highlight)."""
    folded = [_fold(t) for t in terms]
    return [(m.start(), m.end(), any(_fold(m.group()).startswith(t) for t in folded)) for m in WORD.finditer(text)]


def _marked(text: str, words: list[tuple[int, int, bool]], start: int, end: int) -> str:
    out, at = [], start
    for s, e, hit in words:
        if hit and start <= s and e <= end:
            out.append(html.escape(text[at:s]) + "<mark>" + html.escape(text[s:e]) + "</mark>")
            at = e
    out.append(html.escape(text[at:end]))
    return "".join(out)


def highlight(text: str, terms: list[str]) -> SafeString:
    """All of ``text``, escaped, with the words that match a term in <mark>."""
    # Safe: every piece of ``text`` went through html.escape; only our <mark> tags are added.
    return mark_safe(_marked(text, _words(text, terms), 0, len(text)))


def _first_hit(text: str, terms: list[str]) -> int:
    """Where the first word of ``text`` starting with a term begins (0 when none): a regex finds it
    without folding every word of a long text; accented words are folded only when it finds none."""
    alternatives = "|".join(re.escape(t) for t in terms)
    pattern = re.compile(rf"(?<!\w)(?:{alternatives})", re.IGNORECASE)
    m = pattern.search(text)
    if m:
        return m.start()
    return next((s for s, _e, hit in _words(text, terms) if hit), 0) if not text.isascii() else 0


def snippet(text: str, terms: list[str], size: int = SNIPPET_CHARS) -> SafeString:
    """About ``size`` characters of ``text`` around its first matching word, cut between words
    ("…" where cut), escaped, matches in <mark>; "" when ``text`` is empty."""
    text = " ".join(text.split())
    at = _first_hit(text, terms)
    # Only a window around the hit is split into words (a lesson's text is thousands of words).
    lo, hi = max(0, at - size), min(len(text), at + 2 * size)
    words = [(s + lo, e + lo, hit) for s, e, hit in _words(text[lo:hi], terms)]
    if lo > 0 and words and words[0][0] == lo:
        words = words[1:]  # a word the window cut: maybe not its start
    if hi < len(text) and words and words[-1][1] == hi:
        words = words[:-1]
    if not words:
        return mark_safe(html.escape(text[:size]))
    first = next((i for i, w in enumerate(words) if w[2]), 0)
    # Start a few words before the first match (a quarter of the room), on a word's first letter.
    i = first
    while i > 0 and words[first][0] - words[i - 1][0] <= size // 4:
        i -= 1
    start = words[i][0] if i > 0 or lo > 0 else 0
    # End after the last whole word that fits.
    end = words[first][1]
    for _s, e, _hit in words[first + 1 :]:
        if e - start > size:
            break
        end = e
    if end >= words[-1][1] and hi == len(text):
        end = len(text)
    body = _marked(text, words, start, end)
    # Safe: as in ``highlight``.
    return mark_safe(("… " if start > 0 else "") + body + (" …" if end < len(text) else ""))
