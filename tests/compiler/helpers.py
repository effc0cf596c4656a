"""Test helpers: writing small content trees, a stand-in renderer, formatting diagnostics."""

from __future__ import annotations

import json
import re
from pathlib import Path

from learningpaths.compiler.render import TRANSCLUSION_MARKER, Reference, Rendered, RenderInput

REPO_ROOT = Path(__file__).resolve().parents[2]
SAMPLES = (REPO_ROOT / ".." / "shared" / "dwengo" / "samples" / "learning_content").resolve()
BAD = Path(__file__).parent / "bad"


def front(hruid: str = "a", *, body: str = "Body text.", drop: tuple[str, ...] = (), **fields) -> str:
    """index.md text with a valid minimal front matter; ``fields`` override or add keys (YAML text)."""
    values = {
        "hruid": hruid,
        "version": "1",
        "language": "en",
        "title": hruid.upper(),
        "description": f"About {hruid}",
        "content_type": "text/markdown",
        "estimated_time": "5",
    }
    values.update({k: str(v) for k, v in fields.items()})
    lines = [f"{k}: {v}" for k, v in values.items() if k not in drop]
    return "---\n" + "\n".join(lines) + "\n---\n" + body + "\n"


def path_json(hruid: str, nodes: list, *, language: str = "en", **extra) -> str:
    """A Dwengo path file; ``nodes`` are hruids (a linear chain, first is start) or node dicts."""
    out = []
    for i, node in enumerate(nodes):
        if isinstance(node, str):
            node = {"learningobject_hruid": node, "language": language, "version": "1", "start_node": i == 0}
            if i + 1 < len(nodes) and isinstance(nodes[i + 1], str):
                node["transitions"] = [
                    {"default": True, "next": {"hruid": nodes[i + 1], "language": language, "version": "1"}}
                ]
        out.append(node)
    data = {"hruid": hruid, "language": language, "title": hruid, "description": f"Path {hruid}", "nodes": out, **extra}
    return json.dumps(data, indent=2)


def write(root: Path, files: dict[str, str | bytes]) -> Path:
    for rel, content in files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content if isinstance(content, bytes) else content.encode())
    return root


def formatted(result, code: str | None = None) -> list[str]:
    return [d.format() for d in result.diagnostics if code is None or d.code == code]


# -- a stand-in for the real renderer, so these tests pin the pipeline, not the Markdown -------------
_OBJECT = re.compile(r"(!?)\[[^\]]*\]\(@learning-object/([^/\s)]+)/([^/\s)]+)(?:/(\d+))?\s*\)")
_PATH_LINK = re.compile(
    r"\[[^\]]*\]\(https://(?:www\.)?dwengo\.org/learning-path\.html\?hruid=([^&)]+)&language=(\w+)[^)]*\)"
)
_IMAGE = re.compile(r"!\[[^\]]*\]\(([^)@:\s]+)\)")


def fake_render(inp: RenderInput) -> Rendered:
    """One <p> per line; ``:::teacher`` ... ``:::`` is teacher-only; @learning-object, dwengo path links, images."""
    student, teacher, refs, assets = [], [], [], {}
    in_teacher = False
    for i, line in enumerate((inp.body or "").split("\n")):
        number = inp.body_line + i
        if line.strip() in (":::teacher", ":::"):
            in_teacher = line.strip() == ":::teacher"
            continue

        def obj(m: re.Match, number=number, in_teacher=in_teacher) -> str:
            version = int(m.group(4)) if m.group(4) else None
            kind = "transclude" if m.group(1) else "link"
            refs.append(Reference(m.group(2), m.group(3), version, kind, number, in_teacher))
            ref = f"{m.group(2)}/{m.group(3)}/{version if version is not None else 'latest'}"
            return (
                TRANSCLUSION_MARKER.format(ref=ref) if kind == "transclude" else f'<a href="/objects/{ref}/">link</a>'
            )

        def path(m: re.Match, number=number, in_teacher=in_teacher) -> str:
            refs.append(Reference(m.group(1), m.group(2), None, "path", number, in_teacher))
            return f'<a href="/paths/{m.group(1)}/{m.group(2)}/">path</a>'

        def image(m: re.Match, in_teacher=in_teacher) -> str:
            assets[m.group(1)] = assets.get(m.group(1), True) and in_teacher
            return f'<img src="{m.group(1)}" alt="">'

        text = _IMAGE.sub(image, _PATH_LINK.sub(path, _OBJECT.sub(obj, line)))
        if not text.strip():
            continue
        piece = text if text.startswith("<div") else f"<p>{text}</p>"
        teacher.append(f'<div class="lp-teacher-only">{piece}</div>' if in_teacher else piece)
        if not in_teacher:
            student.append(piece)
    return Rendered("".join(student), "".join(teacher), assets, refs)
