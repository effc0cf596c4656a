"""Dwengo's two search rules, as plain functions over strings.

``searchTerm`` (``/api/learningObject/search``) is MongoDB's ``$text`` search as Dwengo's text
index has it (``default_language: "none"``: no stemming, no stop words; version-3 indexes fold case
and diacritics): the text is split into words at white space and punctuation, and a document matches
when it holds ANY of the words, as a whole word. A ``"quoted phrase"`` must occur (every phrase, as
text), and a ``-word`` keeps out the documents that hold it. Dwengo returned the matches unordered;
we rank them: more of the words first, then more of them in the title.

``all`` (``/api/learningPath/search``) is Dwengo's ``new RegExp(".*" + all + ".*", "i")``: the whole
value, as one piece of text, occurs case-insensitively in one of the fields. The value is matched as
literal text: we do not run a client's regular expression (one pattern can take the server minutes).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_WORD = re.compile(r"[^\W_]+")  # MongoDB's delimiters: white space, punctuation and '_'
_PHRASE = re.compile(r'"([^"]*)"')


def fold(text: str) -> str:
    """Case and diacritics folded away, as in a MongoDB version-3 text index (``é`` = ``e``)."""
    decomposed = unicodedata.normalize("NFKD", str(text).casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> set[str]:
    return set(_WORD.findall(fold(text)))


@dataclass(frozen=True)
class TextQuery:
    terms: tuple[str, ...]  # any of them must occur (whole words)
    phrases: tuple[str, ...]  # each must occur as text
    negated: frozenset[str]  # none of them may occur

    @classmethod
    def parse(cls, search: str) -> TextQuery:
        phrases = tuple(fold(p).strip() for p in _PHRASE.findall(search) if p.strip())
        rest = _PHRASE.sub(" ", search)
        terms, negated = [], set()
        for raw in rest.split():
            target = negated if raw.startswith("-") else None
            for word in _WORD.findall(fold(raw)):
                if target is not None:
                    target.add(word)
                    target = None  # only the first word after '-' is negated, as in MongoDB
                elif word not in terms:
                    terms.append(word)
        # Words of the phrases count as terms too (MongoDB scores them so).
        for phrase in phrases:
            terms.extend(w for w in _WORD.findall(phrase) if w not in terms)
        return cls(tuple(terms), phrases, frozenset(negated))

    def score(self, title: str, others: list[str]) -> tuple[int, int] | None:
        """(words matched, of them in the title) for a document, or None when it does not match."""
        if not self.terms:
            return None  # MongoDB matches nothing without a positive word
        title_words = words(title)
        all_words = title_words.union(*(words(t) for t in others))
        if self.negated & all_words:
            return None
        if self.phrases:
            texts = [fold(title), *(fold(t) for t in others)]
            if not all(any(p in t for t in texts) for p in self.phrases):
                return None
        matched = [t for t in self.terms if t in all_words]
        if not matched:
            return None
        return len(matched), sum(1 for t in matched if t in title_words)


def pattern_match(value: str, fields: list[str]) -> bool:
    """Dwengo's ``all``: ``value`` occurs, case-insensitively and as one text, in one of ``fields``."""
    needle = value.casefold()
    return any(needle in str(f).casefold() for f in fields)
