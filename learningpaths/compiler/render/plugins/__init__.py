"""markdown-it plugins, one per module: ``xxx_plugin(md)`` registers private ``_xxx_rule`` functions.

Core rules find the object's ``RenderContext`` in ``env["lp"]`` and the text being parsed in
``env["doc"]``; they record diagnostics there and never raise. Without those keys (a plain
``md.render``) they do nothing.
"""

from __future__ import annotations

from collections.abc import Iterator

from markdown_it.token import Token

BLOCK_HTML = "lp_block"  # a block-level token whose ``content`` is trusted, pre-rendered HTML
INLINE_HTML = "lp_html"  # an inline token (in ``children``) whose ``content`` is trusted HTML


def children_with_lines(token: Token) -> Iterator[tuple[Token, int | None]]:
    """Each child of an inline token with the 0-based line it starts on (None when unknown)."""
    line0 = token.map[0] if token.map else None
    for child in token.children or []:
        yield child, line0
        if line0 is not None:
            if child.type in ("softbreak", "hardbreak"):
                line0 += 1
            elif child.type in (
                "text",
                "code_inline",
                "html_inline",
                "math_inline",
                "math_display",
                "math_inline_double",
            ):
                line0 += child.content.count("\n")


def is_teacher(token: Token) -> bool:
    return bool(token.meta.get("teacher")) if token.meta else False


def html_token(html: str, *, block: bool, child: bool = False, like: Token | None = None) -> Token:
    """A token carrying pre-rendered HTML, inheriting position and scope from ``like``.

    ``child``: it goes into an inline token's children (``block`` then says it should be lifted
    out of its paragraph, see blocks.py); otherwise it is a block token itself.
    """
    token = Token(INLINE_HTML if child else BLOCK_HTML, "", 0, content=html, block=block and not child)
    token.meta = {"block": block}
    if like is not None:
        token.map = like.map
        token.meta["teacher"] = is_teacher(like)
    return token


def plain_text(tokens: list[Token] | None) -> str:
    """The visible text of inline children (for slugs, alt text, prompts)."""
    out = []
    for t in tokens or []:
        if t.type in ("text", "code_inline", "math_inline", "math_display", "math_inline_double"):
            out.append(t.content)
        elif t.type in ("softbreak", "hardbreak"):
            out.append(" ")
        elif t.type == "image":
            out.append(plain_text(t.children))
    return "".join(out)


def render_html_rule(self, tokens, idx, options, env) -> str:
    return tokens[idx].content
