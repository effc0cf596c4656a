"""Phase 3, validate: the learning-path schema (FORMAT.md 3.1), for Dwengo JSON and our YAML.

JSON follows LOR's schema: node ``language`` and ``version`` are required, a version may be a
string (``"3"``, Dwengo's own spelling) or a number. YAML uses the same keys but a node's or a
transition's ``language`` defaults to the path's, ``version`` may be left out (the latest version
is used), and ``image`` may name a file next to the path file instead of holding base64. A YAML
path may list its main line as ``steps`` instead of spelling out each node and transition: a step
is an hruid or a node mapping (``hruid`` for short), the first is the start, and every step without
a default transition goes on to the next one by default; a transition's ``next`` may be an hruid.
``nodes`` can sit beside ``steps`` for detours that are not on the main line.
Graph checks (missing objects, transitions, start nodes, cycles) are in :mod:`.resolve`.
"""

from __future__ import annotations

import base64
import binascii
import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import limits, validators as c
from .codes import Code
from .diagnostics import Reporter, did_you_mean
from .frontmatter import YamlDoc
from .validators import FieldCtx
from .values import Invalid, describe, is_number, whole

_IMAGE_FILE = re.compile(r"^[^\s]+\.(png|jpe?g|gif|svg|webp)$", re.I)
PATH_KEYS = ("hruid", "language", "title", "description", "image", "nodes", "steps", "keywords")
NODE_KEYS = ("learningobject_hruid", "language", "version", "start_node", "instruction", "transitions")
TRANSITION_KEYS = ("default", "condition", "next")
NEXT_KEYS = ("hruid", "language", "version")


@dataclass(frozen=True)
class NodeRef:
    hruid: str
    language: str
    version: int | None  # None: the latest version

    def __str__(self) -> str:
        return f"{self.hruid}/{self.language}/{'latest' if self.version is None else self.version}"


@dataclass
class TransitionSpec:
    next: NodeRef
    default: bool
    condition: str
    line: int
    col: int = 0


@dataclass
class NodeSpec:
    ref: NodeRef
    start_node: bool
    instruction: str
    transitions: list[TransitionSpec]
    line: int
    col: int = 0


@dataclass
class PathSpec:
    hruid: str
    language: str
    title: str
    description: str
    display: str
    line: int  # line of the hruid (where path-level problems are reported)
    nodes_line: int
    col: int = 0
    nodes_col: int = 0
    nodes: list[NodeSpec] = field(default_factory=list)
    image: bytes | None = None
    image_mime: str = ""
    keywords: list[str] = field(default_factory=list)


def validate_path(doc: YamlDoc, file: Path, display: str, reporter: Reporter) -> PathSpec | None:
    data, is_yaml = doc.data, file.suffix != ".json"
    storable = c.storable_chars(doc, display, reporter)
    ctx = FieldCtx(doc, display, reporter, (), "")
    _unknown(data, PATH_KEYS, ctx, "learning path")
    values, failed = {}, set()
    for name, check in (
        ("hruid", c.within(limits.HRUID_MAX)),
        ("language", c.language),
        ("title", c.within(limits.TITLE_MAX)),
        ("description", c.required_text),
    ):
        try:
            if data.get(name) is None or (isinstance(data[name], str) and not data[name].strip()):
                reporter.error(
                    display,
                    doc.line(name) if name in data else 1,
                    Code.FIELD_MISSING,
                    f"missing required field '{name}'" if name not in data else f"required field '{name}' is empty",
                )
                raise Invalid
            values[name] = check(data[name], ctx.sub(name).named(name))
        except Invalid:
            failed.add(name)
            values[name] = ""
    spec = PathSpec(
        values["hruid"],
        values["language"],
        values["title"],
        values["description"],
        display,
        doc.line("hruid"),
        doc.line("nodes"),
        col=doc.pos("hruid")[1],
        nodes_col=doc.pos("nodes")[1],
    )
    try:
        spec.keywords = [k for k in c.text_list(data.get("keywords"), ctx.sub("keywords").named("keywords")) if k]
    except Invalid:
        pass
    if data.get("image") is not None:
        _image(data["image"], is_yaml, file, ctx.sub("image").named("image"), spec)
    nodes = data.get("nodes")
    if data.get("steps") is not None:
        steps = _steps(data["steps"], is_yaml, ctx.sub("steps").named("steps"))
        if steps is None:
            return None
        if nodes is not None and not isinstance(nodes, list):
            ctx.sub("nodes").error(Code.FIELD_TYPE, f"'nodes' must be a list of nodes, got {describe(nodes)}")
            return None
        for i, node in enumerate(steps):
            parsed = _node(node, spec.language, is_yaml, ctx.sub("steps", i).named("steps"))
            if parsed is not None:
                spec.nodes.append(parsed)
        nodes = nodes or []
    elif not isinstance(nodes, list) or not nodes:
        line, col = doc.pos("nodes") if "nodes" in data else (1, 0)
        if nodes is None:
            reporter.error(
                display, line, Code.FIELD_MISSING, "a learning path needs 'nodes', a list of at least one node", col=col
            )
        elif nodes == []:
            reporter.error(
                display, line, Code.FIELD_VALUE, "'nodes' is empty; a learning path needs at least one node", col=col
            )
        else:
            reporter.error(
                display, line, Code.FIELD_TYPE, f"'nodes' must be a list of nodes, got {describe(nodes)}", col=col
            )
        return None
    for i, node in enumerate(nodes):
        parsed = _node(node, spec.language, is_yaml, ctx.sub("nodes", i).named("nodes"))
        if parsed is not None:
            spec.nodes.append(parsed)
    if {"hruid", "language"} & failed or not storable:
        return None
    return spec


def _steps(steps: Any, is_yaml: bool, ctx: FieldCtx) -> list[dict] | None:
    """``steps`` as Dwengo nodes: a start node, and a default transition from each step to the next."""
    if not is_yaml:
        ctx.error(
            Code.FIELD_UNKNOWN,
            "'steps' is for YAML learning paths; a JSON path lists 'nodes' with their transitions, as Dwengo does",
            hint="rename the file to .yaml, or write 'nodes'",
        )
        return None
    if not isinstance(steps, list) or not steps:
        ctx.error(Code.FIELD_TYPE, f"'steps' must be a list of at least one hruid or node, got {describe(steps)}")
        return None
    nodes: list[dict] = []
    for i, step in enumerate(steps):
        if isinstance(step, str):
            step = {"learningobject_hruid": step}
        elif isinstance(step, dict):
            step = dict(step)
            if "hruid" in step and "learningobject_hruid" not in step:
                step["learningobject_hruid"] = step.pop("hruid")
        else:
            ctx.sub(i).error(Code.FIELD_TYPE, f"a step must be an hruid or a node mapping, got {describe(step)}")
            return None
        step.setdefault("start_node", i == 0)
        nodes.append(step)
    for step, after in itertools.pairwise(nodes):
        transitions = step.get("transitions") or []
        if isinstance(transitions, list) and not any(isinstance(t, dict) and t.get("default") for t in transitions):
            target = {"hruid": after["learningobject_hruid"]}
            target.update({k: after[k] for k in ("language", "version") if after.get(k) is not None})
            step["transitions"] = [*transitions, {"default": True, "next": target}]
    return nodes


def _unknown(data: dict, known: tuple[str, ...], ctx: FieldCtx, what: str) -> None:
    for key in data:
        if key not in known:
            ctx.warning(
                Code.FIELD_UNKNOWN,
                f"unknown field '{key}' in a {what}",
                sub=(str(key),),
                hint=did_you_mean(str(key), known),
            )


def _version(value: Any, ctx: FieldCtx) -> int | None:
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit() and len(value.strip()) <= 40:
        return int(value)
    if value == "latest":
        return None
    number = whole(value) if is_number(value) else None
    if isinstance(number, int) and number >= 0:
        return number
    raise ctx.type_error("a whole number (or a string holding one, or 'latest')", value)


def _ref(data: dict, hruid_key: str, default_language: str, is_yaml: bool, ctx: FieldCtx) -> NodeRef:
    problems = False
    for key in (hruid_key,) + (() if is_yaml else ("language", "version")):
        if data.get(key) is None:
            ctx.error(
                Code.FIELD_MISSING,
                f"missing required field '{key}'",
                hint="nodes and transitions name an object by hruid, language and version",
            )
            problems = True
    if problems:
        raise Invalid
    hruid = c.required_text(data[hruid_key], ctx.sub(hruid_key).named(hruid_key))
    language = (
        c.language(data["language"], ctx.sub("language").named("language"))
        if data.get("language") is not None
        else default_language
    )
    version = (
        _version(data["version"], ctx.sub("version").named("version")) if data.get("version") is not None else None
    )
    return NodeRef(hruid, language, version)


def _node(node: Any, language: str, is_yaml: bool, ctx: FieldCtx) -> NodeSpec | None:
    if not isinstance(node, dict):
        ctx.error(Code.FIELD_TYPE, f"a node must be a mapping, got {describe(node)}")
        return None
    _unknown(node, NODE_KEYS, ctx, "node")
    try:
        ref = _ref(node, "learningobject_hruid", language, is_yaml, ctx)
        start = (
            c.boolean(node["start_node"], ctx.sub("start_node").named("start_node"))
            if node.get("start_node") is not None
            else False
        )
        instruction = c.text(node.get("instruction"), ctx.sub("instruction").named("instruction")) or ""
        raw = node.get("transitions") or []
        transitions = c.listed(raw, ctx.sub("transitions").named("transitions"), "a list of transitions")
    except Invalid:
        return None
    spec = NodeSpec(ref, start, instruction, [], *ctx.doc.pos(*ctx.path))
    for j, transition in enumerate(transitions):
        parsed = _transition(transition, language, is_yaml, ctx.sub("transitions", j))
        if parsed is not None:
            spec.transitions.append(parsed)
    return spec


def _transition(data: Any, language: str, is_yaml: bool, ctx: FieldCtx) -> TransitionSpec | None:
    if is_yaml and isinstance(data, dict) and isinstance(data.get("next"), str):
        data = {**data, "next": {"hruid": data["next"]}}  # YAML shorthand: next: hruid
    if not isinstance(data, dict) or not isinstance(data.get("next"), dict):
        ctx.error(
            Code.FIELD_TYPE,
            f"a transition must be a mapping with 'next: {{hruid, language, version}}', got {describe(data)}",
        )
        return None
    _unknown(data, TRANSITION_KEYS, ctx, "transition")
    _unknown(data["next"], NEXT_KEYS, ctx.sub("next"), "transition target")
    try:
        target = _ref(data["next"], "hruid", language, is_yaml, ctx.sub("next"))
        default = (
            c.boolean(data["default"], ctx.sub("default").named("default"))
            if data.get("default") is not None
            else False
        )
        condition = data.get("condition")
        condition = "" if condition is None else c.required_text(condition, ctx.sub("condition").named("condition"))
    except Invalid:
        return None
    return TransitionSpec(target, default, condition, *ctx.doc.pos(*ctx.path))


def _image(value: Any, is_yaml: bool, file: Path, ctx: FieldCtx, spec: PathSpec) -> None:
    if not isinstance(value, str):
        ctx.type_error("base64 text" + (" or an image file name" if is_yaml else ""), value)
        return
    value = value.strip()
    if is_yaml and _IMAGE_FILE.match(value):
        target = (file.parent / value).resolve()
        if not target.is_relative_to(file.parent.resolve()):
            ctx.error(
                Code.PATH_IMAGE,
                f"image file '{value}' is outside the folder of the path file",
                hint="put the image next to the path file",
            )
            return
        try:
            data = target.read_bytes()
        except OSError:
            ctx.error(Code.PATH_IMAGE, f"image file '{value}' not found next to the path file")
            return
    else:
        if value.startswith("data:") and "," in value:
            ctx.warning(
                Code.FIELD_LENIENT,
                "'image' has a data: URL prefix; Dwengo's format is plain base64",
                hint="remove everything up to and including the comma",
            )
            value = value.split(",", 1)[1]
        try:
            data = base64.b64decode("".join(value.split()), validate=True)
        except (binascii.Error, ValueError):
            ctx.error(
                Code.PATH_IMAGE,
                "'image' is not valid base64",
                hint="write the image as base64 without a data: prefix" + (", or a file name" if is_yaml else ""),
            )
            return
    mime = image_mime(data)
    if not mime:
        ctx.error(Code.PATH_IMAGE, "'image' is not a PNG, JPEG, GIF, WebP or SVG image")
        return
    spec.image, spec.image_mime = data, mime


def image_mime(data: bytes) -> str:
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    head = data[:512].lstrip().lower()
    if head.startswith(b"<svg") or (head.startswith(b"<?xml") and b"<svg" in data[:4096].lower()):
        return "image/svg+xml"
    return ""
