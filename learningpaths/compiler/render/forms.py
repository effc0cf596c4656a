"""Questions as HTML forms, with the answer key kept out of the HTML.

GIFT (gift.py) and our YAML ``question`` blocks (questions.py) both produce a ``QuestionSpec``;
``emit_questions`` gives each an id, renders ``<form class="lp-question">`` and records a
``Question`` (with its key) in the context. The form holds only what the student sees: the
prompt, the option labels, inputs whose values are option indices, and a submit button.

Form fields and ``Question.key`` shapes (what ``learningpaths.learning.grading`` reads), per kind:
its inputs (name = question id), then its key.

* multiple_choice: radios, or checkboxes when ``multiple``; value = option index.
  ``{"correct": [i…], "multiple", "weights"? (GIFT, percent per option), "option_feedback"?}``
* true_false: radios, value 0 (true) / 1 (false).
  ``{"correct": [0 or 1], "answer": bool, "option_feedback"?: [for true, for false]}``
* short_answer: text.
  ``{"accepted": [full-credit texts], "partial"?: [{"text", "weight"}], "case_sensitive"?,
  "answer_feedback"?: {text: feedback}}``
* numerical: number.
  ``{"value", "tolerance"}`` or ``{"min", "max"}`` (first full-credit answer), ``"answers": [all, with
  "weight" and "feedback"?]``
* matching: one select per item, named ``<id>-<i>``, value = index in ``choices``.
  ``{"pairs": {"<id>-<i>": "<j>"}, "choices": [...], "answers": [j…]}``
* essay: textarea.
  ``None``, or a dict of the settings below (``{"feedback": ""}`` at least).

Every kind's key may also hold the question's settings (issue 16): ``"feedback"`` (per question),
``"hint"`` (after a wrong try), ``"attempts"`` (int ≥ 1; absent: unlimited), ``"solution"``
(``correct`` | ``last`` | ``never``; absent: ``last``). Feedback texts and hints are Markdown in the
source and HTML in the key: ``emit_questions`` renders them and the renderer sanitises them with
the object's own cleaner (``feedback_map``), so the site shows them as they are.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape, unescape
from typing import Any

from ..result import Question
from .context import Doc, RenderContext
from .media import attr, label

KINDS = ("multiple_choice", "true_false", "short_answer", "numerical", "matching", "essay")


def numeric_key(answers: list[dict]) -> dict:
    """Numerical key: every answer, plus the first full-credit one's fields at the top level."""
    best = next((a for a in answers if a.get("weight", 100) >= 100), answers[0] if answers else {})
    top = {k: v for k, v in best.items() if k in ("value", "tolerance", "min", "max")}
    return {**top, "answers": answers}


@dataclass
class QuestionSpec:
    kind: str  # one of KINDS, or "description" (text only, no form, no Question)
    prompt: str  # Markdown source (or plain text when fmt == "plain")
    line: int  # 1-based source line
    id: str | None = None  # author-chosen id; None: q1, q2, …
    fmt: str = "markdown"
    options: list[str] = field(default_factory=list)  # MC labels / matching left items (Markdown)
    choices: list[str] = field(default_factory=list)  # matching: right items, in display order
    multiple: bool = False  # MC with several answers (checkboxes)
    key: Any = None


def feedback_map(key: Any, fn: Callable[[str], str]) -> Any:
    """``key`` with every feedback text and hint passed through ``fn`` (empty texts stay empty)."""
    if not isinstance(key, dict):
        return key

    def one(text: Any) -> Any:
        return fn(text) if isinstance(text, str) and text.strip() else text

    out = dict(key)
    for name in ("feedback", "hint"):
        if name in out:
            out[name] = one(out[name])
    if isinstance(out.get("option_feedback"), list):
        out["option_feedback"] = [one(t) for t in out["option_feedback"]]
    if isinstance(out.get("answer_feedback"), dict):
        out["answer_feedback"] = {k: one(t) for k, t in out["answer_feedback"].items()}
    if isinstance(out.get("answers"), list):
        out["answers"] = [
            {**a, "feedback": one(a["feedback"])} if isinstance(a, dict) and "feedback" in a else a
            for a in out["answers"]
        ]
    return out


# A function rendering Markdown for prompts: (source, doc, block) -> HTML. Made by fragments.py.
MarkdownFn = Callable[[str, Doc, bool], str]

_TAGS = re.compile(r"<[^>]*>")
_BREAKS = re.compile(r"<(?:br|/p|/li|/div|/h\d|/td|/th)\b[^>]*>", re.I)


def text_of(html: str) -> str:
    """Plain text of an HTML fragment, whitespace collapsed."""
    return " ".join(unescape(_TAGS.sub("", _BREAKS.sub(" ", html))).split())


def _label_html(spec: QuestionSpec, source: str, doc: Doc, md: MarkdownFn) -> str:
    return escape(source) if spec.fmt == "plain" else md(source, doc, False)


def render_form(spec: QuestionSpec, qid: str, language: str, doc: Doc, md: MarkdownFn) -> tuple[str, str, list[str]]:
    """(form HTML, plain prompt, plain option labels)."""
    prompt_html = (
        f"<p>{escape(spec.prompt)}</p>"
        if spec.fmt == "plain"
        else md(spec.prompt, Doc(doc.path, spec.line, spec.prompt), True)
    )
    name = attr(qid)
    if spec.kind == "description":
        return f'<div class="lp-question-description">{prompt_html}</div>\n', text_of(prompt_html), []
    labels = [_label_html(spec, o, Doc(doc.path, spec.line, o), md) for o in spec.options]
    body: list[str] = []
    if spec.kind == "multiple_choice":
        kind = "checkbox" if spec.multiple else "radio"
        for i, html in enumerate(labels):
            body.append(
                f'<label class="lp-option"><input type="{kind}" name="{name}" value="{i}"> <span>{html}</span></label>'
            )
    elif spec.kind == "true_false":
        for value, word in enumerate(("true", "false")):  # option 0 is "true", as in Question.options
            body.append(
                f'<label class="lp-option"><input type="radio" name="{name}" value="{value}"> '
                f"<span>{escape(label(language, word))}</span></label>"
            )
    elif spec.kind == "short_answer":
        body.append(
            f'<input type="text" name="{name}" autocomplete="off" spellcheck="false"'
            f' aria-label="{attr(text_of(prompt_html)[:80])}">'
        )
    elif spec.kind == "numerical":
        body.append(
            f'<input type="number" step="any" name="{name}" autocomplete="off"'
            f' aria-label="{attr(text_of(prompt_html)[:80])}">'
        )
    elif spec.kind == "matching":
        options = "".join(f'<option value="{j}">{escape(c)}</option>' for j, c in enumerate(spec.choices))
        for i, html in enumerate(labels):
            body.append(
                f'<label class="lp-match"><span>{html}</span> <select name="{name}-{i}">'
                f'<option value="">{escape(label(language, "choose"))}</option>{options}</select></label>'
            )
    else:  # essay
        body.append(f'<textarea name="{name}" rows="6" aria-label="{attr(text_of(prompt_html)[:80])}"></textarea>')
    html = (
        f'<form class="lp-question" data-question-id="{name}" data-kind="{spec.kind}">\n'
        f'<div class="lp-question-prompt">{prompt_html}</div>\n'
        f'<fieldset class="lp-question-answer">\n' + "\n".join(body) + "\n</fieldset>\n"
        f'<button type="submit" class="lp-question-submit">{escape(label(language, "check"))}</button>\n'
        '<div class="lp-question-feedback" aria-live="polite"></div>\n</form>\n'
    )
    return html, text_of(prompt_html), [text_of(x) for x in labels]


def _feedback_renderer(spec: QuestionSpec, doc: Doc, md: MarkdownFn) -> Callable[[str], str]:
    """Feedback and hints as HTML: Markdown like the prompt (or escaped text for GIFT's ``[plain]``)."""
    if spec.fmt == "plain":
        return lambda text: f"<p>{escape(text)}</p>"
    return lambda text: md(text, Doc(doc.path, spec.line, text), True)


def emit_questions(ctx: RenderContext, specs: list[QuestionSpec], doc: Doc, teacher: bool, md: MarkdownFn) -> str:
    """Number, render and record ``specs`` (one fenced block's worth); returns their HTML."""
    out = []
    for spec in specs:
        if spec.kind == "description":
            out.append(render_form(spec, "", ctx.key.language, doc, md)[0])
            continue
        qid = spec.id
        if qid is None:
            qid = ctx.unique(ctx.question_ids, "q", "q{n}", bare=False)  # q1, q2, ...
        ctx.question_ids.add(qid)
        html, prompt, labels = render_form(spec, qid, ctx.key.language, doc, md)
        options = (
            labels
            if spec.kind in ("multiple_choice", "matching")
            else (
                [label(ctx.key.language, "true"), label(ctx.key.language, "false")] if spec.kind == "true_false" else []
            )
        )
        key = feedback_map(spec.key, _feedback_renderer(spec, doc, md))
        if spec.kind == "matching" and isinstance(key, dict):  # pairs: form field -> option value
            key = {
                "pairs": {f"{qid}-{i}": str(j) for i, j in enumerate(key["answers"])},
                "choices": list(spec.choices),
                **key,
            }
        ctx.questions.append(
            Question(
                id=qid, kind=spec.kind, prompt=prompt, options=options, key=key, line=spec.line, teacher_only=teacher
            )
        )
        out.append(html)
    return "".join(out)
