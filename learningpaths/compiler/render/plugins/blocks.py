"""Core rule ``lp_blocks``: lift block-level output out of paragraphs.

A directive written as an image (``![](@youtube/...)``, transclusions, widgets, PDFs, Blockly)
and display math produce block elements; inside ``<p>`` they would be invalid HTML that the
sanitiser's parser reshuffles. This rule splits such a paragraph into: paragraph (text before),
the block, paragraph (text after), dropping parts that hold only whitespace. Blocks nested in
emphasis or links stay inline.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from . import BLOCK_HTML, INLINE_HTML
from .math import DISPLAY_TYPES


def blocks_plugin(md: MarkdownIt) -> None:
    md.core.ruler.push("lp_blocks", _blocks_rule)


def _is_block(child: Token) -> bool:
    return (child.type == INLINE_HTML and child.meta.get("block")) or child.type in DISPLAY_TYPES


def _blank(children: list[Token]) -> bool:
    return all(c.type in ("softbreak", "hardbreak") or (c.type == "text" and not c.content.strip()) for c in children)


def _lift(child: Token, like: Token) -> Token:
    if child.type in DISPLAY_TYPES:
        token = Token("math_block", "math", 0, content=child.content, block=True, markup=child.markup)
    else:
        token = Token(BLOCK_HTML, "", 0, content=child.content + "\n", block=True)
    token.map = like.map
    token.meta = {"teacher": like.meta.get("teacher", False)}
    return token


def _split(p_open: Token, inline: Token, p_close: Token) -> list[Token] | None:
    children = inline.children or []
    depth, cut = 0, False
    for child in children:
        depth += child.nesting
        if depth == 0 and child.nesting == 0 and _is_block(child):
            cut = True
            break
    if not cut:
        return None
    out: list[Token] = []
    segment: list[Token] = []

    def flush() -> None:
        while segment and segment[-1].type in ("softbreak", "hardbreak"):
            segment.pop()
        while segment and segment[0].type in ("softbreak", "hardbreak"):
            segment.pop(0)
        if segment and not _blank(segment):
            if segment[0].type == "text":
                segment[0].content = segment[0].content.lstrip()
            if segment[-1].type == "text":
                segment[-1].content = segment[-1].content.rstrip()
            part = Token("inline", "", 0, children=list(segment), map=inline.map, meta=dict(inline.meta))
            out.extend([_copy(p_open), part, _copy(p_close)])
        segment.clear()

    depth = 0
    for child in children:
        depth += child.nesting
        if depth == 0 and child.nesting == 0 and _is_block(child):
            flush()
            out.append(_lift(child, inline))
        else:
            segment.append(child)
    flush()
    return out


def _copy(token: Token) -> Token:
    return Token(
        token.type,
        token.tag,
        token.nesting,
        map=token.map,
        level=token.level,
        block=token.block,
        meta=dict(token.meta),
        attrs=dict(token.attrs),
    )


def _blocks_rule(state: StateCore) -> None:
    tokens = state.tokens
    if not any(t.type == "inline" and any(_is_block(c) for c in t.children or []) for t in tokens):
        return
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if (
            token.type == "paragraph_open"
            and not token.hidden
            and i + 2 < len(tokens)
            and tokens[i + 1].type == "inline"
            and tokens[i + 2].type == "paragraph_close"
        ):
            parts = _split(token, tokens[i + 1], tokens[i + 2])
            if parts is not None:
                out.extend(parts)
                i += 3
                continue
        out.append(token)
        i += 1
    state.tokens = out
