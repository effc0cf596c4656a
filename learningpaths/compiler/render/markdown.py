"""The one configured MarkdownIt, and rendering of a Markdown text into student/teacher HTML.

CommonMark with raw HTML on (authors are trusted to write HTML; ``sanitize.py`` makes it safe),
GFM tables and strikethrough, no linkify/typographer. Our plugins add, in this order of core
rules: scope + raw HTML (``lp_scope``), container checks, links/images/directives
(``lp_links``), fenced blocks (``lp_fences``), block lifting (``lp_blocks``) and heading
anchors (``lp_anchors``).

The text is parsed once; the teacher variant renders every token, the student variant renders
the tokens outside ``::: teacher`` containers. Everything recorded while parsing (assets,
references, questions, cells) carries the teacher-only flag of where it was found.
"""

from __future__ import annotations

from functools import lru_cache

from markdown_it import MarkdownIt

from .context import Doc, RenderContext
from .plugins.anchors import anchors_plugin
from .plugins.blocks import blocks_plugin
from .plugins.containers import containers_plugin, strip_teacher
from .plugins.fences import fences_plugin
from .plugins.figures import figures_plugin
from .plugins.htmlpre import htmlpre_plugin
from .plugins.links import links_plugin
from .plugins.math import math_plugin
from .plugins.rawhtml import rawhtml_plugin


class _MarkdownIt(MarkdownIt):
    """MarkdownIt with our link rule: ``validateLink`` overridden, not assigned on the instance (it is a method)."""

    def validateLink(self, url: str) -> bool:
        return _validate_link(url)


@lru_cache(maxsize=1)
def get_md() -> MarkdownIt:
    md = _MarkdownIt("commonmark", {"html": True, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    for plugin in (
        htmlpre_plugin,
        containers_plugin,
        math_plugin,
        rawhtml_plugin,
        links_plugin,
        fences_plugin,
        blocks_plugin,
        figures_plugin,
        anchors_plugin,
    ):
        md.use(plugin)
    return md


_BAD_SCHEMES = ("javascript:", "vbscript:", "file:")


def _validate_link(url: str) -> bool:
    """markdown-it's rule (no script URLs; ``data:`` only for a few image types), kept explicit."""
    low = url.strip().lower()
    if low.startswith(_BAD_SCHEMES):
        return False
    if low.startswith("data:"):
        return low.startswith(("data:image/gif;", "data:image/png;", "data:image/jpeg;", "data:image/webp;"))
    return True


def render_markdown(ctx: RenderContext, doc: Doc, *, teacher: bool = False) -> tuple[str, str]:
    """(student HTML, teacher HTML) of ``doc.text``, before sanitising."""
    md = get_md()
    env = {"lp": ctx, "doc": doc, "teacher": teacher}
    tokens = md.parse(doc.text, env)
    teacher_html = md.renderer.render(tokens, md.options, env)
    student_tokens = strip_teacher(tokens)
    if len(student_tokens) == len(tokens):
        return teacher_html, teacher_html
    return md.renderer.render(student_tokens, md.options, env), teacher_html
