"""Answers, keys and feedback as text (``classroom.answer_text``): every question kind, worst values."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.utils import translation

from learningpaths.classroom.answer_text import answer_text, feedback_text, key_text


def q(kind, options=(), key=None, qid="q1"):
    return SimpleNamespace(kind=kind, options=list(options), key=key, qid=qid)


MC = q("multiple_choice", ["red", "green", "blue"], {"correct": [1, 2], "option_feedback": ["no", "", "yes"]})
TF = q(
    "true_false", ["true", "false"], {"correct": [0], "option_feedback": ["<p>Yes</p>", "<p>Look <em>again</em></p>"]}
)
NUM = q("numerical", key={"value": 3.14, "tolerance": 0.01, "answers": [{"value": 3.14, "tolerance": 0.01}]})
RANGE = q("numerical", key={"min": 1, "max": 5, "answers": [{"min": 1, "max": 5, "weight": 100}]})
SHORT = q(
    "short_answer", key={"accepted": ["Brussels", "Brussel"], "answer_feedback": {"Brussels": "Capital since 1830"}}
)
MATCH = q(
    "matching",
    ["cat", "dog"],
    {"pairs": {"q1-0": "1", "q1-1": "0"}, "choices": ["barks", "meows"], "answers": [1, 0]},
)
ESSAY = q("essay", key={"feedback": "Thanks for writing"})


def test_choices_show_option_labels():
    assert answer_text(MC, [0, 2]) == "red, blue"
    assert key_text(MC) == "green, blue"
    assert answer_text(TF, [1]) == "false" and key_text(TF) == "true"


def test_numbers_follow_the_page_language():
    with translation.override("nl"):
        assert answer_text(NUM, 3.5) == "3,5"
        assert key_text(NUM) == "3,14 ± 0,01"
        assert key_text(RANGE) == "1 \u2013 5"
    with translation.override("en"):
        assert answer_text(NUM, 3.5) == "3.5"
        assert key_text(NUM) == "3.14 ± 0.01"


def test_matching_as_pairs_and_text_and_essay():
    assert answer_text(MATCH, {"q1-0": "1", "q1-1": ""}) == "cat → meows\ndog → —"
    assert key_text(MATCH) == "cat → meows\ndog → barks"
    assert key_text(SHORT) == "Brussels or Brussel"
    assert answer_text(ESSAY, "line one\nline two") == "line one\nline two"
    assert key_text(ESSAY) == "open question"
    assert "{" not in key_text(ESSAY) and "{" not in key_text(SHORT)


def test_feedback_shown():
    assert feedback_text(MC, [0, 2], False) == "no\nyes"
    assert feedback_text(TF, [1], False) == "Look again"
    assert feedback_text(TF, [0], True) == "Yes"
    assert feedback_text(SHORT, " BRUSSELS ", True) == "Capital since 1830"
    assert feedback_text(ESSAY, "anything", None) == "Thanks for writing"
    # The compiler's HTML as text, one paragraph per line; the question's feedback when no option has its own.
    gift = q(
        "multiple_choice", ["a", "b"], {"correct": [0], "option_feedback": ["", "<p>Not b</p><p>&lt;b&gt; is 2</p>"]}
    )
    assert feedback_text(gift, [1], False) == "Not b\n<b> is 2"
    general = q("multiple_choice", ["a", "b"], {"correct": [0], "option_feedback": ["", ""], "feedback": "<p>G</p>"})
    assert feedback_text(general, [1], False) == "G"


def deep(n):
    value: object = 1
    for _ in range(n):
        value = [value]
    return value


WORST = [
    deep(900),
    {"\udfff": [1] * 50_000},
    "a\x00b\ud800",
    "x" * 200_000,
    10**4000,
    [10**4000, -1, True, None, "zz", 99],
    {"q1-0": deep(500), "q1-9": "x"},
    1e308,
    float("nan"),
    None,
]


@pytest.mark.parametrize("question", [MC, TF, NUM, RANGE, SHORT, MATCH, ESSAY, None], ids=repr)
@pytest.mark.parametrize("value", WORST, ids=range(len(WORST)))
def test_any_stored_value_renders_bounded_and_encodable(question, value):
    for text in (answer_text(question, value), feedback_text(question, value, False)):
        assert len(text) <= 5000
        text.encode("utf-8")  # no lone surrogate, so a page or CSV can carry it
        assert "\x00" not in text


@pytest.mark.parametrize("key", [None, [], "x", {"correct": "zz"}, {"answers": [None, {"value": "x"}]}, 10**4000])
@pytest.mark.parametrize("kind", ["multiple_choice", "true_false", "numerical", "short_answer", "matching", "essay"])
def test_any_stored_key_renders(kind, key):
    text = key_text(q(kind, ["a", "b"], key))
    assert len(text) <= 5000
    text.encode("utf-8")


def test_feedback_shown_follows_what_the_student_saw_at_that_try():
    explained = q("numerical", key={"value": 2.5, "tolerance": 0.0, "attempts": 2, "feedback": "<p>It is 2.5</p>"})
    assert feedback_text(explained, 3.0, False, tries=1) == ""  # a try left: the explanation waited
    assert feedback_text(explained, 3.0, False, tries=2) == "It is 2.5"  # the last try
    assert feedback_text(explained, 2.5, True, tries=1) == "It is 2.5"
    assert feedback_text(MC, [0], False, tries=1) == "no"  # an option's own feedback shows at once
