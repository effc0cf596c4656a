"""Core rule ``lp_fences``: fenced blocks with a meaning.

- ```` ```python run ...```` / ```` ```python setup ```` → runnable cells (cells.py);
- ```` ```gift ```` → GIFT questions (gift.py);
- ```` ```question ```` → one YAML question (questions.py);
- anything else stays a code block with ``class="language-xxx"``.

Author ids of ``question`` blocks are reserved before any ``q<n>`` is handed out, so an automatic
id never takes an id an author chose further down.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore

from ...codes import Code
from ..cells import is_cell, render_cell
from ..forms import emit_questions
from ..fragments import fragment_renderer
from ..gift import parse_gift
from ..questions import parse_question
from . import html_token, is_teacher


def fences_plugin(md: MarkdownIt) -> None:
    md.core.ruler.push("lp_fences", _fences_rule)


def _lang(info: str) -> str:
    return info.split()[0].lower() if info.split() else ""


def _fences_rule(state: StateCore) -> None:
    ctx, doc = state.env.get("lp"), state.env.get("doc")
    if ctx is None or doc is None:
        return
    parsed = {}
    for i, token in enumerate(state.tokens):
        if token.type == "fence" and _lang(token.info) == "question" and token.map:
            spec, problems = parse_question(token.content, doc.line(token.map[0] + 1))
            for line, severity, message, hint in problems:
                ctx.report(doc, line, severity, Code.QUESTION, message, hint)
            if spec is not None and spec.id is not None:
                if spec.id in ctx.question_ids:
                    ctx.error(
                        doc,
                        spec.line,
                        Code.QUESTION,
                        f"two questions have the id '{spec.id}'",
                        "give every question its own id",
                    )
                    spec.id = None
                else:
                    ctx.question_ids.add(spec.id)
            parsed[i] = spec
    for i, token in enumerate(state.tokens):
        if token.type != "fence":
            continue
        lang, line0 = _lang(token.info), token.map[0] if token.map else None
        teacher = is_teacher(token)
        md_fn = fragment_renderer(state.md, ctx, teacher)  # the running parser: no import of markdown.py
        if is_cell(token.info):
            html = render_cell(ctx, doc, line0, teacher, token.info, token.content)
        elif lang == "gift":
            specs, gift_problems = parse_gift(token.content, doc.line((line0 or 0) + 1))
            for line, message, hint in gift_problems:
                ctx.error(doc, line, Code.GIFT, message, hint)
            html = emit_questions(ctx, specs, doc, teacher, md_fn)
        elif lang == "question":
            spec = parsed.get(i)
            if spec is None:
                html = ""  # reported above; nothing to show
            else:
                html = emit_questions(ctx, [spec], doc, teacher, md_fn)
        else:
            continue
        state.tokens[i] = html_token(html, block=True, like=token)
