"""The records one learning object carries through the phases (parse/validate, then render and link)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .diagnostics import Reporter
from .frontmatter import split_front_matter
from .reader import ObjectSource
from .render import Rendered
from .result import Diagnostic, ObjectKey


@dataclass
class ObjectRecord:
    """Parse + validate of one source (cached by its bytes)."""

    metadata: dict[str, Any] | None
    key: ObjectKey | None
    renderable: bool
    body: str | None
    body_line: int
    hruid_pos: tuple[int, int]  # (line, col) of the hruid, where duplicates are reported
    diagnostics: list[Diagnostic] = field(default_factory=list)


@dataclass
class Entry:
    """One accepted object on its way through the phases."""

    src: ObjectSource
    record: ObjectRecord
    source_hash: str
    data: bytes = b""  # the source file (its body is re-read from here when the cached record has none)
    rendered: Rendered | None = None

    def body(self) -> str | None:
        if self.record.body is not None or self.src.kind != "index.md":
            return self.record.body
        text = self.data.decode("utf-8").lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
        return split_front_matter(text, self.src.display, Reporter()).body

    @property
    def key(self) -> ObjectKey:
        return self.record.key

    @property
    def teacher_exclusive(self) -> bool:
        return bool(self.record.metadata.get("teacher_exclusive"))
