"""Core rule ``lp_figures``: an image alone in its paragraph, with a title, becomes a figure.

``![A filter slides over an image](img/convolution.svg "A convolution")`` renders as
``<figure class="lp-figure"><img ...><figcaption>A convolution</figcaption></figure>``:
the alt text stays the description for screen readers, the title becomes the caption everyone
reads under the picture. An image inside a sentence, without a title, or whose title only repeats
its alt text stays an image as Dwengo renders it.
"""

from __future__ import annotations

from html import escape

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore

from . import html_token, plain_text


def figures_plugin(md: MarkdownIt) -> None:
    md.core.ruler.push("lp_figures", _figures_rule)


def _figures_rule(state: StateCore) -> None:
    tokens = state.tokens
    for i in range(len(tokens) - 2):
        opening, inline, closing = tokens[i], tokens[i + 1], tokens[i + 2]
        if opening.type != "paragraph_open" or inline.type != "inline" or closing.type != "paragraph_close":
            continue
        if opening.hidden:  # a tight list item's paragraph: its image stays inline
            continue
        children = [c for c in inline.children or [] if not (c.type == "text" and not c.content.strip())]
        if len(children) != 1 or children[0].type != "image":
            continue
        title = str(children[0].attrGet("title") or "").strip()
        # No title, or one that repeats the alt text (common in Dwengo's content, whose pages show it
        # as a tooltip only): no caption, the image stays as Dwengo renders it.
        if not title or title == plain_text(children[0].children).strip():
            continue
        del children[0].attrs["title"]  # the caption says it; a tooltip too would be read twice
        tokens[i] = html_token('<figure class="lp-figure">\n', block=True, like=opening)
        tokens[i + 2] = html_token(f"<figcaption>{escape(title)}</figcaption>\n</figure>\n", block=True, like=closing)
