"""Rendering of Markdown fragments (question prompts, option labels) with the parser's own rules.

Takes the configured ``MarkdownIt`` as an argument: a core rule passes ``state.md`` (the parser
that is running it), so no plugin has to import ``markdown.py``, which imports every plugin.
"""

from __future__ import annotations

from markdown_it import MarkdownIt

from .context import Doc, RenderContext
from .forms import MarkdownFn
from .plugins.containers import strip_teacher


def fragment_renderer(md: MarkdownIt, ctx: RenderContext, teacher: bool = False) -> MarkdownFn:
    """A function rendering prompts and labels: ``(text, doc, block) -> HTML``, before sanitising."""

    def render(text: str, doc: Doc, block: bool) -> str:
        env = {"lp": ctx, "doc": doc, "teacher": teacher}
        if block:
            tokens = strip_teacher(md.parse(text, env))
            return md.renderer.render(tokens, md.options, env).strip()
        return md.renderer.render(md.parseInline(text, env), md.options, env)

    return render
