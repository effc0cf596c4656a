"""Phase 3, validate: the Dwengo learning-object metadata schema (FORMAT.md 1.1), declared as data.

``OBJECT_FIELDS`` lists every field with its validator; ``validate_object`` runs all of them and
reports every problem (not just the first) at the key's line. The result is the normalised
``metadata`` dict: one key per field, JSON types only, ``licence`` spelled British, defaults
filled in (``available: true``, ``teacher_exclusive: false``, ``aspect_ratio: iframe-1-1``; a
missing ``uuid`` becomes a UUID derived from the identity, so it is stable across builds).

Lenient, with ``lp.field_lenient``: ``version: "3"``, ``license:``, SKOS concepts written as
Markdown links. Template placeholders (``example-location``, ``callback-url-example``,
``Source``/``id`` goals, ``keywords: [""]``) count as empty, with ``lp.placeholder``.
Not required here although Dwengo's validator wants it: ``skos_concepts`` (our own authors do not
use the i-Learn vocabulary).
"""

from __future__ import annotations

import re
import uuid as uuidlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from . import limits, validators as c
from .codes import Code
from .diagnostics import Reporter, did_you_mean
from .frontmatter import YamlDoc
from .result import ObjectKey
from .validators import FieldCtx
from .values import Invalid, describe

CONTENT_TYPES = (
    "text/markdown",
    "text/ct-schema",
    "blockly",
    "image/image",
    "image/image-block",
    "audio/mpeg",
    "application/pdf",
    "extern",
    "text/plain",
    "text/gift",
)
ASPECT_RATIOS = ("iframe-16-9", "iframe-1-1", "iframe-1-2")
_PLACEHOLDER_GOAL = (re.compile(r"^Source\d*$"), re.compile(r"^id\d*$"))
_PLACEHOLDER_SCHEMA = {"att": "test", "att2": "test2"}
_MARKDOWN_LINK = re.compile(r"^\[([^\]]*)\]\(([^)\s]*)\)$")
_URL = re.compile(r"^https?://[^\s/]+\S*$")
_UUID_NAMESPACE = uuidlib.UUID("9a3f4c1e-5b7d-4e2a-8c6f-1d2e3f4a5b6c")


@dataclass(frozen=True)
class Field:
    name: str
    check: Callable[[Any, FieldCtx], Any]
    required: bool = False
    default: Any = None
    example: str = ""  # shown in the hint of a missing required field
    doc: str = ""  # what it does, for the reference (docs/authoring.md is generated from it)
    schema: dict = field(default_factory=dict)  # its JSON Schema, for editors (docs/front-matter.schema.json)


def _version(value: Any, ctx: FieldCtx) -> int:
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        # int() of 4300 digits or more raises; anything past 40 digits is out of range anyway
        written = int(value) if len(value.strip()) <= 40 else limits.INT_MAX + 1
        ctx.warning(
            Code.FIELD_LENIENT,
            f"'version' should be a number, not {describe(value)}",
            hint=f"write version: {written}" if written <= limits.INT_MAX else "",
        )
        c.at_most(written, limits.INT_MAX, ctx, shown=value)
        return written
    number = c.number(value, ctx, "a whole number")
    if not isinstance(number, int) or number < 0:
        ctx.error(Code.FIELD_VALUE, f"'version' must be a whole number of at least 0, got {describe(value)}")
        raise Invalid
    c.at_most(number, limits.INT_MAX, ctx)
    return number


def _hruid(value: Any, ctx: FieldCtx) -> str:
    text = c.within(limits.HRUID_MAX)(value, ctx)
    if "/" in text or any(ch.isspace() for ch in text):
        ctx.error(
            Code.FIELD_VALUE,
            f"'hruid' must not contain '/' or spaces, got {describe(text)}",
            hint="references are written hruid/language/version, so use letters, digits, '_' and '-'",
        )
        raise Invalid
    return text


def _keywords(value: Any, ctx: FieldCtx) -> list[str]:
    items = c.text_list(value, ctx)
    kept = [k for k in items if k]
    if items and not kept:
        ctx.warning(
            Code.PLACEHOLDER,
            "'keywords' holds only empty text (template placeholder); treated as empty",
            hint="list real keywords or remove the field",
        )
    return kept


def _goals(value: Any, ctx: FieldCtx) -> list[dict[str, str]]:
    if value is None:
        return []
    items = c.listed(value, ctx, "a list of {source, id} mappings")
    goals, placeholders = [], 0
    for i, item in enumerate(items):
        if not isinstance(item, dict) or not ({"source", "id"} & item.keys()):
            ctx.error(
                Code.FIELD_TYPE,
                f"'educational_goals' item {i + 1} must be a mapping with 'source' and/or 'id', got {describe(item)}",
                sub=(i,),
                hint="write {source: onderwijsdoelen.be, id: '1.2'}",
            )
            continue
        goal = {k: str(item[k]).strip() for k in ("source", "id") if c.is_scalar(item.get(k))}
        if _PLACEHOLDER_GOAL[0].match(goal.get("source", "")) and _PLACEHOLDER_GOAL[1].match(goal.get("id", "")):
            placeholders += 1
            continue
        goals.append(goal)
    if placeholders:
        ctx.warning(
            Code.PLACEHOLDER,
            "'educational_goals' holds template placeholders (source: Source, id: id); treated as empty",
            hint="list real curriculum goals or remove the field",
        )
    return goals


def _content_type(value: Any, ctx: FieldCtx) -> str:
    text = c.required_text(value, ctx)
    if text not in CONTENT_TYPES:
        hint = did_you_mean(text, CONTENT_TYPES) or f"use one of {', '.join(CONTENT_TYPES)}"
        ctx.error(Code.CONTENT_TYPE, f"unknown content_type '{text}'", hint=hint)
        raise Invalid
    return text


def _return_value(value: Any, ctx: FieldCtx) -> dict | None:
    if value is None:
        return None
    mapping = c.mapping(value, ctx, "a mapping {callback_url, callback_schema}")
    if mapping.get("callback_url") == "callback-url-example" or mapping.get("callback_schema") == _PLACEHOLDER_SCHEMA:
        ctx.warning(
            Code.PLACEHOLDER,
            "'return_value' is the template placeholder (callback-url-example, "
            "{att: test, att2: test2}); treated as empty",
            hint="remove return_value unless the object reports a result",
        )
        return None
    missing = [k for k in ("callback_url", "callback_schema") if mapping.get(k) is None]
    if missing:
        ctx.error(
            Code.FIELD_MISSING,
            f"'return_value' needs both callback_url and callback_schema; missing {', '.join(missing)}",
        )
        raise Invalid
    url = c.required_text(mapping["callback_url"], ctx.sub("callback_url"))
    schema = c.json_schema(mapping["callback_schema"], ctx.sub("callback_schema"))
    return {"callback_url": url, "callback_schema": schema}


def _content_location(value: Any, ctx: FieldCtx) -> str | None:
    text = c.within(limits.CONTENT_LOCATION_MAX, c.text)(value, ctx)
    if text == "example-location":
        ctx.warning(
            Code.PLACEHOLDER,
            "'content_location' is the template placeholder 'example-location'; treated as empty",
            hint="remove it, or give the URL of the external content",
        )
        return None
    return text or None


def _skos(value: Any, ctx: FieldCtx) -> list[str]:
    if value is None:
        return []
    urls = []
    for i, item in enumerate(c.listed(value, ctx, "a list of URLs")):
        sub = ctx.sub(i)
        if not isinstance(item, str):
            sub.error(Code.FIELD_TYPE, f"'skos_concepts' item {i + 1} must be a URL, got {describe(item)}")
            continue
        item = item.strip()
        link = _MARKDOWN_LINK.match(item)
        if link:
            sub.warning(
                Code.FIELD_LENIENT,
                "'skos_concepts' item is a Markdown link; its URL is used",
                hint=f"write the URL only: '{link.group(2)}'",
            )
            item = link.group(2)
        if not _URL.match(item):
            sub.error(Code.FIELD_VALUE, f"'skos_concepts' item {i + 1} must be an http(s) URL, got {describe(item)}")
            continue
        urls.append(item)
    return urls


def _one_of(name: str, choices: tuple[str, ...], fallback_hint: str = ""):
    """A validator for a field whose value is one of ``choices``; ``fallback_hint`` when no choice is near."""

    def check(value: Any, ctx: FieldCtx) -> str:
        text = c.required_text(value, ctx)  # run_fields never checks a None value: that is a missing field
        if text not in choices:
            ctx.error(
                Code.FIELD_VALUE,
                f"'{name}' must be one of {', '.join(choices)}, got {describe(value)}",
                hint=did_you_mean(text, choices) or fallback_hint,
            )
            raise Invalid
        return text

    return check


# When a step counts as done: ``seen`` (the default: opened, and every question settled) or ``run``
# (also every runnable cell ran without an error).
COMPLETIONS = ("seen", "run")
# What a step's Python cells start with when the path player arrives from another step (the worker
# lives on for the whole visit, issue 17): ``fresh`` (the default: an empty namespace, as after a
# reload) or ``keep`` (the previous step's variables, for a project over several pages).
RUNTIMES = ("fresh", "keep")
_aspect_ratio = _one_of("aspect_ratio", ASPECT_RATIOS)
_completion = _one_of("completion", COMPLETIONS)
_runtime = _one_of("runtime", RUNTIMES, "use runtime: keep to keep the previous step's variables")


_TEXT = {"type": "string"}
_TEXTS = {"type": "array", "items": {"type": "string"}}


def _choice(choices: tuple[str, ...]) -> dict:
    return {"type": "string", "enum": list(choices)}


OBJECT_FIELDS = (
    Field(
        "hruid",
        _hruid,
        required=True,
        example="hruid: org-dwengo-my-object",
        doc="The object's name, unique with language and version; what paths and links refer to. No '/' or spaces.",
        schema={"type": "string", "minLength": 1, "maxLength": limits.HRUID_MAX, "pattern": r"^[^/\s]+$"},
    ),
    Field(
        "version",
        _version,
        required=True,
        example="version: 1",
        doc='A whole number; a new version lives beside the old one (`"3"` is accepted with a warning).',
        schema={
            "anyOf": [
                {"type": "integer", "minimum": 0, "maximum": limits.INT_MAX},
                {"type": "string", "pattern": r"^\d+$"},
            ]
        },
    ),
    Field(
        "language",
        c.language,
        required=True,
        example="language: nl",
        doc="Two-letter ISO 639-1 code (`nl`, `en`, ...). Objects with the same hruid in other languages are "
        "its translations.",
        schema={"type": "string", "pattern": "^[A-Za-z]{2}$"},
    ),
    Field(
        "title",
        c.within(limits.TITLE_MAX),
        required=True,
        default="",
        example='title: "My title"',
        doc="Shown as the page's heading and in paths and search.",
        schema={"type": "string", "minLength": 1, "maxLength": limits.TITLE_MAX},
    ),
    Field(
        "description",
        c.required_text,
        required=True,
        example='description: "What it is about"',
        doc="One or two sentences: shown in search results and the API.",
        schema={"type": "string", "minLength": 1},
    ),
    Field("keywords", _keywords, default=[], doc="Words search finds the object by.", schema=_TEXTS),
    Field(
        "educational_goals",
        _goals,
        default=[],
        doc="Curriculum goals, each `{source: ..., id: ...}`.",
        schema={
            "type": "array",
            "items": {"type": "object", "properties": {"source": _TEXT, "id": {"type": ["string", "number"]}}},
        },
    ),
    Field(
        "copyright",
        c.within(limits.COPYRIGHT_MAX, c.text),
        doc="Who holds the rights.",
        schema={"type": "string", "maxLength": limits.COPYRIGHT_MAX},
    ),
    Field(
        "licence",
        c.within(limits.LICENCE_MAX, c.text),
        doc="The licence, e.g. `CC BY 4.0` (`license` is accepted too).",
        schema={"type": "string", "maxLength": limits.LICENCE_MAX},
    ),
    Field(
        "content_type",
        _content_type,
        required=True,
        example="content_type: text/markdown",
        doc="What the folder holds and how it is shown (section 12).",
        schema=_choice(CONTENT_TYPES),
    ),
    Field(
        "available",
        c.boolean,
        default=True,
        doc="`false` keeps the object out of search and the API, while paths can still use it.",
        schema={"type": "boolean"},
    ),
    Field(
        "target_ages",
        c.ranged_list(0, 150),
        default=[],
        doc="Ages it is written for, e.g. `[12, 13, 14]`; a path's ages come from its objects.",
        schema={"type": "array", "items": {"type": "number", "minimum": 0, "maximum": 150}},
    ),
    Field(
        "difficulty",
        c.ranged(0, 10),
        doc="From 0 to 10.",
        schema={"type": "number", "minimum": 0, "maximum": 10},
    ),
    Field(
        "return_value",
        _return_value,
        doc="What the object reports back: `{callback_url, callback_schema}`, the schema a JSON Schema.",
        schema={
            "type": "object",
            "properties": {"callback_url": _TEXT, "callback_schema": {"type": "object"}},
            "required": ["callback_url", "callback_schema"],
        },
    ),
    Field(
        "content_location",
        _content_location,
        doc="The page an `extern` object shows (an allowed https URL).",
        schema={"type": "string", "maxLength": limits.CONTENT_LOCATION_MAX},
    ),
    Field(
        "estimated_time",
        c.minutes,
        required=True,
        example="estimated_time: 10",
        doc="Minutes a student needs; a path's time is the sum.",
        schema={"type": "number", "minimum": 0, "maximum": limits.INT_MAX},
    ),
    Field(
        "skos_concepts",
        _skos,
        default=[],
        doc="Concept URLs of a vocabulary (i-Learn's on Dwengo).",
        schema={"type": "array", "items": {"type": "string"}},
    ),
    Field(
        "teacher_exclusive",
        c.boolean,
        default=False,
        doc="`true`: only teachers get the object, through every route (section 6).",
        schema={"type": "boolean"},
    ),
    Field(
        "aspect_ratio",
        _aspect_ratio,
        default="iframe-1-1",
        doc="The frame of an `extern` object.",
        schema=_choice(ASPECT_RATIOS),
    ),
    Field(
        "completion",
        _completion,
        default="seen",
        doc="When a step counts as done: `seen` (opened and every question settled) or `run` (also every "
        "Python cell ran without an error).",
        schema=_choice(COMPLETIONS),
    ),
    Field(
        "runtime",
        _runtime,
        default="fresh",
        doc="What the step's Python cells start with when the student comes from another step: `fresh` "
        "(an empty namespace) or `keep` (the previous step's variables, for a project over several pages).",
        schema=_choice(RUNTIMES),
    ),
    Field(
        "uuid",
        c.within(limits.UUID_MAX, c.text),
        doc="Dwengo's identifier; made from hruid, language and version when missing, so it is stable.",
        schema={"type": "string", "maxLength": limits.UUID_MAX},
    ),
)
FIELD_NAMES = tuple(f.name for f in OBJECT_FIELDS)


@dataclass
class ObjectMeta:
    metadata: dict[str, Any]
    key: ObjectKey | None  # None when hruid, language or version is unusable
    renderable: bool  # identity and content_type are valid


def validate_object(doc: YamlDoc, display: str, reporter: Reporter, *, missing_line: int) -> ObjectMeta:
    storable = c.storable_chars(doc, display, reporter)
    data = dict(doc.data)
    _spelling(data, doc, display, reporter)
    metadata, failed = c.run_fields(OBJECT_FIELDS, data, doc, display, reporter, missing_line, "the front matter")
    for name in data:
        if name not in FIELD_NAMES:
            line, col = doc.pos(str(name))
            reporter.warning(
                display,
                line,
                Code.FIELD_UNKNOWN,
                f"unknown field '{name}'",
                col=col,
                hint=did_you_mean(str(name), FIELD_NAMES + ("license",)),
            )
    if metadata["content_type"] == "extern" and not metadata["content_location"] and "content_location" not in failed:
        line, col = doc.pos("content_location") if "content_location" in data else (missing_line, 0)
        reporter.error(
            display,
            line,
            Code.FIELD_MISSING,
            "'content_location' is required when content_type is extern",
            col=col,
            hint="give the URL to show, e.g. content_location: https://www.youtube.com/watch?v=...",
        )
    elif (
        metadata["content_type"] == "extern"
        and metadata["content_location"]
        and not _URL.match(metadata["content_location"])
    ):
        line, col = doc.pos("content_location")
        reporter.error(
            display,
            line,
            Code.FIELD_VALUE,
            "'content_location' must be an http(s) URL for extern content, "
            f"got {describe(metadata['content_location'])}",
            col=col,
        )
    key = None
    if not {"hruid", "language", "version"} & failed:
        key = ObjectKey(metadata["hruid"], metadata["language"], metadata["version"])
        if not metadata["uuid"]:
            metadata["uuid"] = str(uuidlib.uuid5(_UUID_NAMESPACE, str(key)))
    return ObjectMeta(metadata, key, key is not None and "content_type" not in failed and storable)


def _spelling(data: dict, doc: YamlDoc, display: str, reporter: Reporter) -> None:
    """``license`` (D1's spelling) is accepted as ``licence``."""
    if "license" not in data:
        return
    line, col = doc.pos("license")
    if "licence" in data:
        reporter.warning(
            display,
            line,
            Code.FIELD_LENIENT,
            "both 'licence' and 'license' are given; 'licence' is used",
            col=col,
            hint="remove 'license'",
        )
        del data["license"]
        return
    reporter.warning(
        display,
        line,
        Code.FIELD_LENIENT,
        "'license' is spelled 'licence' in Dwengo's format",
        col=col,
        hint="write licence:",
    )
    data["licence"] = data.pop("license")
    doc.lines[("licence",)] = (line, col)
