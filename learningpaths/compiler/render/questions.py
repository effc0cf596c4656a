"""Our question syntax: a fenced ```` ```question ```` block holding YAML.

.. code-block:: yaml

    id: capital            # optional; [A-Za-z][A-Za-z0-9_-]*; default q1, q2, …
    kind: multiple_choice  # multiple_choice | numeric | short_text | open (| true_false)
    prompt: What is the capital of **Belgium**?
    options: [Antwerp, Brussels, Ghent]
    answer: 1              # 0-based index, a list of indices, or the option's text
    feedback: Brussels has been the capital since 1830.
    hint: Think of the seat of the EU.   # shown after a wrong try
    attempts: 2            # at most two tries (default: unlimited)
    solution: last         # correct | last | never: when the right answer is shown

An option may be a mapping ``{text: ..., feedback: ...}`` (feedback for who picks it); a
``true_false`` question takes ``feedback_true:`` / ``feedback_false:`` the same way. The settings
go into the key (``QUESTION_SETTINGS`` below; ``forms.py`` renders their Markdown at emit time).

``numeric``: ``answer: 3.14`` and ``tolerance: 0.01``; ``short_text``: ``answer: Brussels`` or a
list of accepted strings (``case_sensitive: true`` to compare exactly); ``open``: no answer.
``parse_question`` never raises; problems come back as ``(line, severity, message, hint)``.
"""

from __future__ import annotations

import re
from typing import Any, TypeGuard

import yaml

from .context import did_you_mean
from .forms import QuestionSpec, numeric_key

KINDS = {
    "multiple_choice": "multiple_choice",
    "numeric": "numerical",
    "numerical": "numerical",
    "short_text": "short_answer",
    "short_answer": "short_answer",
    "open": "essay",
    "essay": "essay",
    "true_false": "true_false",
}
FIELDS = (
    "id",
    "kind",
    "prompt",
    "options",
    "answer",
    "tolerance",
    "feedback",
    "multiple",
    "case_sensitive",
    "hint",
    "attempts",
    "solution",
    "feedback_true",
    "feedback_false",
)
SOLUTION_POLICIES = ("correct", "last", "never")
ID = re.compile(r"[A-Za-z][\w-]*")

Problem = tuple[int, str, str, str]


def _key_lines(src: str, line: int) -> dict[str, int]:
    try:
        node = yaml.compose(src, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return {}
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {str(k.value): line + k.start_mark.line for k, _ in node.value if isinstance(k, yaml.ScalarNode)}


def _is_number(value: Any) -> TypeGuard[int | float]:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _text(value: Any) -> str | None:
    """A scalar YAML value as text (None when it is a list, a mapping or missing)."""
    if value is None or isinstance(value, (dict, list)):
        return None
    return str(value)


def _settings(data: dict, bad) -> dict | None:
    """``hint``, ``attempts`` and ``solution`` as key entries (None when one is bad)."""
    out: dict = {}
    if "hint" in data:
        hint = _text(data["hint"])
        if hint is None or not hint.strip():
            bad("hint", "'hint' must be a text (Markdown)", "e.g. hint: Look at the second paragraph again.")
            return None
        out["hint"] = hint
    if "attempts" in data:
        attempts = data["attempts"]
        if not isinstance(attempts, int) or isinstance(attempts, bool) or attempts < 1:
            bad(
                "attempts",
                f"'attempts' must be a whole number ≥ 1 (the most tries a student gets), not {attempts!r}",
                "e.g. attempts: 3; leave it out for unlimited tries",
            )
            return None
        out["attempts"] = attempts
    if "solution" in data:
        policy = data["solution"]
        if policy not in SOLUTION_POLICIES:
            hint = did_you_mean(str(policy), SOLUTION_POLICIES) or "solution is one of correct, last, never"
            bad("solution", f"unknown solution policy {policy!r}", hint)
            return None
        out["solution"] = policy
    return out


def parse_question(src: str, line: int) -> tuple[QuestionSpec | None, list[Problem]]:
    """``src`` is the block's body; ``line`` the source line of its first body line."""
    problems: list[Problem] = []

    def bad(field: str, message: str, hint: str = "", severity: str = "error") -> None:
        problems.append((lines.get(field, line), severity, message, hint))

    lines: dict[str, int] = {}
    try:
        data = yaml.safe_load(src)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        if mark is not None and mark.line >= src.count("\n"):  # at the end: where the open structure began
            mark = getattr(exc, "context_mark", None) or mark
        where = line + mark.line if mark is not None else line
        reason = getattr(exc, "problem", None) or "invalid YAML"
        problems.append(
            (
                where,
                "error",
                f"question block is not valid YAML: {reason}",
                "write one 'key: value' per line; quote text that contains ': ' or starts with [ { * &",
            )
        )
        return None, problems
    if not isinstance(data, dict):
        problems.append(
            (
                line,
                "error",
                "question block must be a YAML mapping (key: value lines)",
                "start with 'kind: multiple_choice' and 'prompt: …'",
            )
        )
        return None, problems
    lines = _key_lines(src, line)
    for name in data:
        if str(name) not in FIELDS:
            hint = did_you_mean(str(name), FIELDS) or "known keys: " + ", ".join(FIELDS)
            bad(str(name), f"unknown key '{name}' in question block; it is ignored", hint, "warning")
    qid = data.get("id")
    if qid is not None and (not isinstance(qid, str) or not ID.fullmatch(qid)):
        bad("id", f"question id '{qid}' must start with a letter and use only letters, digits, '_' and '-'")
        qid = None
    raw_kind = data.get("kind")
    kind = KINDS.get(str(raw_kind)) if raw_kind is not None else None
    if kind is None:
        hint = did_you_mean(str(raw_kind), KINDS) if raw_kind is not None else ""
        bad(
            "kind",
            "question block needs 'kind'" if raw_kind is None else f"unknown question kind '{raw_kind}'",
            hint or "kind is one of multiple_choice, numeric, short_text, open",
        )
        return None, problems
    prompt = data.get("prompt")
    if not isinstance(prompt, (str, int, float)) or not str(prompt).strip():
        bad("prompt", "question block needs a 'prompt' (the question text, Markdown)")
        return None, problems
    spec = QuestionSpec(kind, str(prompt), lines.get("prompt", line), id=qid)
    feedback = data.get("feedback")
    if isinstance(feedback, (dict, list)):
        bad(
            "feedback",
            "'feedback' must be a text (Markdown)",
            "per-option feedback goes in the option: {text: …, feedback: …}",
        )
        return None, problems
    feedback = str(feedback) if feedback is not None else ""
    settings = _settings(data, bad)
    if settings is None:
        return None, problems
    answer = data.get("answer")
    if kind == "multiple_choice":
        options = data.get("options")
        if not isinstance(options, list) or len(options) < 2 or any(isinstance(o, list) for o in options):
            bad("options", "multiple_choice needs 'options': a list of at least two choices")
            return None, problems
        texts, option_feedback = [], []
        for option in options:
            if isinstance(option, dict):
                unknown = sorted(str(k) for k in option if k not in ("text", "feedback"))
                text, said = _text(option.get("text")), _text(option.get("feedback", ""))
                if text is None or said is None or unknown:
                    bad(
                        "options",
                        f"option {option!r} must be a text, or a mapping with 'text' and optional 'feedback'",
                        "e.g. - {text: Antwerp, feedback: That is a port city.}",
                    )
                    return None, problems
                texts.append(text)
                option_feedback.append(said)
            else:
                texts.append(str(option))
                option_feedback.append("")
        spec.options = texts
        picks = answer if isinstance(answer, list) else [answer]
        indices = []
        for pick in picks:
            if isinstance(pick, int) and not isinstance(pick, bool) and 0 <= pick < len(options):
                indices.append(pick)
            elif isinstance(pick, str) and pick in spec.options:
                indices.append(spec.options.index(pick))
            else:
                bad(
                    "answer",
                    f"answer {pick!r} is not an option index (0 to {len(options) - 1}) or an option's text",
                    "indices count from 0: the first option is 0",
                )
                return None, problems
        multiple = bool(data.get("multiple", len(indices) > 1))
        spec.multiple = multiple
        spec.key = {"correct": sorted(set(indices)), "multiple": multiple, "feedback": feedback}
        if any(option_feedback):
            spec.key["option_feedback"] = option_feedback
    elif kind == "numerical":
        tolerance = data.get("tolerance", 0)
        if not _is_number(answer):
            bad("answer", "numeric question needs a number as 'answer'", "e.g. answer: 3.14")
            return None, problems
        if not _is_number(tolerance) or tolerance < 0:
            bad("tolerance", "'tolerance' must be a number ≥ 0", "e.g. tolerance: 0.01")
            return None, problems
        spec.key = {
            **numeric_key([{"value": float(answer), "tolerance": float(tolerance), "weight": 100.0}]),
            "feedback": feedback,
        }
    elif kind == "short_answer":
        accepted = answer if isinstance(answer, list) else [answer]
        accepted = [str(a) for a in accepted if a is not None and str(a).strip()]
        if not accepted:
            bad("answer", "short_text question needs 'answer': the accepted text or a list of them")
            return None, problems
        spec.key = {
            "accepted": accepted,
            "case_sensitive": bool(data.get("case_sensitive", False)),
            "feedback": feedback,
        }
    elif kind == "true_false":
        if not isinstance(answer, bool):
            bad("answer", "true_false question needs 'answer: true' or 'answer: false'")
            return None, problems
        spec.key = {"correct": [0 if answer else 1], "answer": answer, "feedback": feedback}
        per_answer: list[str] = []
        for field_name in ("feedback_true", "feedback_false"):  # option 0 is "true"
            text = _text(data.get(field_name, ""))
            if text is None:
                bad(field_name, f"'{field_name}' must be a text (Markdown)")
                return None, problems
            per_answer.append(text)
        if any(per_answer):
            spec.key["option_feedback"] = per_answer
    else:  # essay
        if answer is not None:
            bad(
                "answer",
                "an 'open' question has no answer key; 'answer' is ignored",
                "put a model answer in a '::: teacher' block",
                "warning",
            )
        spec.key = {"feedback": feedback} if feedback or settings else None
    if kind != "true_false":
        for field_name in ("feedback_true", "feedback_false"):
            if field_name in data:
                bad(field_name, f"'{field_name}' belongs to a true_false question; it is ignored", "", "warning")
    if settings and spec.key is not None:
        spec.key.update(settings)
    return spec, problems
