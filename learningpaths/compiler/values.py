"""Small helpers shared by the object and path schemas: describing values, JSON-safety, numbers."""

from __future__ import annotations

import math
from typing import Any

from .limits import JSON_INT_MAX, bad_char, describe_char

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
    if isinstance(value, int) and abs(value) >= 10**40:
        return "a number of more than 40 digits"  # str() of a huge int is slow, and refused past 4300 digits
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return f"a {type(value).__name__}"


def is_number(value: Any) -> bool:
    """An int (of any size: math.isfinite would overflow on a huge one) or a finite float."""
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, float) and math.isfinite(value))


def whole(value: float | int) -> int | float:
    """3.0 -> 3; other numbers unchanged."""
    if isinstance(value, int):
        return value
    return int(value) if value.is_integer() else value


def to_json(value: Any) -> Any:
    """A deep copy made of JSON types only; raises ``ValueError`` naming what is not JSON."""
    budget = [_JSON_BUDGET]

    def copy(v: Any, depth: int) -> Any:
        budget[0] -= 1
        if budget[0] < 0 or depth > 50:
            raise ValueError("it is too large or nested too deeply")
        if v is None or isinstance(v, bool):
            return v
        if isinstance(v, str):
            return text(v)
        if isinstance(v, int):
            if abs(v) > JSON_INT_MAX:
                raise ValueError(f"{describe(v)} is past the 64-bit range the database compares exactly")
            return v
        if isinstance(v, float):
            if not math.isfinite(v):
                raise ValueError(f"{v} is not a JSON number")
            return v
        if isinstance(v, list):
            return [copy(x, depth + 1) for x in v]
        if isinstance(v, dict):
            return {text(str(k)): copy(x, depth + 1) for k, x in v.items()}
        raise ValueError(f"{describe(v)} is not a JSON value")

    def text(v: str) -> str:
        at = bad_char(v)
        if at >= 0:
            raise ValueError(f"it holds {describe_char(v[at])}, which the database cannot store")
        return v

    return copy(value, 0)
