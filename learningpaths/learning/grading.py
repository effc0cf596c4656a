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


def grade(kind: str, key: Any, answer: Any) -> tuple[bool | None, float | None]:
    """(correct, score in 0..1), or (None, None) when there is nothing to grade against."""
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
        return ok, 1.0 if ok else 0.0
    if kind in ("numerical", "numeric"):
        specs = key if isinstance(key, list) else [key]
        for spec in specs:
            if isinstance(spec, dict):
                if "min" in spec and "max" in spec and spec["min"] <= answer <= spec["max"]:
                    return True, 1.0
                if "value" in spec and abs(answer - float(spec["value"])) <= float(spec.get("tolerance", 0) or 0):
                    return True, 1.0
            elif isinstance(spec, (int, float)) and abs(answer - spec) <= 1e-9:
                return True, 1.0
        return False, 0.0
    if kind in ("short_answer", "short_text"):
        accepted = key.get("accepted") if isinstance(key, dict) else key
        if isinstance(accepted, str):
            accepted = [accepted]
        if not isinstance(accepted, list):
            return None, None
        # Case-insensitive unless the author asked for ``case_sensitive: true`` (questions.py).
        exact = isinstance(key, dict) and key.get("case_sensitive") is True
        fold = (lambda text: text.strip()) if exact else (lambda text: text.strip().casefold())
        ok = fold(answer) in {fold(str(a)) for a in accepted}
        return ok, 1.0 if ok else 0.0
    if kind == "matching" and isinstance(key, dict) and isinstance(answer, dict):
        pairs = key.get("pairs", key)
        hits = sum(1 for k, v in pairs.items() if str(answer.get(k, "")).strip() == str(v).strip())
        return hits == len(pairs), hits / max(len(pairs), 1)
    return None, None
