"""What a student is told after an answer: feedback, hint, solution, tries left, what to do next.

Pure functions over a question's key (shapes in ``learningpaths.compiler.render.forms``); no
database. Feedback texts and hints in the key are HTML the compiler sanitised; the solution is
built here from the key as plain text (the browser shows it with ``textContent``).

Policy (issue 16): the hint comes after a wrong try while tries are left; the solution after a
right answer, or after the last try (``solution: last``, the default), only after a right answer
(``correct``), or never (``never``). A question is *settled* when the answer is right, the tries
are used up, or it has no key to grade against (an open question).
"""

from __future__ import annotations

import math
from typing import Any

from django.utils.translation import gettext as _

from .grading import attempts_allowed, numeric_hit, text_fold


def _number(value: Any) -> str:
    return f"{float(value):g}"


def solution_text(kind: str, key: Any, options: list) -> str:
    """The right answer as a person reads it ("" when there is none)."""
    if not isinstance(key, dict):
        return ""
    if kind in ("multiple_choice", "true_false"):
        picks = key.get("correct") or []
        return ", ".join(str(options[i]) for i in picks if isinstance(i, int) and 0 <= i < len(options))
    if kind in ("short_answer", "short_text"):
        accepted = key.get("accepted") or []
        return _(" or ").join(str(a) for a in accepted) if isinstance(accepted, list) else str(accepted)
    if kind in ("numerical", "numeric"):
        if "min" in key and "max" in key:
            return _("%(low)s to %(high)s") % {"low": _number(key["min"]), "high": _number(key["max"])}
        if "value" in key:
            tolerance = float(key.get("tolerance") or 0)
            return _number(key["value"]) + (f" ± {_number(tolerance)}" if tolerance else "")
        return ""
    if kind == "matching":
        choices, answers = key.get("choices") or [], key.get("answers") or []
        pairs = [
            f"{left} → {choices[j]}"
            for left, j in zip(options, answers, strict=False)
            if isinstance(j, int) and 0 <= j < len(choices)
        ]
        return "; ".join(pairs)
    return ""


def feedback_for(kind: str, key: Any, answer: Any) -> str:
    """The chosen answer's own feedback, else the question's (HTML from the compiler; "" if none)."""
    own = own_feedback(kind, key, answer)
    if own or not isinstance(key, dict):
        return own
    feedback = key.get("feedback")
    return feedback if isinstance(feedback, str) else ""


def own_feedback(kind: str, key: Any, answer: Any) -> str:
    """The feedback written for the chosen option(s) or the given answer ("" if none).

    Safe for any stored ``answer`` (readers show old and hostile rows too): an answer of the wrong
    shape for its kind has no own feedback."""
    if not isinstance(key, dict):
        return ""
    own: list = []
    if kind in ("multiple_choice", "true_false") and isinstance(key.get("option_feedback"), list):
        per_option = key["option_feedback"]
        picks = answer if isinstance(answer, list) else []
        own = [
            per_option[i]
            for i in picks
            if isinstance(i, int) and not isinstance(i, bool) and 0 <= i < len(per_option) and per_option[i]
        ]
    elif kind in ("short_answer", "short_text") and isinstance(key.get("answer_feedback"), dict):
        if isinstance(answer, str):
            fold = text_fold(key)
            own = [text for given, text in key["answer_feedback"].items() if fold(given) == fold(answer) and text]
    elif kind in ("numerical", "numeric") and isinstance(key.get("answers"), list):
        if _finite(answer):
            hit = next((a for a in key["answers"] if isinstance(a, dict) and _hit(a, answer)), None)
            own = [hit["feedback"]] if hit and hit.get("feedback") else []
    return "\n".join(str(text) for text in own)


def _finite(value: Any) -> bool:
    """A number a comparison can use (not a bool, NaN, infinity, or an int too large for a float)."""
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:
        return False


def _hit(spec: dict, answer: float) -> bool:
    try:
        return numeric_hit(spec, answer)
    except (TypeError, ValueError):  # a key written by hand or by an old compiler
        return False


def outcome(*, kind: str, key: Any, options: list, answer: Any, correct: bool | None, score: float | None, tries: int):
    """The answer route's extra fields for an answer that was the ``tries``-th one (counting it).

    As Moodle does: an option's own feedback after every try, the question's feedback (which
    usually explains the answer) only once the question is settled, so a retry still makes the
    student think; the hint is for wrong tries that have a try left."""
    allowed = attempts_allowed(key)
    left = None if allowed is None else max(allowed - tries, 0)
    settled = correct is None or correct is True or left == 0
    policy = key.get("solution", "last") if isinstance(key, dict) else "never"
    show_solution = correct is True if policy == "correct" else (correct is True or left == 0) and policy == "last"
    feedback = feedback_for(kind, key, answer) if settled else own_feedback(kind, key, answer)
    hint = key.get("hint", "") if isinstance(key, dict) and correct is False and left != 0 else ""
    if correct is True:
        message = _("Correct!")
    elif correct is None:
        message = _("Your answer was saved. Your teacher will look at it.")
    elif left == 0:
        message = (
            _("That was your last try. Look at the right answer below, then continue.")
            if show_solution
            else _("That was your last try. Continue with the next step.")
        )
    elif hint:  # the result itself ("Not yet", "Partly right") is the page's label next to this
        message = _("Read the hint, then try again.")
    else:
        message = _("Read the feedback, then try again.") if feedback else _("Try again.")
    return {
        "message": message,
        "feedback": feedback,
        "hint": hint,
        "solution": solution_text(kind, key, options) if show_solution else "",
        "attempts_left": left,
        "settled": settled,
    }


def outcome_of(question, submission, *, tries: int) -> dict:
    """``outcome`` for a stored ``submission`` of ``question`` (a ``paths.Question``), its ``tries``-th."""
    return outcome(
        kind=question.kind,
        key=question.key,
        options=question.options,
        answer=submission.answer,
        correct=submission.correct,
        score=submission.score,
        tries=tries,
    )
