"""Field validators shared by the object and path schemas.

A validator takes ``(value, ctx)`` and returns the normalised value, or reports through ``ctx``
and raises :class:`~.values.Invalid`. ``run_fields`` runs a declared field list over a mapping.
"""

from __future__ import annotations

from typing import Any

from .callback_schema import schema_problem
from .codes import Code
from .diagnostics import Reporter, did_you_mean
from .limits import INT_MAX, bad_char, describe_char
from .values import Invalid, describe, is_number, to_json, whole

LANGUAGES = frozenset(
    """
aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz
ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik
io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml
mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd
se sg si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi
vo wa wo xh yi yo za zh zu""".split()
)  # ISO 639-1, the 184 two-letter codes
_LANGUAGE_NAMES = {  # what authors write instead of the code, in the languages of Dwengo's content
    "dutch": "nl",
    "nederlands": "nl",
    "vlaams": "nl",
    "nld": "nl",
    "english": "en",
    "engels": "en",
    "eng": "en",
    "french": "fr",
    "frans": "fr",
    "français": "fr",
    "francais": "fr",
    "fra": "fr",
    "german": "de",
    "duits": "de",
    "deutsch": "de",
    "deu": "de",
    "spanish": "es",
    "spaans": "es",
    "español": "es",
}
_SCHEMA_KEYWORDS = frozenset(
    {
        "$schema",
        "$id",
        "$ref",
        "$defs",
        "definitions",
        "type",
        "properties",
        "items",
        "required",
        "enum",
        "const",
        "anyOf",
        "oneOf",
        "allOf",
        "not",
        "additionalProperties",
        "patternProperties",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "minLength",
        "maxLength",
        "pattern",
        "format",
        "minItems",
        "maxItems",
        "uniqueItems",
        "title",
        "description",
        "default",
        "examples",
    }
)
_SCHEMA_TYPES = frozenset({"object", "array", "string", "number", "integer", "boolean", "null"})


class FieldCtx:
    """Where a field lives (file, key path) and how to report about it."""

    def __init__(self, doc, display: str, reporter: Reporter, path: tuple, name: str) -> None:
        self.doc, self.display, self.reporter, self.path, self.name = doc, display, reporter, path, name

    def sub(self, *more: Any) -> FieldCtx:
        return FieldCtx(self.doc, self.display, self.reporter, self.path + more, self.name)

    def named(self, name: str) -> FieldCtx:
        return FieldCtx(self.doc, self.display, self.reporter, self.path, name)

    def error(self, code: Code, message: str, *, sub: tuple = (), hint: str = "") -> None:
        line, col = self.doc.pos(*(self.path + sub))
        self.reporter.error(self.display, line, code, message, col=col, hint=hint)

    def warning(self, code: Code, message: str, *, sub: tuple = (), hint: str = "") -> None:
        line, col = self.doc.pos(*(self.path + sub))
        self.reporter.warning(self.display, line, code, message, col=col, hint=hint)

    def type_error(self, expected: str, value: Any, hint: str = "") -> Invalid:
        self.error(Code.FIELD_TYPE, f"'{self.name}' must be {expected}, got {describe(value)}", hint=hint)
        return Invalid()


def run_fields(
    fields, data: dict, doc, display: str, reporter: Reporter, missing_line: int, where: str, *, prefix: tuple = ()
) -> tuple[dict[str, Any], set[str]]:
    """Validate ``data`` against ``fields``; returns (normalised values, names of failed fields)."""
    values: dict[str, Any] = {}
    failed: set[str] = set()
    for field in fields:
        value = data.get(field.name)
        if value is None or (field.required and isinstance(value, str) and not value.strip()):
            if field.required:
                failed.add(field.name)
                if field.name in data:
                    line, col = doc.pos(*prefix, field.name)
                    reporter.error(
                        display,
                        line,
                        Code.FIELD_MISSING,
                        f"required field '{field.name}' is empty",
                        col=col,
                        hint=f"write {field.example}" if field.example else "",
                    )
                else:
                    reporter.error(
                        display,
                        missing_line,
                        Code.FIELD_MISSING,
                        f"missing required field '{field.name}'",
                        hint=f"add '{field.example}' to {where}" if field.example else "",
                    )
            values[field.name] = _fresh(field.default)
            continue
        try:
            ctx = FieldCtx(doc, display, reporter, prefix + (field.name,), field.name)
            values[field.name] = field.check(value, ctx)
        except Invalid:
            failed.add(field.name)
            values[field.name] = _fresh(field.default)
    return values, failed


def _fresh(default: Any) -> Any:
    return list(default) if isinstance(default, list) else default


def is_scalar(value: Any) -> bool:
    return isinstance(value, (str, int, float)) and not isinstance(value, bool)


def text(value: Any, ctx: FieldCtx) -> str | None:
    """Optional text: None stays None (the field is absent), anything else must be text."""
    if value is None:
        return None
    return required_text(value, ctx)


def required_text(value: Any, ctx: FieldCtx) -> str:
    if not isinstance(value, str):
        raise ctx.type_error("text", value, hint="put the value in quotes")
    return value.strip()


def within(maximum: int, check=required_text):
    """``check``, then the column's length: text longer than ``maximum`` characters is ``lp.field_limit``."""

    def limited(value: Any, ctx: FieldCtx) -> Any:
        text = check(value, ctx)
        if text is not None and len(text) > maximum:
            ctx.error(
                Code.FIELD_LIMIT,
                f"'{ctx.name}' is {len(text)} characters long; the database stores at most {maximum}",
                hint=f"shorten it to {maximum} characters or fewer",
            )
            raise Invalid
        return text

    return limited


def at_most(value: int | float, maximum: int, ctx: FieldCtx, *, shown: Any = None) -> None:
    """A number the database stores in an integer column of at most ``maximum`` (``lp.field_limit``)."""
    if round(value) > maximum:
        ctx.error(
            Code.FIELD_LIMIT,
            f"'{ctx.name}' is {describe(value if shown is None else shown)}; the database stores at most {maximum}",
            hint=f"use a number from 0 to {maximum}",
        )
        raise Invalid


def storable_chars(doc, display: str, reporter: Reporter, *, limit: int = 10) -> bool:
    """Report every NUL and lone surrogate in the keys and texts of ``doc.data`` (``lp.text_char``).

    They come from escapes (YAML ``"\\0"``, JSON ``"\\u0000"``/``"\\ud800"``): raw ones are refused
    when the file is decoded. Each container is visited once, so YAML aliases cost nothing extra.
    Returns True when there are none.
    """
    found = 0
    seen: set[int] = set()
    todo: list[tuple[Any, tuple]] = [(doc.data, ())]
    while todo and found < limit:
        value, path = todo.pop()
        if isinstance(value, str):
            at = bad_char(value)
            if at >= 0:
                found += 1
                line, col = doc.pos(*path)
                where = f"'{'.'.join(map(str, path))}'" if path else "the document"
                reporter.error(
                    display,
                    line,
                    Code.TEXT_CHAR,
                    f"{where} holds {describe_char(value[at])} at character {at + 1}, which the database cannot store",
                    col=col,
                    hint="remove the escape (\\0, \\u0000, \\ud800 ...) from the value",
                )
        elif isinstance(value, (dict, list)) and id(value) not in seen:
            seen.add(id(value))
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for key, item in reversed(list(items)):
                todo.append((item, path + (key,)))
                if isinstance(key, str):
                    todo.append((key, path + (key,)))
    return found == 0


def boolean(value: Any, ctx: FieldCtx) -> bool:
    if not isinstance(value, bool):
        raise ctx.type_error("true or false", value)
    return value


def number(value: Any, ctx: FieldCtx, expected: str = "a number") -> int | float:
    if not is_number(value):
        raise ctx.type_error(expected, value)
    return whole(value)


def minutes(value: Any, ctx: FieldCtx) -> int | float:
    value = number(value, ctx, "a number of minutes")
    if value < 0:
        ctx.error(Code.FIELD_VALUE, f"'{ctx.name}' must not be negative, got {describe(value)}")
        raise Invalid
    at_most(value, INT_MAX, ctx)
    return value


def ranged(low: int, high: int):
    def check(value: Any, ctx: FieldCtx) -> int:
        value = number(value, ctx)
        if not low <= value <= high:
            ctx.error(Code.FIELD_VALUE, f"'{ctx.name}' must be between {low} and {high}, got {describe(value)}")
            raise Invalid
        return round(value)

    return check


def ranged_list(low: int, high: int):
    def check(value: Any, ctx: FieldCtx) -> list[int]:
        items = listed(value, ctx, f"a list of numbers from {low} to {high}", hint="write e.g. [12, 13, 14]")
        out = []
        for i, item in enumerate(items):
            if not is_number(item) or not low <= item <= high:
                ctx.error(
                    Code.FIELD_VALUE,
                    f"'{ctx.name}' item {i + 1} must be a number from {low} to {high}, got {describe(item)}",
                    sub=(i,),
                )
                continue
            out.append(round(item))
        return out

    return check


def listed(value: Any, ctx: FieldCtx, expected: str, hint: str = "") -> list:
    if not isinstance(value, list):
        raise ctx.type_error(expected, value, hint=hint)
    return value


def text_list(value: Any, ctx: FieldCtx) -> list[str]:
    if value is None:
        return []
    out = []
    for i, item in enumerate(listed(value, ctx, "a list of texts", hint='write e.g. ["ai", "python"]')):
        if is_scalar(item):
            out.append(str(item).strip())
        else:
            ctx.error(Code.FIELD_TYPE, f"'{ctx.name}' item {i + 1} must be text, got {describe(item)}", sub=(i,))
    return out


def mapping(value: Any, ctx: FieldCtx, expected: str) -> dict:
    if not isinstance(value, dict):
        raise ctx.type_error(expected, value)
    return value


def language(value: Any, ctx: FieldCtx) -> str:
    code = required_text(value, ctx).lower()
    if code not in LANGUAGES:
        named = _LANGUAGE_NAMES.get(code)
        ctx.error(
            Code.FIELD_VALUE,
            f"'{ctx.name}' must be a two-letter ISO 639-1 code, got {describe(value)}",
            hint=f"did you mean '{named}'?" if named else "e.g. nl, en, fr, de",
        )
        raise Invalid
    return code


def json_schema(value: Any, ctx: FieldCtx) -> dict:
    """A JSON Schema mapping: JSON values only, with schema keywords, valid for its draft (callback_schema.py)."""
    schema = mapping(value, ctx, "a JSON Schema mapping")
    try:
        schema = to_json(schema)
    except ValueError as exc:
        ctx.error(Code.FIELD_VALUE, f"'callback_schema' is not JSON: {exc}")
        raise Invalid from None
    if schema and not (schema.keys() & _SCHEMA_KEYWORDS):
        ctx.error(
            Code.FIELD_VALUE,
            "'callback_schema' does not look like a JSON Schema (no 'type', 'properties', ...)",
            hint="write e.g. {type: object, properties: {score: {type: number}}}",
        )
        raise Invalid
    kinds = schema.get("type")
    kinds = kinds if isinstance(kinds, list) else [kinds] if kinds is not None else []
    bad = [k for k in kinds if k not in _SCHEMA_TYPES]
    if bad:
        ctx.error(
            Code.FIELD_VALUE,
            f"'callback_schema' has an unknown type {describe(bad[0])}",
            hint=did_you_mean(str(bad[0]), _SCHEMA_TYPES) or f"use one of {', '.join(sorted(_SCHEMA_TYPES))}",
        )
        raise Invalid
    problem = schema_problem(schema)
    if problem is not None:
        sub, message, hint = problem
        ctx.error(Code.CALLBACK_SCHEMA, message, sub=sub, hint=hint)
        raise Invalid
    return schema
