"""A small JSON-Schema subset validator for ``return_value.callback_schema``. Pure, no database.

Supported keywords: type (one name or a list), properties, required, additionalProperties (bool or
schema), items (one schema), enum, const, minimum, maximum, exclusiveMinimum, exclusiveMaximum,
minLength, maxLength, minItems, maxItems. Unknown keywords are ignored, as JSON Schema says.
"""
from __future__ import annotations

from typing import Any

MAX_DEPTH = 32
MAX_ERRORS = 10

_TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    # bool is an int in Python, never a number in JSON
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "integer": lambda v: (isinstance(v, int) and not isinstance(v, bool))
    or (isinstance(v, float) and v.is_integer()),
}


class SchemaError(ValueError):
    """The value does not match; ``errors`` lists "where: what" lines, the first is the message."""

    def __init__(self, errors: list[str]):
        super().__init__(errors[0] if errors else "invalid")
        self.errors = errors


def _is_number(v: Any) -> bool:
    return _TYPES["number"](v)


def _same(a: Any, b: Any) -> bool:
    """JSON equality: 1 == 1.0, but True != 1."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return a == b


def _check(value: Any, schema: Any, where: str, depth: int, errors: list[str]) -> None:
    if len(errors) >= MAX_ERRORS:
        return
    if depth > MAX_DEPTH:
        errors.append(f"{where}: nested too deeply")
        return
    if schema is False:
        errors.append(f"{where}: no value is allowed here")
        return
    if not isinstance(schema, dict):
        return

    kinds = schema.get("type")
    if kinds is not None:
        names = kinds if isinstance(kinds, list) else [kinds]
        if not any(_TYPES.get(n, lambda v: False)(value) for n in names):
            errors.append(f"{where}: expected {' or '.join(map(str, names))}")
            return
    if "enum" in schema and isinstance(schema["enum"], list):
        if not any(_same(value, option) for option in schema["enum"]):
            errors.append(f"{where}: must be one of {', '.join(map(repr, schema['enum'][:10]))}")
    if "const" in schema and not _same(value, schema["const"]):
        errors.append(f"{where}: must be {schema['const']!r}")

    if _is_number(value):
        for key, fails, text in (
            ("minimum", lambda v, m: v < m, "at least"), ("maximum", lambda v, m: v > m, "at most"),
            ("exclusiveMinimum", lambda v, m: v <= m, "more than"),
            ("exclusiveMaximum", lambda v, m: v >= m, "less than"),
        ):
            bound = schema.get(key)
            if _is_number(bound) and fails(value, bound):
                errors.append(f"{where}: must be {text} {bound}")
    if isinstance(value, str):
        if isinstance(schema.get("minLength"), int) and len(value) < schema["minLength"]:
            errors.append(f"{where}: must have at least {schema['minLength']} characters")
        if isinstance(schema.get("maxLength"), int) and len(value) > schema["maxLength"]:
            errors.append(f"{where}: must have at most {schema['maxLength']} characters")
    if isinstance(value, list):
        if isinstance(schema.get("minItems"), int) and len(value) < schema["minItems"]:
            errors.append(f"{where}: must have at least {schema['minItems']} items")
        if isinstance(schema.get("maxItems"), int) and len(value) > schema["maxItems"]:
            errors.append(f"{where}: must have at most {schema['maxItems']} items")
        items = schema.get("items")
        if isinstance(items, (dict, bool)):
            for i, item in enumerate(value):
                _check(item, items, f"{where}[{i}]", depth + 1, errors)
    if isinstance(value, dict):
        props = schema.get("properties") if isinstance(schema.get("properties"), dict) else {}
        required = schema.get("required") if isinstance(schema.get("required"), list) else []
        for name in required:
            if name not in value:
                errors.append(f"{where}: '{name}' is required")
        extra = schema.get("additionalProperties", True)
        for name, item in value.items():
            if name in props:
                _check(item, props[name], f"{where}.{name}", depth + 1, errors)
            elif extra is False:
                errors.append(f"{where}: '{name}' is not allowed")
            elif isinstance(extra, dict):
                _check(item, extra, f"{where}.{name}", depth + 1, errors)


def validate(value: Any, schema: dict) -> None:
    """Raise SchemaError listing what does not match (at most MAX_ERRORS), or return None."""
    errors: list[str] = []
    _check(value, schema, "value", 0, errors)
    if errors:
        raise SchemaError(errors)
