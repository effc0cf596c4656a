"""Fenced containers: ``::: teacher [title]`` (teacher-only) and ``::: info|success|warning|danger|secondary``.

Like mdit-py-plugins' container plugin, but the end search counts nested openers, so
``::: teacher`` may hold a ``::: info`` closed by its own ``:::`` (and lines inside code fences
are skipped). An unclosed block runs to the end of its parent and is reported
(``lp.teacher_block`` for teacher blocks, so the mistake cannot leak teacher text). A core rule
reports stray ``:::`` lines and unknown container names.
"""

from __future__ import annotations

import re
from html import escape

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore

from ...codes import Code
from ..context import did_you_mean

ALERTS = ("info", "success", "warning", "danger", "secondary")
ALIASES = {"note": "info", "tip": "success", "caution": "warning", "important": "danger"}
NAMES = ("teacher", *ALERTS, *ALIASES)
TEACHER_LABEL = "For teachers"
_OPEN = re.compile(r"^(:{3,})[ \t]*([A-Za-z][\w-]*)[ \t]*(.*?)[ \t]*$")
_CLOSE = re.compile(r"^:{3,}[ \t]*$")
_FENCE = re.compile(r"^(`{3,}|~{3,})")


def containers_plugin(md: MarkdownIt) -> None:
    md.block.ruler.before(
        "fence", "lp_container", _container_rule, {"alt": ["paragraph", "reference", "blockquote", "list"]}
    )
    md.core.ruler.push("lp_container_check", _container_check_rule)
    md.add_render_rule("container_teacher_open", _render_teacher)
    md.add_render_rule("container_teacher_close", _render_teacher)
    md.add_render_rule("container_alert_open", _render_alert)
    md.add_render_rule("container_alert_close", _render_alert)


def _line(state: StateBlock, line: int) -> str:
    return state.src[state.bMarks[line] + state.tShift[line] : state.eMarks[line]]


def _find_end(state: StateBlock, start: int, end: int) -> tuple[int, bool]:
    depth, fence = 1, ""
    line = start
    while True:
        line += 1
        if line >= end:
            return line, False
        text = _line(state, line)
        if text and state.sCount[line] < state.blkIndent:
            return line, False
        if state.sCount[line] - state.blkIndent >= 4:
            continue
        if fence:
            if text.rstrip() and set(text.rstrip()) == {fence[0]} and len(text.rstrip()) >= len(fence):
                fence = ""
            continue
        match = _FENCE.match(text)
        if match:
            fence = match.group(1)
        elif _CLOSE.match(text):
            depth -= 1
            if depth == 0:
                return line, True
        elif _OPEN.match(text):
            depth += 1


def _container_rule(state: StateBlock, startLine: int, endLine: int, silent: bool) -> bool:
    if state.sCount[startLine] - state.blkIndent >= 4:
        return False
    match = _OPEN.match(_line(state, startLine))
    if not match or match.group(2).lower() not in NAMES:
        return False
    if silent:
        return True
    name, title = match.group(2).lower(), match.group(3)
    name = ALIASES.get(name, name)
    next_line, closed = _find_end(state, startLine, endLine)
    if not closed:
        _report_unclosed(state, startLine, name)

    old_parent, old_max = state.parentType, state.lineMax
    state.parentType = "container"
    state.lineMax = next_line
    kind = "teacher" if name == "teacher" else "alert"
    token = state.push(f"container_{kind}_open", "aside" if kind == "teacher" else "div", 1)
    token.markup, token.block, token.info, token.map = match.group(1), True, title, [startLine, next_line]
    token.meta = {"name": name}
    state.md.block.tokenize(state, startLine + 1, next_line)
    token = state.push(f"container_{kind}_close", "aside" if kind == "teacher" else "div", -1)
    token.block = True
    state.parentType, state.lineMax = old_parent, old_max
    state.line = next_line + (1 if closed else 0)
    return True


def _report_unclosed(state: StateBlock, line: int, name: str) -> None:
    ctx, doc = state.env.get("lp"), state.env.get("doc")
    if ctx is None or doc is None:
        return
    if name == "teacher":
        ctx.error(
            doc,
            doc.line(line),
            Code.TEACHER_BLOCK,
            "'::: teacher' block is never closed; everything up to the end of its parent is teacher-only",
            "end the block with a line holding only ':::'",
            1,
        )
    else:
        ctx.warn(
            doc,
            doc.line(line),
            Code.DIRECTIVE,
            f"'::: {name}' block is never closed",
            "end the block with a line holding only ':::'",
            1,
        )


def _container_check_rule(state: StateCore) -> None:
    ctx, doc = state.env.get("lp"), state.env.get("doc")
    if ctx is None or doc is None:
        return
    tokens = state.tokens
    for i, token in enumerate(tokens):
        if token.type != "inline" or i == 0 or tokens[i - 1].type != "paragraph_open" or not token.map:
            continue
        first = token.content.split("\n", 1)[0]
        line = doc.line(token.map[0])
        if _CLOSE.match(first):
            ctx.warn(
                doc,
                line,
                Code.TEACHER_BLOCK,
                "':::' closes no open block; it is shown as text",
                "remove it, or open a block with '::: teacher'",
                1,
            )
        elif (match := _OPEN.match(first)) and match.group(2).lower() not in NAMES:
            close = did_you_mean(match.group(2).lower(), NAMES)
            message = f"unknown block '::: {match.group(2)}'; it is shown as text"
            if close == "did you mean 'teacher'?":  # a typo here would show teacher text to students
                ctx.error(doc, line, Code.TEACHER_BLOCK, message + ", also to students", close, 1)
            else:
                ctx.warn(doc, line, Code.DIRECTIVE, message, close or "known blocks: " + ", ".join(NAMES), 1)


def _render_teacher(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    if token.nesting == -1:
        return "</aside>\n"
    title = f'<p class="lp-teacher-title">{escape(token.info)}</p>\n' if token.info else ""
    return f'<aside class="lp-teacher-only" aria-label="{TEACHER_LABEL}">\n{title}'


def _render_alert(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    if token.nesting == -1:
        return "</div>\n"
    name = token.meta.get("name", "info")
    title = f'<p class="alert-title"><strong>{escape(token.info)}</strong></p>\n' if token.info else ""
    return f'<div class="alert alert-box alert-{name}">\n{title}'


def strip_teacher(tokens: list) -> list:
    """The token stream without teacher containers (the student variant)."""
    out, depth = [], 0
    for token in tokens:
        if token.type == "container_teacher_open":
            depth += 1
            continue
        if token.type == "container_teacher_close":
            depth = max(depth - 1, 0)
            continue
        if depth == 0:
            out.append(token)
    return out
