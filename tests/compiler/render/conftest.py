"""Helpers: build a RenderInput from a folder on disk (our test objects and Dwengo's samples)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from learningpaths.compiler.options import CompileOptions
from learningpaths.compiler.render import Rendered, RenderInput
from learningpaths.compiler.result import ObjectKey

HERE = Path(__file__).resolve().parent
OBJECTS = HERE / "objects"
REPO = HERE.parents[2]
SAMPLES = REPO.parent / "shared" / "dwengo" / "samples" / "learning_content" / "learning_objects"
_FRONT = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*\n?", re.S)


def folder_files(folder: Path) -> tuple[str, ...]:
    return tuple(
        sorted(
            p.relative_to(folder).as_posix()
            for p in folder.rglob("*")
            if p.is_file() and not p.name.startswith(".") and not p.name.startswith("metadata.")
        )
    )


def load_object(folder: Path, options: CompileOptions | None = None) -> RenderInput:
    """A RenderInput for the object in ``folder`` (index.md, metadata.md or metadata.yaml)."""
    for name in ("index.md", "metadata.md", "metadata.yaml"):
        source = folder / name
        if source.exists():
            break
    text = source.read_text(encoding="utf-8")
    body, body_line = None, 1
    if name == "metadata.yaml":
        meta = yaml.safe_load(text)
    else:
        match = _FRONT.match(text)
        meta = yaml.safe_load(match.group(1)) if match else {}
        if name == "index.md":
            body = text[match.end() :] if match else text
            body_line = text[: match.end()].count("\n") + 1 if match else 1
    key = ObjectKey(str(meta["hruid"]), str(meta["language"]), int(meta["version"]))
    display = source.relative_to(REPO.parent).as_posix() if REPO.parent in source.parents else str(source)
    return RenderInput(
        key=key,
        content_type=meta["content_type"],
        folder=folder,
        source_path=display,
        body=body,
        body_line=body_line,
        files=folder_files(folder),
        metadata=meta,
        options=options or CompileOptions(),
    )


def make_input(
    body: str | None,
    *,
    content_type: str = "text/markdown",
    folder: Path | None = None,
    files: tuple[str, ...] | None = None,
    metadata: dict | None = None,
    language: str = "en",
    options: CompileOptions | None = None,
    body_line: int = 1,
) -> RenderInput:
    """A RenderInput for an inline body; ``folder`` defaults to objects/basic."""
    folder = folder or OBJECTS / "basic"
    return RenderInput(
        key=ObjectKey("demo", language, 1),
        content_type=content_type,
        folder=folder,
        source_path="content/demo/index.md",
        body=body,
        body_line=body_line,
        files=files if files is not None else folder_files(folder),
        metadata=metadata or {"title": "Demo"},
        options=options or CompileOptions(),
    )


@pytest.fixture
def sample():
    if not SAMPLES.is_dir():
        pytest.skip("Dwengo samples not available")
    return lambda rel: load_object(SAMPLES / rel)


def show(result: Rendered) -> str:
    """Golden-file text: student HTML, the teacher HTML when it differs, then the diagnostics."""
    out = result.html.rstrip("\n")
    if result.teacher_html != result.html:
        out += "\n=== teacher ===\n" + result.teacher_html.rstrip("\n")
    for diagnostic in result.diagnostics:
        out += "\n" + "\n".join("// " + line for line in diagnostic.format().split("\n"))
    return out
