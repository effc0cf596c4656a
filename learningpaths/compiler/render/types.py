"""The renderer's boundary types: what the pipeline hands in, and what comes back.

The pipeline builds one :class:`RenderInput` per object and gets one :class:`Rendered`; the
renderer records every :class:`Reference` it finds, and leaves a ``TRANSCLUSION_MARKER`` where
another object is embedded (the link phase, ``transclude.py``, fills it in). These types import
nothing from the renderer, so every module of it can import them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..options import CompileOptions
from ..result import Diagnostic, ObjectKey, Question

# ``ref`` is ``hruid/lang/version``; version may be ``latest``.
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

    @property
    def teacher_only_questions(self) -> list[str]:
        """Ids of the questions that sit only in teacher-only blocks (absent from ``html``)."""
        return [q.id for q in self.questions if q.teacher_only]
