"""Core rule ``lp_links``: images and links in Markdown.

- ``![alt](@directive/...)`` → pre-rendered HTML (directives.py), lifted out of paragraphs later;
- ``[text](@directive/...)`` → href from the directive;
- relative paths → the object's asset URL (missing files reported, element kept with
  class ``lp-asset-missing``); ``..`` escaping the folder is an error;
- dwengo.org learning-path / object API URLs → internal routes (links.py);
- external links get ``target="_blank"`` (the sanitiser adds ``rel="noopener noreferrer"``);
- images keep alt and title; a missing alt is a warning.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from ...codes import Code
from ..directives import embed_directive, link_directive
from ..links import kind_of, rewrite_href, rewrite_src
from . import BLOCK_HTML, INLINE_HTML, children_with_lines, html_token, is_teacher, plain_text, render_html_rule


def links_plugin(md: MarkdownIt) -> None:
    md.core.ruler.push("lp_links", _links_rule)
    md.add_render_rule(INLINE_HTML, render_html_rule)
    md.add_render_rule(BLOCK_HTML, render_html_rule)


def _links_rule(state: StateCore) -> None:
    ctx, doc = state.env.get("lp"), state.env.get("doc")
    if ctx is None or doc is None:
        return
    for token in state.tokens:
        if token.type != "inline" or not token.children:
            continue
        children: list[Token] = []
        for child, line0 in children_with_lines(token):
            teacher = is_teacher(child) or is_teacher(token)
            if child.type == "image":
                children.append(_image(ctx, doc, line0, teacher, child))
                continue
            if child.type == "link_open":
                _link(ctx, doc, line0, teacher, child)
            children.append(child)
        token.children = children


def _image(ctx, doc, line0, teacher: bool, token: Token) -> Token:
    src = str(token.attrGet("src") or "")
    alt = plain_text(token.children)
    title = str(token.attrGet("title") or "")
    if kind_of(src) == "directive":
        html, block = embed_directive(ctx, doc, line0, teacher, src, alt, title)
        return html_token(html, block=block, child=True, like=token)
    href = rewrite_src(ctx, doc, line0, teacher, src)
    token.attrSet("src", href.url)
    if href.broken:
        token.attrJoin("class", "lp-asset-missing")
    if not alt.strip():
        ctx.warn(
            doc,
            doc.line(line0),
            Code.IMAGE_ALT,
            f"image '{src}' has no alt text",
            f"describe what it shows: ![description]({src})",
            doc.col(line0, src),
        )
    return token


def _link(ctx, doc, line0, teacher: bool, token: Token) -> None:
    href = str(token.attrGet("href") or "")
    if kind_of(href) == "directive":
        url, extra = link_directive(ctx, doc, line0, teacher, href)
        token.attrSet("href", url)
        for name, value in extra.items():
            token.attrSet(name, value)
        return
    result = rewrite_href(ctx, doc, line0, teacher, href)
    token.attrSet("href", result.url)
    if result.external:
        token.attrSet("target", "_blank")
    if result.broken:
        token.attrJoin("class", "lp-asset-missing")
