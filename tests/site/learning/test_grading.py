"""Auto-grading: pure functions, no database."""

import pytest

from learningpaths.compiler.render.questions import parse_question
from learningpaths.learning.grading import AnswerError, grade, normalise_answer


@pytest.mark.parametrize(
    "kind,options,raw,expected",
    [
        ("multiple_choice", ["a", "b", "c"], "1", [1]),
        ("multiple_choice", ["a", "b", "c"], ["2", 0], [0, 2]),
        ("true_false", [], 0, [0]),
        ("numerical", [], "3,5", 3.5),
        ("short_answer", [], "  ReLU ", "ReLU"),
    ],
)
def test_normalise_accepts_good_answers(kind, options, raw, expected):
    assert normalise_answer(kind, options, raw) == expected


@pytest.mark.parametrize(
    "kind,options,raw,message",
    [
        ("multiple_choice", ["a", "b"], "7", "Choose one of the options."),
        ("multiple_choice", ["a", "b"], "x", "Choose one of the options."),
        ("numerical", [], "abc", "Enter a number, for example 0.5."),
        ("numerical", [], "nan", "Enter a finite number."),
        ("essay", [], "x" * 6000, "Your answer is too long (at most 5000 characters)."),
        ("essay", [], "   ", "Type an answer first."),
        ("essay", [], {"a": 1}, "Type your answer as text."),
    ],
)
def test_normalise_rejects_bad_answers_with_a_message(kind, options, raw, message):
    with pytest.raises(AnswerError) as info:
        normalise_answer(kind, options, raw)
    assert str(info.value) == message


def test_grade_multiple_choice_and_numeric_and_text():
    assert grade("multiple_choice", {"correct": [1]}, [1]) == (True, 1.0)
    assert grade("multiple_choice", {"correct": [1]}, [0]) == (False, 0.0)
    assert grade("true_false", {"correct": True}, [0]) == (True, 1.0)
    assert grade("numerical", [{"value": 0.5, "tolerance": 0.1}], 0.58) == (True, 1.0)
    assert grade("numerical", [{"min": 1, "max": 2}], 2.5) == (False, 0.0)
    assert grade("short_answer", {"accepted": ["ReLU", "rectifier"]}, "relu") == (True, 1.0)
    assert grade("essay", None, "anything") == (None, None)


@pytest.mark.parametrize(
    "key,answer,expected",
    [
        ({"accepted": ["ReLU"]}, "relu", True),  # the default: case does not matter
        ({"accepted": ["ReLU"], "case_sensitive": False}, "RELU", True),
        ({"accepted": ["ReLU"], "case_sensitive": True}, "ReLU", True),
        ({"accepted": ["ReLU"], "case_sensitive": True}, " ReLU ", True),  # whitespace is not case
        ({"accepted": ["ReLU"], "case_sensitive": True}, "relu", False),
        ({"accepted": ["Straße"], "case_sensitive": True}, "STRASSE", False),
        ({"accepted": ["Straße"]}, "STRASSE", True),
    ],
)
def test_short_answers_honour_case_sensitive(key, answer, expected):
    assert grade("short_answer", key, answer) == (expected, 1.0 if expected else 0.0)


@pytest.mark.parametrize("case_sensitive,expected", [(True, False), (False, True)])
def test_case_sensitive_goes_from_the_question_block_to_the_grade(case_sensitive, expected):
    """The compiler carries the option into the key the grader reads."""
    spec, problems = parse_question(f"kind: short_text\nprompt: P\nanswer: NaCl\ncase_sensitive: {case_sensitive}\n", 1)
    assert problems == [] and spec is not None
    assert spec.key["case_sensitive"] is case_sensitive
    assert grade("short_answer", spec.key, "nacl") == (expected, 1.0 if expected else 0.0)
