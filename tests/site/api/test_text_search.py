"""text_search: Dwengo's $text words and its ``all`` pattern, without a database."""

from learningpaths.api.text_search import TextQuery, fold, pattern_match


def test_fold_drops_case_and_diacritics():
    assert fold("Éénhoorn Straße") == "eenhoorn strasse"


def test_words_split_at_punctuation_and_underscore():
    q = TextQuery.parse("computers-en-systemen snake_case")
    assert q.terms == ("computers", "en", "systemen", "snake", "case")


def test_any_word_matches_and_the_score_counts_words_and_title_words():
    q = TextQuery.parse("neural network zebra")
    assert q.score("Neural networks", ["a network of neurons"]) == (2, 1)
    assert q.score("Other", ["no match here"]) is None


def test_phrases_and_negation():
    q = TextQuery.parse('"deep learning" -vision')
    assert q.score("Deep learning", []) == (2, 2)
    assert q.score("Deep learning", ["computer vision"]) is None
    assert q.score("Learning deep", []) is None
    assert TextQuery.parse("-vision").score("anything", []) is None


def test_pattern_match_is_literal_case_insensitive_text():
    assert pattern_match("P LEAR", ["Deep learning"])
    assert not pattern_match("learning deep", ["Deep learning"])
    assert not pattern_match("(a+)+$", ["aaaa"]) and pattern_match("(a+)", ["x (A+) y"])
