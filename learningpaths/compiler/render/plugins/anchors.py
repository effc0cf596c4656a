"""Heading anchors, as Dwengo renders them: ``<hN id="slug"><a class="anchor" href="#slug">…</a>Title</hN>``.

The slug is the heading text lower-cased with runs of non-word characters replaced by ``-``
(Dwengo's rule; trimmed of dashes), made unique per page with ``-1``, ``-2``… Headings outside
teacher blocks are numbered first, so the student page's ids do not depend on teacher text.
"""

from __future__ import annotations

import re
from html import escape

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore

from . import is_teacher, plain_text

_NON_WORD = re.compile(r"[\W_]+")


def slugify(text: str) -> str:
    return _NON_WORD.sub("-", text.lower()).strip("-") or "section"


def anchors_plugin(md: MarkdownIt) -> None:
    md.core.ruler.push("lp_anchors", _anchors_rule)
    md.add_render_rule("heading_open", _render_heading_open)


def _anchors_rule(state: StateCore) -> None:
    tokens = state.tokens
    ctx = state.env.get("lp")
    used: set[str] = ctx.slugs if ctx is not None else set()  # shared by all texts of one object
    headings = [i for i, t in enumerate(tokens) if t.type == "heading_open" and i + 1 < len(tokens)]
    for want_teacher in (False, True):
        for i in headings:
            if is_teacher(tokens[i]) != want_teacher:
                continue
            base = slugify(plain_text(tokens[i + 1].children))
            if ctx is not None:
                slug = ctx.unique(used, base, "{base}-{n}")
            else:
                slug, n = base, 0
                while slug in used:
                    n += 1
                    slug = f"{base}-{n}"
                used.add(slug)
            tokens[i].attrSet("id", slug)


def _render_heading_open(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    html = self.renderToken(tokens, idx, options, env)
    slug = token.attrGet("id")
    if not slug:
        return html
    return (
        f'{html}<a class="anchor" href="#{escape(str(slug), quote=True)}" aria-label="Link to this section">'
        '<span class="header-link"></span></a>'
    )
