"""Dutch and English words for the word-inventing transformer, from Debian's word lists.

The lists are not shipped: ``scripts/install_words.sh`` installs Debian's ``wdutch`` (OpenTaal)
and ``wamerican`` (SCOWL), which put them in ``/usr/share/dict``. Sources and licences:
``data/README.md``. The clean-up keeps a word when it is

* all lower case (a capital marks a proper name or an abbreviation: "Amsterdam", "NATO"),
* 3 to 12 letters long,
* made only of the letters a-z and the diacritics Dutch spells with (é è ë ï ö ü: "ideeën",
  "café", "coördinatie", "reünie"); words with any other character (apostrophes as in "auto's"
  and "cat's", hyphens, digits, spaces, rarer accents such as "señor") are dropped, not changed,
  so that every word the model learns is a real word.

Words are NFC-normalised first (one code point per accented letter).
"""

from __future__ import annotations

import functools
import unicodedata
from pathlib import Path

ALPHABET = "abcdefghijklmnopqrstuvwxyzéèëïöü"
MIN_LENGTH, MAX_LENGTH = 3, 12
SOURCES = {
    "nl": Path("/usr/share/dict/dutch"),  # Debian package wdutch
    "en": Path("/usr/share/dict/american-english"),  # Debian package wamerican
}
LANGUAGES = tuple(SOURCES)
_LETTERS = frozenset(ALPHABET)


class WordListMissing(Exception):
    """A word list is not installed (run scripts/install_words.sh)."""


def word_clean(word: str) -> str | None:
    """The word as the model sees it, or None when the clean-up drops it (see the module docstring)."""
    word = unicodedata.normalize("NFC", word.strip())
    if not MIN_LENGTH <= len(word) <= MAX_LENGTH or word != word.lower():
        return None
    return word if set(word) <= _LETTERS else None


@functools.cache
def words_load(language: str) -> tuple[str, ...]:
    """The cleaned, sorted, distinct words of one language (read once per process)."""
    path = SOURCES[language]
    if not path.is_file():
        raise WordListMissing(f"{path} is missing; run scripts/install_words.sh")
    cleaned = (word_clean(line) for line in path.read_text(encoding="utf-8").splitlines())
    return tuple(sorted({w for w in cleaned if w}))


@functools.cache
def _word_set(language: str) -> frozenset[str]:
    return frozenset(words_load(language))


def is_word(language: str, word: str) -> bool | None:
    """Whether ``word`` is in the language's cleaned list; None when the list is not installed."""
    try:
        return word in _word_set(language)
    except WordListMissing:
        return None
