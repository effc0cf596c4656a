"""The JSON-Schema subset that validates what runnable cells return."""
import pytest

from learningpaths.classroom.jsonschema import SchemaError, validate

from .conftest import SCHEMA


@pytest.mark.parametrize("value", [
    {"accuracy": 0.93}, {"accuracy": 1, "model": "cnn"}, {"accuracy": 0},
])
def test_valid_values_pass(value):
    validate(value, SCHEMA)


@pytest.mark.parametrize("value,fragment", [
    ({}, "'accuracy' is required"),
    ({"accuracy": 1.5}, "value.accuracy: must be at most 1"),
    ({"accuracy": -0.1}, "must be at least 0"),
    ({"accuracy": "high"}, "value.accuracy: expected number"),
    ({"accuracy": True}, "expected number"),  # a boolean is not a number in JSON
    ({"accuracy": 0.5, "model": "svm"}, "must be one of"),
    ({"accuracy": 0.5, "extra": 1}, "'extra' is not allowed"),
    ([0.5], "value: expected object"),
])
def test_invalid_values_say_where_and_why(value, fragment):
    with pytest.raises(SchemaError) as exc:
        validate(value, SCHEMA)
    assert any(fragment in e for e in exc.value.errors), exc.value.errors


def test_items_types_integer_and_lengths():
    schema = {"type": "array", "items": {"type": ["integer", "null"]}, "minItems": 1, "maxItems": 3}
    validate([1, 2.0, None], schema)
    with pytest.raises(SchemaError, match=r"value\[1\]: expected integer or null"):
        validate([1, 2.5], schema)
    with pytest.raises(SchemaError, match="at least 1 items"):
        validate([], schema)
    with pytest.raises(SchemaError, match="at most 3 characters"):
        validate("abcd", {"type": "string", "maxLength": 3})
    with pytest.raises(SchemaError, match="less than 1"):
        validate(1, {"exclusiveMaximum": 1})
    with pytest.raises(SchemaError):
        validate({"a": "x"}, {"additionalProperties": {"type": "number"}})
    with pytest.raises(SchemaError, match="must be 2"):
        validate(3, {"const": 2})


def test_deep_nesting_is_refused_not_a_crash():
    value = current = []
    for _ in range(200):
        current.append([])
        current = current[0]
    schema = {"type": "array"}
    schema["items"] = schema  # every level is checked, so depth matters
    with pytest.raises(SchemaError, match="nested too deeply"):
        validate(value, schema)


def test_unknown_keywords_are_ignored():
    validate({"a": 1}, {"type": "object", "title": "x", "$schema": "whatever", "patternProperties": {}})
