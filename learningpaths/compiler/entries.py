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
    """One accepted object on its way through the phases; made by :meth:`accept`."""

    src: ObjectSource
    record: ObjectRecord
    key: ObjectKey  # record.key, known to be set
    metadata: dict[str, Any]  # record.metadata, known to be set
    source_hash: str
    data: bytes = b""  # the source file (its body is re-read from here when the cached record has none)
    render_result: Rendered | None = None  # set by the render phase (render_pool.render_entries)

    @classmethod
    def accept(cls, src: ObjectSource, record: ObjectRecord, source_hash: str, data: bytes) -> Entry | None:
        """The entry for a renderable record; None for one that is not (the caller skips it)."""
        # A renderable record always has a key and metadata (validate_object); the checks say so to the type.
        if not record.renderable or record.key is None or record.metadata is None:
            return None
        return cls(src, record, record.key, record.metadata, source_hash, data)

    @property
    def rendered(self) -> Rendered:
        # Read only by the phases after render_entries, which sets a result on every entry.
        assert self.render_result is not None, f"{self.src.display} was not rendered"
        return self.render_result

    def body(self) -> str | None:
        if self.record.body is not None or self.src.kind != "index.md":
            return self.record.body
        text = self.data.decode("utf-8").lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
        return split_front_matter(text, self.src.display, Reporter()).body

    @property
    def teacher_exclusive(self) -> bool:
        return bool(self.metadata.get("teacher_exclusive"))
