"""What the compiler hands to the site: plain dataclasses, no Django.

The Django side (``learningpaths.paths.services.content_sync``) loads a
``CompileResult`` into the database; nothing else crosses that boundary.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True, order=True)
class ObjectKey:
    """Identity of a learning object: (hruid, language, version)."""

    hruid: str
    language: str
    version: int

    def __str__(self) -> str:
        return f"{self.hruid}/{self.language}/{self.version}"


@dataclass(frozen=True)
class Diagnostic:
    """One author-facing problem, printed as ``path:line:col: severity: message [code]``."""

    path: str  # relative to the content root's parent, as the author typed it
    line: int  # 1-based; 0 when the problem concerns the whole file
    col: int  # 1-based; 0 when unknown
    severity: str  # "error" | "warning"
    code: str  # stable, e.g. "lp.field_missing"
    message: str
    hint: str = ""  # "did you mean ...?" or how to fix it

    def format(self) -> str:
        text = f"{self.path}:{self.line}:{self.col}: {self.severity}: {self.message} [{self.code}]"
        return f"{text}\n    hint: {self.hint}" if self.hint else text

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
            "hint": self.hint,
        }


@dataclass(frozen=True)
class Asset:
    """A file from an object's folder that its HTML references."""

    rel_path: str  # POSIX path relative to the object folder, e.g. "embed/x.png"
    source: Path  # absolute path on disk
    sha256: str
    size: int
    teacher_only: bool  # referenced only from teacher-only blocks


@dataclass(frozen=True)
class Question:
    """A question in an object. ``key`` (the answer key) is teacher-only data, never in HTML."""

    id: str  # stable within the object, e.g. "q1"
    kind: str  # multiple_choice | true_false | short_answer | numerical | matching | essay
    prompt: str  # plain text of the question stem
    options: list[str] = field(default_factory=list)  # choices shown to the student (no key)
    key: Any = None  # kind-specific answer key, or None when there is none (essay)
    line: int = 0
    # Inside a teacher-only block (or a teacher-exclusive object): the site never lets a student
    # or an anonymous visitor find, answer or be graded on it.
    teacher_only: bool = False


@dataclass
class CompiledObject:
    key: ObjectKey
    source_path: str  # path of index.md / metadata.md / metadata.yaml, relative like Diagnostic.path
    metadata: dict[str, Any]  # normalised Dwengo fields (see schema.py); JSON-serialisable
    html: str  # what a student may see: teacher-only blocks and teacher-exclusive transclusions removed
    teacher_html: str  # everything
    text: str  # plain text of ``html``, for search
    teacher_text: str  # plain text of ``teacher_html``
    assets: list[Asset] = field(default_factory=list)
    transclusions: list[ObjectKey] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)
    content_hash: str = ""  # changes whenever anything that affects the rendered output changes


@dataclass(frozen=True)
class CompiledTransition:
    next: ObjectKey
    default: bool = False
    condition: str = ""  # JSONPath as in Dwengo (D1 semantics); "" means unconditional


@dataclass
class CompiledNode:
    key: ObjectKey  # resolved: a version-less or string version reference becomes a concrete int
    start_node: bool = False
    instruction: str = ""
    transitions: list[CompiledTransition] = field(default_factory=list)
    line: int = 0


@dataclass
class CompiledPath:
    hruid: str
    language: str
    title: str
    description: str
    source_path: str
    nodes: list[CompiledNode]  # in traversal order from the start node (breadth-first), then any others
    image: bytes | None = None  # decoded from base64 or read from a file
    image_mime: str = ""
    keywords: list[str] = field(default_factory=list)
    min_age: int | None = None  # derived from the nodes' target_ages
    max_age: int | None = None
    estimated_time: int = 0  # sum over nodes, minutes
    content_hash: str = ""


@dataclass
class CompileResult:
    objects: list[CompiledObject]
    paths: list[CompiledPath]
    diagnostics: list[Diagnostic]
    skipped: list[str] = field(default_factory=list)  # sources left out because of errors
    seconds: float = 0.0

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "warning"]

    def accepted(self, *, strict: bool = False) -> bool:
        """True when the build may be loaded: no errors (and, with strict, no warnings)."""
        return not self.errors and not (strict and self.warnings)
