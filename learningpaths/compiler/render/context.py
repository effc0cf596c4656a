"""State shared by the rendering of one learning object: diagnostics, assets, references, URLs.

One ``RenderContext`` lives for one ``render_object`` call. Markdown plugins reach it through
``env["lp"]`` and the document being parsed through ``env["doc"]`` (see ``markdown.py``); they
record problems here instead of raising.
"""

from __future__ import annotations

import difflib
import posixpath
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import quote, unquote

from ..codes import Code
from ..options import CompileOptions
from ..result import Diagnostic, Question
from .types import Reference, RenderInput


@dataclass
class Doc:
    """A piece of source text being rendered, and where it sits in its file."""

    path: str  # display path for diagnostics
    line_base: int = 1  # 1-based line in the file of the text's first line
    text: str = ""

    def line(self, line0: int | None) -> int:
        """Source-file line of the 0-based line ``line0`` of this text (0 when unknown)."""
        return 0 if line0 is None else self.line_base + line0

    @cached_property
    def _lines(self) -> list[str]:
        # split once per text, not once per column asked for (raw HTML asks per tag: O(n^2) on big pages)
        return self.text.split("\n")

    def col(self, line0: int | None, needle: str) -> int:
        """1-based column of ``needle`` on the 0-based line ``line0``, or 0."""
        if line0 is None or not needle:
            return 0
        lines = self._lines
        if 0 <= line0 < len(lines):
            for candidate in (needle, unquote(needle)):  # Markdown URLs arrive percent-encoded
                pos = lines[line0].find(candidate)
                if pos >= 0:
                    return pos + 1
        return 0


def did_you_mean(word: str, candidates, *, cutoff: float = 0.6) -> str:
    """``"did you mean 'x'?"`` for the closest candidate, or ``""``."""
    close = difflib.get_close_matches(word, list(candidates), n=1, cutoff=cutoff)
    return f"did you mean '{close[0]}'?" if close else ""


def _fmt(template: str, default: str, **fields) -> str:
    try:
        return template.format(**fields)
    except (KeyError, IndexError, ValueError):
        return default.format(**fields)


def object_url(options: CompileOptions, hruid: str, language: str, version: int | None) -> str:
    """The address of an object's page; also used by the link phase to recognise links to it."""
    fields = {"hruid": quote(hruid, safe=""), "language": quote(language, safe="")}
    template = options.object_url
    if version is None:  # a version-less reference: the object's latest version
        template = template.replace("{version}/", "").replace("{version}", "latest")
        return _fmt(template, "/objects/{hruid}/{language}/", **fields)
    return _fmt(template, "/objects/{hruid}/{language}/{version}/", version=version, **fields)


def path_url(options: CompileOptions, hruid: str, language: str) -> str:
    return _fmt(
        options.path_url, "/paths/{hruid}/{language}/", hruid=quote(hruid, safe=""), language=quote(language, safe="")
    )


@dataclass
class AssetLink:
    """A relative path resolved against the object folder."""

    rel: str  # normalised POSIX path inside the folder ("" when it escapes the folder)
    url: str  # the URL to put in the HTML
    ok: bool  # the file exists
    fragment: str = ""


@dataclass
class RenderContext:
    inp: RenderInput
    diagnostics: list[Diagnostic] = field(default_factory=list)
    asset_refs: dict[str, bool] = field(default_factory=dict)
    references: list[Reference] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)
    cells: list[dict] = field(default_factory=list)
    transclusions: set[str] = field(default_factory=set)  # refs of the markers we emitted
    slugs: set[str] = field(default_factory=set)  # heading ids used so far
    question_ids: set[str] = field(default_factory=set)
    cell_ids: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.files = set(self.inp.files)
        self.options = self.inp.options
        self.key = self.inp.key
        self._seen: set[tuple] = set()
        self._counters: dict[tuple[int, str], int] = {}

    def unique(self, used: set[str], base: str, numbered: str, *, bare: bool = True) -> str:
        """``base`` (when ``bare``), else the first ``numbered.format(base=base, n=n)`` for n = 1, 2, ...
        that is not in ``used``; the name returned is added to ``used``.

        The search for each (set, base) resumes where the last one stopped: k headings or questions
        with one name cost O(k), not O(k^2). Names are only ever added to ``used``, so no lower
        number can have become free.
        """
        if bare and base not in used:
            used.add(base)
            return base
        counter = (id(used), base)
        n = self._counters.get(counter, 0) + 1
        while numbered.format(base=base, n=n) in used:
            n += 1
        self._counters[counter] = n
        slug = numbered.format(base=base, n=n)
        used.add(slug)
        return slug

    # -- diagnostics -------------------------------------------------------------------------
    def report(
        self, doc: Doc, line: int, severity: str, code: Code, message: str, hint: str = "", col: int = 0
    ) -> None:
        """Record a diagnostic; ``line`` is already a 1-based line of the source file."""
        item = (doc.path, line, col, severity, code.value, message, hint)
        if item in self._seen:
            return
        self._seen.add(item)
        self.diagnostics.append(Diagnostic(*item))

    def error(self, doc: Doc, line: int, code: Code, message: str, hint: str = "", col: int = 0) -> None:
        self.report(doc, line, "error", code, message, hint, col)

    def warn(self, doc: Doc, line: int, code: Code, message: str, hint: str = "", col: int = 0) -> None:
        self.report(doc, line, "warning", code, message, hint, col)

    # -- URLs --------------------------------------------------------------------------------
    def _fmt(self, template: str, default: str, **fields) -> str:
        return _fmt(template, default, **fields)

    def object_url(self, hruid: str, language: str, version: int | None) -> str:
        return object_url(self.options, hruid, language, version)

    def path_url(self, hruid: str, language: str) -> str:
        return path_url(self.options, hruid, language)

    def asset_url(self, rel: str) -> str:
        return self._fmt(
            self.options.asset_url,
            "/objects/{hruid}/{language}/{version}/assets/{path}",
            hruid=quote(self.key.hruid, safe=""),
            language=quote(self.key.language, safe=""),
            version=self.key.version,
            path=quote(rel, safe="/"),
        )

    def asset_prefix(self) -> str:
        """The URL prefix every asset of this object starts with (for the sanitiser)."""
        marker = "\x00"
        url = self._fmt(
            self.options.asset_url,
            "/objects/{hruid}/{language}/{version}/assets/{path}",
            hruid=quote(self.key.hruid, safe=""),
            language=quote(self.key.language, safe=""),
            version=self.key.version,
            path=marker,
        )
        return url.split(marker, 1)[0]

    # -- files -------------------------------------------------------------------------------
    def read_text(self, rel: str, doc: Doc, line: int) -> str | None:
        """The UTF-8 text of a file in the object folder, or None (with an ``lp.read`` error)."""
        try:
            return (self.inp.folder / rel).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            reason = "it is not UTF-8" if isinstance(exc, UnicodeDecodeError) else exc.strerror or str(exc)
            self.error(doc, line, Code.READ, f"cannot read '{rel}': {reason}", "save the file as UTF-8 text")
            return None

    # -- assets ------------------------------------------------------------------------------
    def resolve_asset(self, raw: str, doc: Doc, line0: int | None, teacher: bool, *, what: str = "file") -> AssetLink:
        """Resolve a relative URL from the source against the object folder.

        Records the asset (with its teacher-only flag) when it exists; reports
        ``lp.asset_missing`` / ``lp.asset_outside`` otherwise. Never raises.
        """
        path, _, fragment = raw.partition("#")
        path = path.partition("?")[0]
        path = unquote(path).replace("\\", "/")
        line = doc.line(line0)
        col = doc.col(line0, raw.partition("#")[0])
        norm = posixpath.normpath(path) if path else ""
        if path.startswith("/") or norm == ".." or norm.startswith("../"):
            self.error(
                doc,
                line,
                Code.ASSET_OUTSIDE,
                f"'{raw}' points outside the object folder",
                "put the file in this object's folder (e.g. embed/) and link to it relatively",
                col,
            )
            return AssetLink("", "#", False, fragment)
        rel = norm if norm != "." else ""
        url = self.asset_url(rel) + (f"#{fragment}" if fragment else "")
        if rel in self.files:
            self.asset_refs[rel] = self.asset_refs.get(rel, True) and teacher
            return AssetLink(rel, url, True, fragment)
        hint = did_you_mean(rel, self.files) or _near_by_case(rel, self.files)
        if not hint:
            hint = "the folder holds no such file; check the name and extension"
        self.error(
            doc, line, Code.ASSET_MISSING, f"{what} '{rel or raw}' does not exist in the object folder", hint, col
        )
        return AssetLink(rel, url, False, fragment)


def _near_by_case(rel: str, files) -> str:
    for name in files:
        if name.lower() == rel.lower():
            return f"did you mean '{name}'? (file names are case-sensitive)"
    base = posixpath.basename(rel)
    for name in sorted(files):
        if posixpath.basename(name) == base:
            return f"did you mean '{name}'?"
    return ""
