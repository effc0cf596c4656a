"""Auto-grading of answers against a question's key. Pure functions, no database.

Keys come from the compiler (``learningpaths.compiler.result.Question.key``); their shape depends
on the question kind. Unknown shapes grade as None (a teacher looks at them).
"""

from __future__ import annotations

from typing import Any


class AnswerError(ValueError):
    """The answer does not fit the question (wrong type, out of range, too long)."""


MAX_TEXT = 5000


def attempts_allowed(key: Any) -> int | None:
    """The tries an author allows (``attempts:`` in the key), or None for unlimited."""
    return key.get("attempts") if isinstance(key, dict) and isinstance(key.get("attempts"), int) else None


def normalise_answer(kind: str, options: list, raw: Any) -> Any:
    """Turn what a form or API sent into the stored answer, or raise AnswerError."""
    if kind in ("multiple_choice", "true_false"):
        values = raw if isinstance(raw, list) else [raw]
        try:
            indices = sorted({int(v) for v in values})
        except (TypeError, ValueError):
            raise AnswerError("Choose one of the options.") from None
        n = len(options) if kind == "multiple_choice" else 2
        if not indices or any(i < 0 or i >= n for i in indices):
            raise AnswerError("Choose one of the options.")
        return indices
    if kind in ("numerical", "numeric"):
        try:
            value = float(str(raw).replace(",", ".").strip())
        except (TypeError, ValueError):
            raise AnswerError("Enter a number, for example 0.5.") from None
        if value != value or value in (float("inf"), float("-inf")):
            raise AnswerError("Enter a finite number.")
        return value
    if kind == "matching":
        if not isinstance(raw, (list, dict)):
            raise AnswerError("Match every item.")
        return raw
    text = "" if raw is None else str(raw)
    if isinstance(raw, (list, dict)):
        raise AnswerError("Type your answer as text.")
    if len(text) > MAX_TEXT:
        raise AnswerError(f"Your answer is too long (at most {MAX_TEXT} characters).")
    if not text.strip():
        raise AnswerError("Type an answer first.")
    return text.strip()


def _credit(weight: Any) -> float:
    """A GIFT weight in percent as a score in 0..1 (negative weights count as 0 in the end)."""
    try:
        return min(max(float(weight) / 100.0, 0.0), 1.0)
    except (TypeError, ValueError):
        return 0.0


def numeric_hit(spec: Any, answer: float) -> bool:
    if isinstance(spec, dict):
        if "min" in spec and "max" in spec:
            return spec["min"] <= answer <= spec["max"]
        if "value" in spec:
            return abs(answer - float(spec["value"])) <= float(spec.get("tolerance", 0) or 0)
        return False
    return isinstance(spec, (int, float)) and abs(answer - spec) <= 1e-9


def grade(kind: str, key: Any, answer: Any) -> tuple[bool | None, float | None]:
    """(correct, score in 0..1), or (None, None) when there is nothing to grade against.

    Partial credit comes from GIFT weights: a multiple-choice option's ``weights`` (several
    answers: the sum of the chosen ones), a short answer's ``partial`` texts, a numerical
    answer's ``answers[i].weight``. Only full credit is ``correct``.
    """
    if key is None:
        return None, None
    if kind in ("multiple_choice", "true_false"):
        correct = key.get("correct") if isinstance(key, dict) else key
        if isinstance(correct, bool):  # true/false stored as a bool: option 0 = true
            correct = [0 if correct else 1]
        if isinstance(correct, int):
            correct = [correct]
        if not isinstance(correct, list):
            return None, None
        ok = sorted(int(c) for c in correct) == list(answer)
        weights = key.get("weights") if isinstance(key, dict) else None
        if ok or not isinstance(weights, list) or any(i >= len(weights) for i in answer):
            return ok, 1.0 if ok else 0.0
        return False, min(_credit(sum(float(weights[i]) for i in answer)), 0.99)
    if kind in ("numerical", "numeric"):
        answers = key.get("answers") if isinstance(key, dict) else None
        if isinstance(answers, list) and answers:
            best = max((_credit(a.get("weight", 100)) for a in answers if numeric_hit(a, answer)), default=0.0)
            return best >= 1.0, best
        specs = key if isinstance(key, list) else [key]
        ok = any(numeric_hit(spec, answer) for spec in specs)
        return ok, 1.0 if ok else 0.0
    if kind in ("short_answer", "short_text"):
        accepted = key.get("accepted") if isinstance(key, dict) else key
        if isinstance(accepted, str):
            accepted = [accepted]
        if not isinstance(accepted, list):
            return None, None
        fold = text_fold(key)
        if fold(answer) in {fold(str(a)) for a in accepted}:
            return True, 1.0
        partial = key.get("partial") if isinstance(key, dict) else None
        credit = max(
            (
                _credit(p.get("weight"))
                for p in partial or []
                if isinstance(p, dict) and fold(str(p.get("text"))) == fold(answer)
            ),
            default=0.0,
        )
        return False, min(credit, 0.99)
    if kind == "matching" and isinstance(key, dict) and isinstance(answer, dict):
        pairs = key.get("pairs", key)
        hits = sum(1 for k, v in pairs.items() if str(answer.get(k, "")).strip() == str(v).strip())
        return hits == len(pairs), hits / max(len(pairs), 1)
    return None, None


def text_fold(key: Any):
    """How short answers compare: case-insensitive unless ``case_sensitive: true`` (questions.py)."""
    if isinstance(key, dict) and key.get("case_sensitive") is True:
        return lambda text: str(text).strip()
    return lambda text: str(text).strip().casefold()
