"""The word lists' clean-up (demos/words.py) and the installed lists it reads."""

from __future__ import annotations

import unicodedata

import pytest

from learningpaths.demos import words


@pytest.mark.parametrize(
    "raw,cleaned",
    [
        ("fiets", "fiets"),
        ("ideeën", "ideeën"),
        (unicodedata.normalize("NFD", "reünie"), "reünie"),  # one code point per letter
        ("café\n", "café"),
        ("Amsterdam", None),  # a proper name
        ("NAVO", None),
        ("auto's", None),
        ("cat's", None),
        ("e-mail", None),
        ("señor", None),  # a letter outside the alphabet
        ("ab", None),  # too short
        ("a" * 13, None),  # too long
        ("a" * 12, "a" * 12),
        ("pc2", None),
    ],
)
def test_clean_up(raw, cleaned):
    assert words.word_clean(raw) == cleaned


def test_the_installed_lists_are_cleaned():
    for language in words.LANGUAGES:
        loaded = words.words_load(language)  # scripts/install_words.sh installs the lists
        assert len(loaded) > 20_000
        assert list(loaded) == sorted(set(loaded))
        assert all(words.word_clean(w) == w for w in loaded)
    assert words.is_word("nl", "fiets") and words.is_word("en", "bicycle")
    assert not words.is_word("nl", "bicycle") and not words.is_word("en", "Paris")


def test_a_missing_list_says_how_to_install_it(monkeypatch, tmp_path):
    monkeypatch.setitem(words.SOURCES, "xx", tmp_path / "none")
    with pytest.raises(words.WordListMissing, match=r"install_words\.sh"):
        words.words_load("xx")
    assert words.is_word("xx", "word") is None
