"""Core rule ``lp_scope``: mark teacher-only tokens and rewrite raw HTML.

Runs first among our core rules. Every token gets ``meta["teacher"]``: True inside a
``::: teacher`` container, inside a raw-HTML element with class ``teacher_only``, or when the
whole text is teacher-only (``env["teacher"]``). Later rules only read that flag.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore

from ..rawhtml import RawScope, rewrite_html
from . import children_with_lines


def rawhtml_plugin(md: MarkdownIt) -> None:
    md.core.ruler.push("lp_scope", _scope_rule)


def _scope_rule(state: StateCore) -> None:
    ctx, doc = state.env.get("lp"), state.env.get("doc")
    if ctx is None or doc is None:
        return
    base = bool(state.env.get("teacher"))
    scope = RawScope()
    depth = 0  # nesting of ::: teacher containers
    for token in state.tokens:
        if token.type == "container_teacher_open":
            depth += 1
        teacher = base or depth > 0 or scope.teacher
        token.meta["teacher"] = teacher
        if token.type == "container_teacher_close":
            depth -= 1
        if token.type == "html_block":
            line0 = token.map[0] if token.map else None
            html = rewrite_html(ctx, doc, line0, teacher, token.content, scope)
            token.content = html if html.strip() else ""
        elif token.type == "inline":
            for child, line0 in children_with_lines(token):
                child.meta["teacher"] = teacher or scope.teacher
                if child.type == "html_inline":
                    child.content = rewrite_html(
                        ctx, doc, line0, child.meta["teacher"], child.content, scope, inline=True
                    )
