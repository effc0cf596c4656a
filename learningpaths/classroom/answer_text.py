"""Answers, answer keys and feedback as a teacher reads them: option labels, numbers in the page's
locale, matching pairs "item → choice", open text with its line breaks. Pure functions of a
``Question`` and a stored value, for the answers page, the item analysis and the CSV export.

Nothing here trusts the stored value (rows written before the checks, by the admin or straight into
the database): anything that does not fit the question's kind is shown as its bounded preview
(``core.jsonvalues.value_preview``), never ``str()`` of it, and every text goes through
``text_safe``. Key shapes per kind are in ``compiler/render/forms.py``.
"""

from __future__ import annotations

import math
import re
from html import unescape
from typing import Any

from django.utils import formats
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from learningpaths.core.jsonvalues import text_safe, value_preview
from learningpaths.learning.feedback import feedback_for, outcome
from learningpaths.learning.grading import MAX_TEXT

_BLOCK_END = re.compile(r"<(?:br|/p|/li|/div|/h\d)\b[^>]*>", re.I)  # line breaks in compiled feedback HTML
SHOWN = MAX_TEXT  # characters of one answer, key or feedback text: a whole text answer
ITEM_SHOWN = 200  # characters of one part that is not what the question expects


def _is_index(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def number_text(value: Any) -> str:
    """A number in the active language's format (0,5 in Dutch); anything else as its preview."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return value_preview(value, ITEM_SHOWN)
    if isinstance(value, float) and not math.isfinite(value):
        return value_preview(value, ITEM_SHOWN)
    if isinstance(value, int) and abs(value) >= 10**18:  # beyond what a person reads digit by digit
        return value_preview(value, ITEM_SHOWN)
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        value = int(value)
    try:
        return text_safe(formats.number_format(value, use_l10n=True), ITEM_SHOWN)
    except (ValueError, ArithmeticError):  # a float Decimal cannot take; the preview always works
        return value_preview(value, ITEM_SHOWN)


def _options(question) -> list[str]:
    options = question.options if isinstance(question.options, list) else []
    if question.kind == "true_false" and len(options) != 2:
        options = [_("true"), _("false")]
    return [text_safe(o, ITEM_SHOWN) for o in options]


def _key(question) -> dict:
    return question.key if isinstance(question.key, dict) else {}


def _choices(question) -> list[str]:
    choices = _key(question).get("choices")
    return [text_safe(c, ITEM_SHOWN) for c in choices] if isinstance(choices, list) else []


def _labels(question, picks: list) -> list[str]:
    options = _options(question)
    out = []
    for pick in picks[: len(options) + 1]:  # a stored list longer than the options is cut, not listed
        out.append(options[pick] if _is_index(pick) and 0 <= pick < len(options) else value_preview(pick, ITEM_SHOWN))
    return out


def _pairs(question, answer: dict) -> list[str]:
    """Matching: "item → choice" per item, in the items' order (form fields ``<qid>-<i>``)."""
    items, choices = _options(question), _choices(question)
    lines = []
    for i, item in enumerate(items):
        picked = answer.get(f"{question.qid}-{i}")
        choice = int(picked) if isinstance(picked, str) and picked.isdigit() else picked
        if choice is None or choice == "":
            shown = "—"
        elif _is_index(choice) and 0 <= choice < len(choices):
            shown = choices[choice]
        else:
            shown = value_preview(choice, ITEM_SHOWN)
        lines.append(f"{item} → {shown}")
    extra = len(answer) - sum(1 for i in range(len(items)) if f"{question.qid}-{i}" in answer)
    if extra > 0 or not items:
        lines.append(value_preview(answer, ITEM_SHOWN))
    return lines


def answer_text(question, answer: Any) -> str:
    """The student's answer as text. ``question`` may be None (the question is gone from the content)."""
    kind = getattr(question, "kind", None)
    if kind in ("multiple_choice", "true_false") and isinstance(answer, list):
        return text_safe(", ".join(_labels(question, answer)), SHOWN)
    if kind in ("numerical", "numeric") and isinstance(answer, (int, float)):
        return number_text(answer)
    if kind == "matching" and isinstance(answer, dict):
        return text_safe("\n".join(_pairs(question, answer)), SHOWN)
    return value_preview(answer, SHOWN)  # a text as itself, line breaks kept; anything else bounded


def _or() -> str:
    return " " + _("or") + " "


def _range_text(spec: dict) -> str | None:
    if "min" in spec and "max" in spec:
        return f"{number_text(spec['min'])} \u2013 {number_text(spec['max'])}"
    if "value" in spec:
        tolerance = spec.get("tolerance") or 0
        value = number_text(spec["value"])
        return f"{value} ± {number_text(tolerance)}" if tolerance else value
    return None


def key_text(question) -> str:
    """The right answer as text (never the raw key); "open question" for an essay."""
    if question is None:
        return ""
    key, raw = _key(question), question.key
    kind = question.kind
    if kind == "essay":
        return _("open question")
    if kind in ("multiple_choice", "true_false"):
        correct = key.get("correct") if isinstance(raw, dict) else raw
        if isinstance(correct, bool):  # true/false stored as a bool: option 0 = true
            correct = [0 if correct else 1]
        if _is_index(correct):
            correct = [correct]
        if isinstance(correct, list):
            return text_safe(", ".join(_labels(question, correct)), SHOWN)
    if kind in ("numerical", "numeric"):
        answers = key.get("answers") if isinstance(key.get("answers"), list) else [key] if key else [raw]
        full = [a for a in answers if isinstance(a, dict) and (a.get("weight", 100) or 0) >= 100] or answers
        shown = [t for a in full if isinstance(a, dict) and (t := _range_text(a))]
        if not shown and isinstance(raw, (int, float)):
            shown = [number_text(raw)]
        if shown:
            return text_safe(_or().join(shown), SHOWN)
    if kind in ("short_answer", "short_text"):
        accepted = key.get("accepted") if isinstance(raw, dict) else raw
        if isinstance(accepted, str):
            accepted = [accepted]
        if isinstance(accepted, list) and accepted:
            return text_safe(_or().join(value_preview(a, ITEM_SHOWN) for a in accepted), SHOWN)
    if kind == "matching":
        items, choices = _options(question), _choices(question)
        picks = key.get("answers")
        if isinstance(picks, list) and items:
            return text_safe(
                "\n".join(
                    f"{item} → {choices[j] if _is_index(j) and 0 <= j < len(choices) else value_preview(j, 50)}"
                    for item, j in zip(items, picks, strict=False)
                ),
                SHOWN,
            )
    return "" if raw is None else value_preview(raw, ITEM_SHOWN)


def _text(value: Any) -> str:
    return text_safe(value, SHOWN).strip() if isinstance(value, str) else ""


def feedback_text(question, answer: Any, correct: bool | None, tries: int | None = None) -> str:
    """The author's feedback the student was shown for this answer, as plain text: the very text the
    answer route chose (``learning.feedback.outcome`` for the ``tries``-th try: an option's own
    feedback at every try, the question's once settled; without ``tries``, as if settled), its
    compiled HTML reduced to text, one paragraph per line."""
    if question is None:
        return ""
    if tries is None:
        html = feedback_for(question.kind, _key(question), answer)
    else:
        said = outcome(
            kind=question.kind,
            key=_key(question),
            options=list(getattr(question, "options", None) or []),
            answer=answer,
            correct=correct,
            score=None,
            tries=tries,
        )
        html = said["feedback"]
    text = unescape(strip_tags(_BLOCK_END.sub("\n", html))) if isinstance(html, str) else ""
    return text_safe("\n".join(line.strip() for line in text.splitlines() if line.strip()), SHOWN)
