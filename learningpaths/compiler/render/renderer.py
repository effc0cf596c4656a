"""Render one learning object's source to sanitised HTML (student and teacher variants).

``render_object`` is the renderer's one safety net: whatever goes wrong inside it (a bug in a
plugin, a content type, the GIFT parser, the sanitiser) becomes a single ``lp.render_internal``
error on the object's file, and the build goes on. Nothing below it catches exceptions it does
not expect; author problems are diagnostics recorded on the ``RenderContext``.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..codes import Code
from ..result import Diagnostic
from .content_types import render_content
from .context import RenderContext
from .forms import feedback_map
from .sanitize import make_cleaner, remove_teacher_only
from .types import Rendered, RenderInput

_EMPTY_P = re.compile(r"<p>\s*</p>\n?")


def render(inp: RenderInput) -> Rendered:
    """``render_object`` without the safety net (tests call this to see real exceptions)."""
    ctx = RenderContext(inp)
    cleaner = make_cleaner(
        iframe_allowlist=inp.options.iframe_allowlist, asset_prefix=ctx.asset_prefix(), transclusions=ctx.transclusions
    )

    def clean(html: str) -> str:
        # The HTML parser closes a <p> before a block element that raw HTML put inside it,
        # leaving empty paragraphs behind; drop those.
        return _EMPTY_P.sub("", cleaner.clean(html)).lstrip("\n")

    student, teacher = render_content(ctx, clean)
    # Feedback is content too: the same cleaner as the page's HTML.
    questions = [replace(q, key=feedback_map(q.key, lambda html: clean(html).strip())) for q in ctx.questions]
    teacher_html = clean(teacher)
    student_html = teacher_html if student == teacher else clean(student)
    student_html = remove_teacher_only(student_html).lstrip("\n")
    return Rendered(
        html=student_html,
        teacher_html=teacher_html,
        asset_refs=ctx.asset_refs,
        references=ctx.references,
        questions=questions,
        diagnostics=sorted(ctx.diagnostics, key=lambda d: (d.path, d.line, d.col)),
        cells=ctx.cells,
    )


def render_object(inp: RenderInput) -> Rendered:
    """Render one object. Never raises: problems are diagnostics, even a bug in the renderer."""
    try:
        return render(inp)
    except Exception as exc:  # noqa: BLE001 - a renderer bug must not stop the build; report it on the object
        diagnostic = Diagnostic(
            path=inp.source_path,
            line=0,
            col=0,
            severity="error",
            code=Code.RENDER_INTERNAL.value,
            message=f"the renderer failed on this object ({exc.__class__.__name__}: {exc})",
            hint="this is a bug in learningpaths; please report it with the file",
        )
        return Rendered(html="", teacher_html="", diagnostics=[diagnostic])
