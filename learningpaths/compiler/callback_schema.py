"""``return_value.callback_schema``: JSON Schema, checked at compile time, applied at run time.

One place for both sides, so the compiler accepts exactly the schemas the site can apply:

* :func:`schema_problem` (compile time) runs the validator's ``check_schema`` (Draft 2020-12,
  or the draft ``$schema`` names), bounds the nesting of the schema, and resolves every ``$ref``;
* :func:`value_errors` (run time, ``classroom/services.py``) bounds a returned value's depth and
  size *before* the validator sees it (a value nested hundreds of levels deep would otherwise hit
  Python's recursion limit), then validates it.

A ``$ref`` to anything outside the schema is never fetched: the registry has no retrieval, so a
remote reference is an error at compile time and refuses the value at run time. ``format`` is
annotation only (no FormatChecker), as the 2020-12 default says.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, NoReturn

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError, ValidationError, best_match
from jsonschema.protocols import Validator
from jsonschema.validators import validator_for
from referencing import Registry
from referencing.exceptions import NoSuchResource, Unresolvable
from referencing.jsonschema import specification_with

from . import limits
from .diagnostics import did_you_mean

if TYPE_CHECKING:
    from referencing._core import Resolver  # the package does not re-export it

MAX_SCHEMA_DEPTH = 32  # nesting of mappings/lists in a schema; real ones use fewer than 10
MAX_VALUE_DEPTH = limits.VALUE_DEPTH_MAX  # nesting of a returned value (a cell returns scores and small records)
MAX_VALUE_NODES = limits.VALUE_ITEMS_MAX  # values, keys not counted, in one returned value
MAX_ERRORS = 10
_TYPES = ("object", "array", "string", "number", "integer", "boolean", "null")
_MAX_MESSAGE = 200  # characters of one error message (jsonschema quotes whole values)


class ValueRefused(ValueError):
    """A returned value that is not stored; ``errors`` are "where: what" lines, the first is the message."""

    def __init__(self, errors: list[str]):
        super().__init__(errors[0])
        self.errors = errors


def _refuse(uri: str) -> NoReturn:
    # call-arg below: referencing marks its attrs classes with the pre-PEP 681 `__dataclass_transform__`
    # (referencing/_attrs.pyi), which mypy does not read, so mypy sees no `ref` or `retrieve` argument.
    raise NoSuchResource(ref=uri)  # type: ignore[call-arg]  # never fetch a remote schema


_REGISTRY: Registry = Registry(retrieve=_refuse)  # type: ignore[call-arg]  # see _refuse
_DATA = frozenset({"enum", "const", "default", "examples"})  # keywords whose values are data, not schemas


def _validator_class(schema: dict) -> type[Validator]:
    return validator_for(schema, default=Draft202012Validator)


def _depth(value: Any, limit: int) -> tuple[int, int]:
    """(depth, nodes) of a JSON value without recursion; stops counting past ``limit`` levels."""
    depth, nodes, stack = 0, 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        nodes += 1
        depth = max(depth, level)
        if level > limit:
            break
        if isinstance(item, dict):
            stack.extend((v, level + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, level + 1) for v in item)
    return depth, nodes


def _where(path, root: str) -> str:
    return root + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path)


def _short(message: str, instance: Any = None) -> str:
    """At most ``_MAX_MESSAGE`` characters, shortening the quoted value first (it may be long)."""
    if len(message) > _MAX_MESSAGE and instance is not None:
        quoted = repr(instance)
        if len(quoted) > 40 and quoted in message:
            message = message.replace(quoted, quoted[:39] + "…")
    return message if len(message) <= _MAX_MESSAGE else message[: _MAX_MESSAGE - 1] + "…"


# -- compile time -------------------------------------------------------------------------------


def schema_problem(schema: dict) -> tuple[tuple, str, str] | None:
    """The first problem of ``schema`` as (path inside the schema, message, hint), or None."""
    depth, _ = _depth(schema, MAX_SCHEMA_DEPTH)
    if depth > MAX_SCHEMA_DEPTH:
        return (
            (),
            f"'callback_schema' is nested more than {MAX_SCHEMA_DEPTH} levels deep",
            "use $defs and $ref for repeated parts",
        )
    declared = schema.get("$schema")
    # arg-type: validator_for returns `default` as given for an unknown $schema; the stubs allow only a
    # validator class there, but None is what tells "unknown" apart from a draft the schema names.
    unknown = declared is not None and (
        not isinstance(declared, str) or validator_for(schema, default=None) is None  # type: ignore[arg-type]
    )
    if unknown:
        return (
            ("$schema",),
            f"'callback_schema' names an unknown $schema {declared!r}",
            "leave $schema out (Draft 2020-12) or write https://json-schema.org/draft/2020-12/schema",
        )
    cls = _validator_class(schema)
    try:
        cls.check_schema(schema)
    except SchemaError as exc:  # check_schema raises the metaschema's best match
        path = tuple(exc.absolute_path)
        if path[-1:] == ("type",) and isinstance(exc.instance, str):  # the message would be "not valid under any"
            return (
                path,
                f"'callback_schema' has an unknown type {exc.instance!r}",
                did_you_mean(exc.instance, _TYPES) or f"use one of {', '.join(_TYPES)}",
            )
        return (
            path,
            f"'callback_schema' is not a valid JSON Schema: {_short(exc.message)}",
            "see https://json-schema.org/understanding-json-schema/",
        )
    for path, ref, why in _bad_refs(schema, cls):
        return (
            path,
            f"'callback_schema' has a $ref that cannot be resolved: {ref!r} ({why})",
            "refer only inside the schema, e.g. $ref: '#/$defs/point'; remote schemas are never fetched",
        )
    return None


def _bad_refs(schema: dict, cls: type[Validator]) -> Iterator[tuple[tuple, str, str]]:
    """Each ``$ref`` that does not resolve inside the schema: (path, ref, reason)."""
    meta: dict[str, Any] = cls.META_SCHEMA
    specification = specification_with(meta.get("$id", meta.get("id", "")))
    root = specification.create_resource(schema)
    registry = _REGISTRY.with_resource(root.id() or "", root).crawl()
    stack: list[tuple[tuple, Any, Resolver]] = [((), schema, registry.resolver(base_uri=root.id() or ""))]
    while stack:
        path, node, resolver = stack.pop()
        if isinstance(node, dict):
            if node is not schema and isinstance(node.get("$id"), str):
                resolver = resolver.in_subresource(specification.create_resource(node))
            ref = node.get("$ref")
            if isinstance(ref, str):
                try:
                    resolver.lookup(ref)
                except (Unresolvable, ValueError):  # ValueError: not even a URI (urljoin on "http://[")
                    remote = not ref.startswith("#")
                    yield path + ("$ref",), ref, "a remote schema" if remote else "no such place in the schema"
            stack.extend((path + (k,), v, resolver) for k, v in reversed(list(node.items())) if k not in _DATA)
        elif isinstance(node, list):
            stack.extend((path + (i,), v, resolver) for i, v in reversed(list(enumerate(node))))


# -- run time -----------------------------------------------------------------------------------


def value_errors(value: Any, schema: dict) -> list[str]:
    """What is wrong with ``value`` for ``schema``: "where: what" lines, the most relevant first; [] if it fits."""
    depth, nodes = _depth(value, MAX_VALUE_DEPTH)
    if depth > MAX_VALUE_DEPTH:
        return [f"value: nested more than {MAX_VALUE_DEPTH} levels deep"]
    if nodes > MAX_VALUE_NODES:
        return [f"value: more than {MAX_VALUE_NODES} items"]
    validator = _validator_class(schema)(schema, registry=_REGISTRY)
    try:
        errors: list[ValidationError] = []
        for error in validator.iter_errors(value):
            errors.append(error)
            if len(errors) >= MAX_ERRORS:
                break
    except Unresolvable as exc:  # a schema compiled before $refs were checked
        ref = getattr(exc, "ref", "?")
        return [f"value: the schema has a $ref that cannot be resolved ({ref!r}); nothing is fetched"]
    first = best_match(errors)
    ordered = [first] + [e for e in errors if e is not first] if first is not None else []
    return [f"{_where(e.absolute_path, 'value')}: {_short(e.message, e.instance)}" for e in ordered]


def validate_value(value: Any, schema: dict) -> None:
    """Raise :class:`ValueRefused` when ``value`` does not fit ``schema``."""
    errors = value_errors(value, schema)
    if errors:
        raise ValueRefused(errors)
