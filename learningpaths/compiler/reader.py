"""Phase 1, discover: find learning objects and learning paths the way Dwengo does.

Rules (FORMAT.md 2.2, LOR ``checkDirRec``):

* A folder holding ``index.md``, ``metadata.md`` or ``metadata.yaml`` is one learning object; all
  its files, subfolders included, belong to it. Its folder name is *not* its identity.
* Several of those three files in one folder is ``lp.ambiguous_source`` (an error). Dwengo's
  precedence (index.md, then metadata.md, then metadata.yaml) picks the one that is compiled, so
  the author still sees the problems of that file in the same run.
* An object folder inside another object folder is ``lp.nested_object``: a **warning, and the
  nested object is not compiled** (Dwengo skips it silently). Its files stay files of the outer
  object, as on Dwengo.
* ``*.json`` (Dwengo) and ``*.yaml``/``*.yml`` (our authors) in a folder whose path matches
  ``learning.paths?`` are learning paths. The folder path is matched relative to the content
  root's parent, so where the checkout lives on disk does not matter.
* Names starting with a dot are ignored everywhere; symlinked folders are not followed.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from .codes import Code
from .diagnostics import Reporter
from .limits import describe_char
from .result import Diagnostic

OBJECT_SOURCES = ("index.md", "metadata.md", "metadata.yaml")  # in Dwengo's order of precedence
PATH_FOLDER = re.compile(r"learning.paths?")
PATH_SUFFIXES = (".json", ".yaml", ".yml")


@dataclass(frozen=True)
class FileStat:
    rel: str  # POSIX path relative to the object folder
    size: int
    mtime_ns: int


@dataclass(frozen=True)
class ObjectSource:
    folder: Path  # absolute
    source: Path  # absolute path of index.md / metadata.md / metadata.yaml
    display: str  # the source's path as shown in diagnostics
    files: tuple[FileStat, ...]  # every other file of the folder, top level first

    @property
    def kind(self) -> str:
        return self.source.name

    @property
    def file_names(self) -> tuple[str, ...]:
        return tuple(f.rel for f in self.files)


@dataclass(frozen=True)
class PathSource:
    file: Path  # absolute
    display: str


@dataclass
class Discovery:
    objects: list[ObjectSource] = field(default_factory=list)
    paths: list[PathSource] = field(default_factory=list)


def _display_root(root: Path) -> tuple[str, Path]:
    """The name diagnostics and ``source_path`` start with for a source, and the folder it stands for."""
    if root.is_file():
        return root.parent.name, root.parent
    return root.name or root.as_posix(), root


def editor_path(sources: list[Path]) -> Callable[[str], str]:
    """How a display path (``content/a/index.md``) reads in a terminal an editor links from.

    Internally a file is named from its source folder's name (stable between machines, and stored
    as ``source_path``); a terminal needs the folder as the author reaches it: as typed when
    relative (``../dwengo/learning_objects/...``), relative when an absolute source lies inside the
    working folder, else absolute.
    """
    prefixes: dict[str, str] = {}
    for given in sources:
        name, folder = _display_root(Path(os.path.abspath(given)))
        relative = os.path.relpath(folder)
        if Path(given).is_absolute() and relative.startswith(".."):
            relative = folder.as_posix()
        prefixes.setdefault(name, Path(relative).as_posix())

    def shown(display: str) -> str:
        head, sep, rest = display.partition("/")
        return f"{prefixes[head]}{sep}{rest}" if head in prefixes else display

    return shown


def editor_paths(diagnostics: list[Diagnostic], sources: list[Path]) -> list[Diagnostic]:
    """``diagnostics`` with :func:`editor_path`'s paths."""
    shown = editor_path(sources)
    return [replace(d, path=shown(d.path)) for d in diagnostics]


def discover(sources: list[Path], reporter: Reporter) -> Discovery:
    found = Discovery()
    for given in sources:
        root = Path(os.path.abspath(given))
        if root.is_dir():
            _walk(str(root), root.name or root.as_posix(), found, reporter)
        elif root.is_file() and root.name in OBJECT_SOURCES:
            _walk(str(root.parent), root.parent.name, found, reporter)
        elif root.is_file() and root.suffix in PATH_SUFFIXES:
            found.paths.append(PathSource(root, f"{root.parent.name}/{root.name}"))
        elif root.exists():
            reporter.error(
                str(given),
                0,
                Code.READ,
                "not a learning object folder, a path file or a folder of them",
                hint="pass a content folder, an index.md/metadata.md/metadata.yaml or a path .json/.yaml",
            )
        else:
            reporter.error(str(given), 0, Code.READ, "no such file or folder")
    return found


def _scan(folder: str, display: str, reporter: Reporter) -> tuple[list[os.DirEntry], list[os.DirEntry]]:
    """The visible files and subfolders of ``folder``, sorted by name. Paths are strings here: this
    loop runs for every folder of the content, and pathlib would triple its cost."""
    try:
        with os.scandir(folder) as it:
            entries = sorted((e for e in it if not e.name.startswith(".")), key=lambda e: e.name)
    except OSError as exc:
        reporter.error(display, 0, Code.READ, f"cannot list folder: {exc.strerror or exc}")
        return [], []
    links = [e for e in entries if e.is_symlink()]
    for link in links:  # a link could publish any file of the machine as an asset
        reporter.warning(
            f"{display}/{link.name}",
            0,
            Code.READ,
            "symbolic links are not followed; this one is ignored",
            hint="copy the file or folder instead",
        )
    files = [e for e in entries if e.is_file(follow_symlinks=False)]
    dirs = [e for e in entries if e.is_dir(follow_symlinks=False)]
    return files, dirs


def _walk(root: str, root_display: str, found: Discovery, reporter: Reporter) -> None:
    stack = [(root, root_display)]
    while stack:
        folder, display = stack.pop()
        files, dirs = _scan(folder, display, reporter)
        names = {e.name for e in files}
        markers = [name for name in OBJECT_SOURCES if name in names]
        if markers:
            found.objects.append(_object(folder, display, markers, files, dirs, reporter))
            continue  # Dwengo does not look for objects below an object folder
        if PATH_FOLDER.search(display):
            found.paths.extend(
                PathSource(Path(e.path), f"{display}/{e.name}") for e in files if e.name.endswith(PATH_SUFFIXES)
            )
        stack.extend((d.path, f"{display}/{d.name}") for d in reversed(dirs))


def object_at(folder: str, display: str, reporter: Reporter) -> ObjectSource | None:
    """The object of one folder, scanned again as :func:`discover` scans it; None when the folder
    is gone or holds no source any more (then only a whole new discovery knows what it is).

    The live preview's one-object change: its folder is read again, not the whole tree.
    """
    if not os.path.isdir(folder):
        return None
    files, dirs = _scan(folder, display, reporter)
    names = {e.name for e in files}
    markers = [name for name in OBJECT_SOURCES if name in names]
    return _object(folder, display, markers, files, dirs, reporter) if markers else None


def _object(folder: str, display: str, markers: list[str], files, dirs, reporter: Reporter) -> ObjectSource:
    source_display = f"{display}/{markers[0]}"
    if len(markers) > 1:
        reporter.error(
            source_display,
            0,
            Code.AMBIGUOUS_SOURCE,
            f"folder has several learning-object sources ({', '.join(markers)}); using {markers[0]}",
            hint="keep exactly one of index.md, metadata.md, metadata.yaml per folder",
        )
    found = [_stat(e, e.name) for e in files if e.name not in OBJECT_SOURCES]
    todo = [(d.path, d.name) for d in dirs]
    while todo:
        sub, rel = todo.pop(0)
        sub_files, sub_dirs = _scan(sub, f"{display}/{rel}", reporter)
        nested = [e.name for e in sub_files if e.name in OBJECT_SOURCES]
        if nested:
            reporter.warning(
                f"{display}/{rel}/{nested[0]}",
                0,
                Code.NESTED_OBJECT,
                f"learning object inside the object folder '{display}' is not compiled",
                hint="move this folder out of the other object's folder (Dwengo skips it too)",
            )
        found.extend(_stat(e, f"{rel}/{e.name}") for e in sub_files)
        todo.extend((d.path, f"{rel}/{d.name}") for d in sub_dirs)
    stats = [s for s in found if s is not None]  # a file that vanished mid-scan is skipped
    stats.sort(key=lambda s: (s.rel.count("/"), s.rel))
    folder_path = Path(folder)
    return ObjectSource(folder_path, folder_path / markers[0], source_display, tuple(stats))


def _stat(entry: os.DirEntry, rel: str) -> FileStat | None:
    try:
        st = entry.stat()
    except OSError:
        return None
    return FileStat(rel, st.st_size, st.st_mtime_ns)


def read_bytes(path: Path, display: str, reporter: Reporter) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError as exc:
        reporter.error(display, 0, Code.READ, f"cannot read file: {exc.strerror or exc}")
        return None


def decode(data: bytes, display: str, reporter: Reporter) -> str | None:
    """UTF-8 text with a BOM removed and newlines normalised, or None after an ``lp.read`` error."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        reporter.error(
            display,
            line,
            Code.READ,
            f"file is not UTF-8 (byte 0x{data[exc.start]:02x})",
            col=col,
            hint="save the file as UTF-8",
        )
        return None
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    at = text.find("\x00")  # UTF-8 has no lone surrogates, so NUL is the one character left to refuse
    if at >= 0:
        line = text.count("\n", 0, at) + 1
        reporter.error(
            display,
            line,
            Code.TEXT_CHAR,
            f"file holds {describe_char(text[at])}, which the database cannot store",
            col=at - (text.rfind("\n", 0, at) + 1) + 1,
            hint="remove it (a file saved as UTF-16 has one in every other byte: save it as UTF-8)",
        )
        return None
    return text
