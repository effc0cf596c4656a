"""What a student is told after an answer: partial credit, feedback, hint, solution policy (pure)."""

import pytest

from learningpaths.learning.feedback import feedback_for, outcome, solution_text
from learningpaths.learning.grading import attempts_allowed, grade

MC = {
    "correct": [1],
    "multiple": False,
    "feedback": "<p>Since 1830.</p>",
    "option_feedback": ["<p>A port.</p>", "", "<p>A university town.</p>"],
    "hint": "<p>The EU.</p>",
    "attempts": 2,
}
OPTIONS = ["Antwerp", "Brussels", "Ghent"]


@pytest.mark.parametrize(
    "kind,key,answer,expected",
    [
        # GIFT {=a ~%50%b ~c}: a single choice with a half-right option
        ("multiple_choice", {"correct": [0], "weights": [100.0, 50.0, 0.0]}, [1], (False, 0.5)),
        ("multiple_choice", {"correct": [0], "weights": [100.0, 50.0, 0.0]}, [0], (True, 1.0)),
        # several answers: the chosen weights add up, negative ones take away, never below 0
        ("multiple_choice", {"correct": [0, 2], "multiple": True, "weights": [50.0, -100.0, 50.0]}, [0], (False, 0.5)),
        (
            "multiple_choice",
            {"correct": [0, 2], "multiple": True, "weights": [50.0, -100.0, 50.0]},
            [0, 1],
            (False, 0.0),
        ),
        (
            "short_answer",
            {"accepted": ["Ada"], "partial": [{"text": "Lovelace", "weight": 50.0}]},
            "lovelace",
            (False, 0.5),
        ),
        ("short_answer", {"accepted": ["Ada"], "partial": [{"text": "Lovelace", "weight": 50.0}]}, "ada", (True, 1.0)),
        # GIFT {#=1815:0 =%50%1817:2}: a near miss earns half
        (
            "numerical",
            {
                "value": 1815.0,
                "tolerance": 0.0,
                "answers": [
                    {"weight": 100.0, "value": 1815.0, "tolerance": 0.0},
                    {"weight": 50.0, "value": 1817.0, "tolerance": 2.0},
                ],
            },
            1818.0,
            (False, 0.5),
        ),
        (
            "numerical",
            {"value": 3.14, "tolerance": 0.01, "answers": [{"value": 3.14, "tolerance": 0.01, "weight": 100.0}]},
            3.145,
            (True, 1.0),
        ),
    ],
)
def test_partial_credit(kind, key, answer, expected):
    assert grade(kind, key, answer) == expected


def test_attempts_allowed():
    assert attempts_allowed(MC) == 2
    assert attempts_allowed({"correct": [1]}) is None
    assert attempts_allowed(None) is None
    assert attempts_allowed({"attempts": "2"}) is None


def test_the_chosen_options_feedback_else_the_questions():
    assert feedback_for("multiple_choice", MC, [0]) == "<p>A port.</p>"
    assert feedback_for("multiple_choice", MC, [1]) == "<p>Since 1830.</p>"
    short = {"accepted": ["Ada"], "answer_feedback": {"Lovelace": "<p>Her first name?</p>"}}
    assert feedback_for("short_answer", short, "LOVELACE") == "<p>Her first name?</p>"
    num = {
        "answers": [
            {"value": 2.0, "tolerance": 0.0, "weight": 100.0},
            {"value": 3.0, "tolerance": 0.0, "weight": 0.0, "feedback": "<p>Off by one.</p>"},
        ]
    }
    assert feedback_for("numerical", num, 3.0) == "<p>Off by one.</p>"


@pytest.mark.parametrize(
    "kind,key,options,expected",
    [
        ("multiple_choice", {"correct": [0, 2]}, ["a", "b", "c"], "a, c"),
        ("true_false", {"correct": [1]}, ["True", "False"], "False"),
        ("short_answer", {"accepted": ["Brussels", "Brussel"]}, [], "Brussels or Brussel"),
        ("numerical", {"value": 3.14, "tolerance": 0.01}, [], "3.14 ± 0.01"),
        ("numerical", {"min": 1.0, "max": 5.0}, [], "1 to 5"),
        (
            "matching",
            {"choices": ["Brussels", "Paris"], "answers": [1, 0]},
            ["France", "Belgium"],
            "France → Paris; Belgium → Brussels",
        ),
        ("essay", {"feedback": ""}, [], ""),
    ],
)
def test_solution_as_text(kind, key, options, expected):
    assert solution_text(kind, key, options) == expected


def test_wrong_first_try_gets_the_hint_and_no_solution():
    said = outcome(kind="multiple_choice", key=MC, options=OPTIONS, answer=[0], correct=False, score=0.0, tries=1)
    assert said == {
        "message": "Read the hint, then try again.",
        "feedback": "<p>A port.</p>",
        "hint": "<p>The EU.</p>",
        "solution": "",
        "attempts_left": 1,
        "settled": False,
    }


def test_last_wrong_try_settles_and_shows_the_solution_by_default():
    said = outcome(kind="multiple_choice", key=MC, options=OPTIONS, answer=[2], correct=False, score=0.0, tries=2)
    assert (said["attempts_left"], said["settled"], said["solution"], said["hint"]) == (0, True, "Brussels", "")
    assert said["message"] == "That was your last try. Look at the right answer below, then continue."


@pytest.mark.parametrize(
    "policy,correct,tries,shown",
    [
        ("last", True, 1, True),
        ("last", False, 1, False),
        ("last", False, 2, True),
        ("correct", False, 2, False),
        ("correct", True, 2, True),
        ("never", True, 1, False),
        ("never", False, 2, False),
    ],
)
def test_solution_policy(policy, correct, tries, shown):
    key = {**MC, "solution": policy}
    said = outcome(
        kind="multiple_choice",
        key=key,
        options=OPTIONS,
        answer=[1] if correct else [0],
        correct=correct,
        score=1.0 if correct else 0.0,
        tries=tries,
    )
    assert (said["solution"] == "Brussels") is shown


def test_unlimited_tries_and_open_answers():
    said = outcome(kind="numerical", key={"value": 1.0}, options=[], answer=2.0, correct=False, score=0.0, tries=9)
    assert (said["attempts_left"], said["settled"], said["message"]) == (
        None,
        False,
        "Try again.",
    )
    said = outcome(kind="essay", key=None, options=[], answer="text", correct=None, score=None, tries=1)
    assert said["settled"] is True and said["solution"] == "" and said["message"].startswith("Your answer was saved")


def test_the_questions_feedback_waits_until_the_question_is_settled():
    # It usually explains the answer: shown on a wrong try with tries left, a retry would be pointless.
    explained = {"value": 2.5, "tolerance": 0.01, "feedback": "<p>1 - 1 + 1.5 + 1 = 2.5</p>"}
    wrong = outcome(kind="numerical", key=explained, options=[], answer=3.0, correct=False, score=0.0, tries=1)
    assert (wrong["feedback"], wrong["message"]) == ("", "Try again.")
    right = outcome(kind="numerical", key=explained, options=[], answer=2.5, correct=True, score=1.0, tries=2)
    assert right["feedback"] == "<p>1 - 1 + 1.5 + 1 = 2.5</p>"
    last = outcome(
        kind="numerical", key={**explained, "attempts": 1}, options=[], answer=3.0, correct=False, score=0.0, tries=1
    )
    assert last["feedback"] == "<p>1 - 1 + 1.5 + 1 = 2.5</p>"
    # An option's own feedback is about that option: it shows at every try.
    own = outcome(kind="multiple_choice", key=MC, options=OPTIONS, answer=[2], correct=False, score=0.0, tries=1)
    assert own["feedback"] == "<p>A university town.</p>"
