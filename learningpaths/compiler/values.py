"""Small helpers shared by the object and path schemas: describing values, JSON-safety, numbers."""

from __future__ import annotations

import math
from typing import Any

_JSON_BUDGET = 10_000  # items at most in one free-form value (aliases can make huge trees)


class Invalid(Exception):
    """Raised inside a field validator after it has reported the problem; the field is dropped."""


def describe(value: Any) -> str:
    """'the string 'x'', 'the number 3', 'a list', ... for "expected X, got Y" messages."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"the text '{shown}'"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return f"a {type(value).__name__}"


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def whole(value: float | int) -> int | float:
    """3.0 -> 3; other numbers unchanged."""
    return int(value) if float(value).is_integer() else value


def to_json(value: Any) -> Any:
    """A deep copy made of JSON types only; raises ``ValueError`` naming what is not JSON."""
    budget = [_JSON_BUDGET]

    def copy(v: Any, depth: int) -> Any:
        budget[0] -= 1
        if budget[0] < 0 or depth > 50:
            raise ValueError("it is too large or nested too deeply")
        if v is None or isinstance(v, (bool, str)):
            return v
        if isinstance(v, (int, float)):
            if not math.isfinite(v):
                raise ValueError(f"{v} is not a JSON number")
            return v
        if isinstance(v, list):
            return [copy(x, depth + 1) for x in v]
        if isinstance(v, dict):
            return {str(k): copy(x, depth + 1) for k, x in v.items()}
        raise ValueError(f"{describe(v)} is not a JSON value")

    return copy(value, 0)
