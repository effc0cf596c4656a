"""Render one learning object's source to sanitised HTML (student and teacher variants).

This is the boundary between the pipeline (discovery, validation, resolution) and rendering.
The pipeline calls ``render_object`` once per object and afterwards substitutes transclusion
markers (``<div class="lp-transclusion" data-lp-object="hruid/lang/version"></div>``, version may
be ``latest``) with the target object's HTML, choosing the student or teacher variant.

Modules: ``content_types`` picks what to render per content type; ``markdown`` holds the one
configured MarkdownIt with the ``plugins`` (scope/raw HTML, containers, math, links and
directives, fences, block lifting, anchors); ``directives``, ``links``, ``media``, ``widgets``,
``cells``, ``gift``, ``questions``, ``forms``, ``ct_schema`` build pieces; ``rawhtml`` rewrites
author HTML; ``sanitize`` is the security boundary. The author's guide is docs/authoring.md.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..codes import Code
from ..options import CompileOptions
from ..result import Diagnostic, ObjectKey, Question

_EMPTY_P = re.compile(r"<p>\s*</p>\n?")
TRANSCLUSION_MARKER = '<div class="lp-transclusion" data-lp-object="{ref}"></div>'


@dataclass(frozen=True)
class RenderInput:
    key: ObjectKey
    content_type: str  # already validated by the pipeline
    folder: Path  # absolute path of the object folder
    source_path: str  # display path of the source file, for diagnostics
    body: str | None  # Markdown/text body of index.md; None for metadata.md / metadata.yaml objects
    body_line: int  # 1-based line of the source file on which ``body`` starts
    files: tuple[str, ...]  # POSIX paths of every file in the folder (no metadata.*, no dotfiles)
    metadata: dict  # normalised metadata (content_location, aspect_ratio, title, ...)
    options: CompileOptions


@dataclass(frozen=True)
class Reference:
    """A reference to another learning object found while rendering."""

    hruid: str
    language: str
    version: int | None  # None: the latest version
    kind: str  # "transclude" | "link" | "path" (a rewritten dwengo.org learning-path link)
    line: int  # 1-based line in the source file
    teacher_only: bool  # found only inside a teacher-only block


@dataclass
class Rendered:
    html: str  # student variant: teacher-only blocks removed; transclusion markers in place
    teacher_html: str  # teacher variant: teacher-only blocks kept (wrapped in aside.lp-teacher-only)
    asset_refs: dict[str, bool] = field(default_factory=dict)  # rel path -> referenced only from teacher blocks
    references: list[Reference] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # Runnable cells in document order: {"n", "id", "code", "line", "setup", "options", "teacher_only"}.
    cells: list[dict] = field(default_factory=list)
    # Ids of the questions that sit only in teacher-only blocks (absent from ``html``).
    teacher_only_questions: list[str] = field(default_factory=list)


def render(inp: RenderInput) -> Rendered:
    """``render_object`` without the safety net (tests call this to see real exceptions)."""
    from .content_types import render_content
    from .context import RenderContext
    from .sanitize import make_cleaner, remove_teacher_only

    ctx = RenderContext(inp)
    cleaner = make_cleaner(iframe_allowlist=inp.options.iframe_allowlist, asset_prefix=ctx.asset_prefix(),
                           transclusions=ctx.transclusions)
    def clean(html: str) -> str:
        # The HTML parser closes a <p> before a block element that raw HTML put inside it,
        # leaving empty paragraphs behind; drop those.
        return _EMPTY_P.sub("", cleaner.clean(html)).lstrip("\n")

    student, teacher = render_content(ctx, clean)
    teacher_html = clean(teacher)
    student_html = teacher_html if student == teacher else clean(student)
    student_html = remove_teacher_only(student_html).lstrip("\n")
    return Rendered(
        html=student_html, teacher_html=teacher_html, asset_refs=ctx.asset_refs, references=ctx.references,
        questions=ctx.questions, diagnostics=sorted(ctx.diagnostics, key=lambda d: (d.path, d.line, d.col)),
        cells=ctx.cells, teacher_only_questions=ctx.teacher_questions,
    )


def render_object(inp: RenderInput) -> Rendered:
    """Render one object. Never raises: problems are diagnostics, even a bug in the renderer."""
    try:
        return render(inp)
    except Exception as exc:  # a renderer bug must not stop the build; report it on the object
        diagnostic = Diagnostic(
            path=inp.source_path, line=0, col=0, severity="error", code=Code.RENDER_INTERNAL.value,
            message=f"the renderer failed on this object ({exc.__class__.__name__}: {exc})",
            hint="this is a bug in learningpaths; please report it with the file",
        )
        return Rendered(html="", teacher_html="", diagnostics=[diagnostic])
