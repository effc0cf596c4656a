"""Moodle GIFT → ``QuestionSpec``s (rendered by forms.py).

Supported: multiple choice (``=`` right, ``~`` wrong, ``~%50%`` weights; without any ``=`` it
has several answers), true/false (``{T}``, ``{FALSE#wrong fb#right fb}``), short answer
(``{=a =b}``), numerical (``{#3.14:0.01}``, ``{#1..5}``, ``{#=%50%2:1 =3:0}``), matching
(``{=a -> 1 =b -> 2}``; the right-hand items are offered sorted), essay (``{}``), description (no
braces), missing-word questions (text after the braces), ``::title::``, ``[markdown]``/``[html]``/``[plain]``
formats, ``//`` comment lines, ``$CATEGORY:`` lines (ignored), per-answer ``#feedback`` (the key's
``option_feedback``, ``answer_feedback`` or numerical ``answers[i].feedback``), general ``####feedback`` (the
key's ``feedback``), and the escapes ``\\~ \\= \\# \\{ \\} \\: \\n``.

Multiple-choice answers are shown in a stable shuffled order (as Moodle shuffles them), so the
right answer, usually written first, is not always first; the key uses the shown order.
``parse_gift`` never raises; problems come back as ``(line, message, hint)``.
"""

from __future__ import annotations

import hashlib
import re

from .forms import QuestionSpec, numeric_key

_ESCAPES = {
    "\\~": "\ue001",
    "\\=": "\ue002",
    "\\#": "\ue003",
    "\\{": "\ue004",
    "\\}": "\ue005",
    "\\:": "\ue006",
    "\\n": "\n",
}
_LITERAL = str.maketrans({"\ue001": "~", "\ue002": "=", "\ue003": "#", "\ue004": "{", "\ue005": "}", "\ue006": ":"})
_MARKDOWN = str.maketrans(
    {"\ue001": "\\~", "\ue002": "\\=", "\ue003": "\\#", "\ue004": "\\{", "\ue005": "\\}", "\ue006": "\\:"}
)
_ITEM = re.compile(r"([=~])([^=~]*)")
_WEIGHT = re.compile(r"^\s*%(-?\d+(?:\.\d+)?)%")
_TF = re.compile(r"^(T|TRUE|F|FALSE)\s*(#.*)?$", re.S | re.I)

Problem = tuple[int, str, str]


def _protect(text: str) -> str:
    return re.sub(r"\\[~=#{}:n]", lambda m: _ESCAPES[m.group(0)], text)


def lit(text: str) -> str:
    return text.translate(_LITERAL).strip()


def _md(text: str) -> str:
    return text.translate(_MARKDOWN).strip()


def _blocks(text: str) -> list[tuple[int, str]]:
    """Questions separated by blank lines, comment lines removed: (0-based start line, text)."""
    blocks: list[tuple[int, str]] = []
    current: list[str] = []
    start, depth = 0, 0  # start: the line where `current` began (set with its first line)
    for i, raw in enumerate(text.split("\n")):
        line = _protect(raw)
        if line.lstrip().startswith("//"):
            continue
        if not line.strip() and depth <= 0:
            if current:
                blocks.append((start, "\n".join(current)))
            current, depth = [], 0
            continue
        if not current:
            start = i
        current.append(line)
        depth += line.count("{") - line.count("}")
    if current:
        blocks.append((start, "\n".join(current)))
    return blocks


def _split_feedback(text: str) -> tuple[str, str]:
    body, _, feedback = text.partition("#")
    return body, lit(feedback)


def _weight(text: str) -> tuple[float | None, str]:
    match = _WEIGHT.match(text)
    return (float(match.group(1)), text[match.end() :]) if match else (None, text)


def _number(text: str) -> float:
    return float(lit(text).replace(" ", ""))


def _numerical(body: str, line: int, problems: list[Problem]) -> dict | None:
    body = body.strip()
    items = _ITEM.findall(body) if re.match(r"^[=~]", body) else [("=", body)]
    answers = []
    for mark, item in items:
        weight, item = _weight(item)
        value, feedback = _split_feedback(item)
        entry: dict = {"weight": weight if weight is not None else (100.0 if mark == "=" else 0.0)}
        try:
            if ".." in value:
                low, high = value.split("..", 1)
                entry.update(min=_number(low), max=_number(high))
            elif "\ue006" in value or ":" in value:
                number, tolerance = re.split(r"[:\ue006]", value, maxsplit=1)
                entry.update(value=_number(number), tolerance=abs(_number(tolerance)))
            else:
                entry.update(value=_number(value), tolerance=0.0)
        except ValueError:
            problems.append(
                (
                    line,
                    f"numerical answer '{lit(value)}' is not a number, a value:tolerance or a min..max",
                    "write e.g. {#3.14:0.01} or {#1..5}",
                )
            )
            return None
        if feedback:
            entry["feedback"] = feedback
        answers.append(entry)
    if not answers:
        problems.append((line, "numerical question without an answer", "write e.g. {#3.14:0.01}"))
        return None
    return numeric_key(answers)


def _shuffled(items: list, seed: str) -> list:
    """A stable pseudo-random order (Moodle shuffles GIFT answers; the right one is usually first)."""
    return sorted(items, key=lambda item: hashlib.sha256(f"{seed}\x00{item[2]}".encode()).hexdigest())


def _choices(
    body: str, line: int, problems: list[Problem], seed: str = ""
) -> tuple[str, dict, list[str], list[str]] | None:
    lead = body.split("=")[0].split("~")[0]
    if lead.strip():
        problems.append(
            (
                line,
                f"answers must start with '=' or '~', found '{lit(lead)[:30]}'",
                "escape a literal =, ~, #, {, } or : with a backslash",
            )
        )
        return None
    items = []
    for mark, item in _ITEM.findall(body):
        weight, item = _weight(item)
        text, feedback = _split_feedback(item)
        items.append((mark, weight, text, feedback))
    if any(mark == "~" for mark, *_ in items):
        items = _shuffled(items, seed)
        multiple = not any(mark == "=" for mark, *_ in items)
        weights = [w if w is not None else (100.0 if m == "=" else 0.0) for m, w, _, _ in items]
        correct = (
            [i for i, w in enumerate(weights) if w > 0]
            if multiple
            else [i for i, (m, *_rest) in enumerate(items) if m == "="]
        )
        if not correct:
            problems.append(
                (
                    line,
                    "multiple-choice question without a correct answer",
                    "mark the right answer with '=' (or give weights like ~%50%)",
                )
            )
            return None
        if multiple and abs(sum(w for w in weights if w > 0) - 100) > 0.5:
            problems.append(
                (
                    line,
                    "the positive weights of a multiple-answer question do not add up to 100%",
                    "e.g. ~%50%right ~%50%also right ~%-100%wrong",
                )
            )
        key = {"correct": correct, "multiple": multiple, "weights": weights}
        if any(fb for *_, fb in items):
            key["option_feedback"] = [fb for *_, fb in items]
        return "multiple_choice", key, [_md(t) for _, _, t, _ in items], []
    arrows = ["->" in text for _, _, text, _ in items]
    if items and all(arrows):
        pairs = [tuple(lit(part) for part in text.split("->", 1)) for _, _, text, _ in items]
        choices = sorted({right for _, right in pairs}, key=str.casefold)
        key = {"answers": [choices.index(right) for _, right in pairs]}
        return "matching", key, [_md(text.split("->", 1)[0]) for _, _, text, _ in items], choices
    if any(arrows):
        problems.append((line, "some answers of this matching question lack '->'", "write =left -> right"))
        return None
    answers = [(lit(text), w if w is not None else 100.0) for _, w, text, _ in items if lit(text)]
    if not answers:
        problems.append((line, "question without answers", "write answers like {=right ~wrong}, or {} for an essay"))
        return None
    key = {
        "accepted": [text for text, weight in answers if weight >= 100],
        "partial": [{"text": text, "weight": weight} for text, weight in answers if weight < 100],
    }
    said = {lit(t): fb for _, _, t, fb in items if fb}
    if said:
        key["answer_feedback"] = said
    return "short_answer", key, [], []


def _question(start: int, text: str, line_base: int, problems: list[Problem]) -> QuestionSpec | None:
    text = text.strip()
    line = line_base + start
    if text.startswith("$CATEGORY:"):
        return None
    title = re.match(r"^::(.*?)::", text, re.S)
    rest = text[title.end() :] if title else text
    fmt_match = re.match(r"^\s*\[(html|moodle|plain|markdown)\]", rest)
    fmt = "plain" if fmt_match and fmt_match.group(1) == "plain" else "markdown"
    rest = rest[fmt_match.end() :] if fmt_match else rest
    open_ = rest.find("{")
    if open_ < 0:
        return QuestionSpec("description", lit(rest) if fmt == "plain" else _md(rest), line, fmt=fmt)
    close = rest.find("}", open_)
    answer_line = line + rest[:open_].count("\n") + (text[: title.end()].count("\n") if title else 0)
    if close < 0:
        problems.append(
            (answer_line, "answer block '{' is never closed with '}'", "close it, or escape a literal brace as \\{")
        )
        return None
    before, body, after = rest[:open_], rest[open_ + 1 : close], rest[close + 1 :]
    if "{" in after:
        problems.append(
            (
                answer_line,
                "a question can have only one answer block {…}",
                "split it into separate questions separated by a blank line",
            )
        )
    conv = lit if fmt == "plain" else _md
    prompt = conv(before) + (" _____ " + conv(after) if after.strip() else "")
    if not prompt.strip():
        problems.append((line, "question without text", "write the question before the {answers}"))
        return None
    body, _, general = body.partition("####")
    stripped = body.strip()
    spec = QuestionSpec("essay", prompt, line, fmt=fmt)
    if not stripped:
        spec.key = {"feedback": lit(general)} if general.strip() else None
        return spec
    if stripped.startswith("#"):
        key = _numerical(stripped[1:], answer_line, problems)
        spec.kind = "numerical"
    elif tf := _TF.match(stripped):
        feedback = (tf.group(2) or "").split("#")[1:] + ["", ""]
        truth = tf.group(1).upper().startswith("T")
        key = {"correct": [0 if truth else 1], "answer": truth}
        wrong, right = lit(feedback[0]), lit(feedback[1])  # GIFT: {T#shown when wrong#shown when right}
        if wrong or right:
            key["option_feedback"] = [right, wrong] if truth else [wrong, right]  # option 0 is "true"
        spec.kind = "true_false"
    else:
        found = _choices(stripped, answer_line, problems, seed=prompt)
        if found is None:
            return None
        spec.kind, key, spec.options, spec.choices = found
        spec.multiple = bool(key.get("multiple"))
    if key is None:
        return None
    if general.strip():
        key["feedback"] = lit(general)  # general feedback: the question's own
    spec.key = key
    return spec


def parse_gift(text: str, line_base: int = 1) -> tuple[list[QuestionSpec], list[Problem]]:
    """All questions of a GIFT text whose first line is source line ``line_base``."""
    problems: list[Problem] = []
    specs = []
    for start, block in _blocks(text.replace("\r\n", "\n")):
        spec = _question(start, block, line_base, problems)  # a bug here is render_object's lp.render_internal
        if spec is not None:
            specs.append(spec)
    return specs, problems
