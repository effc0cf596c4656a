"""return_value.callback_schema: the jsonschema library at run time (what cells return) and at compile time.

Moved from tests/site/classroom/test_jsonschema.py (the hand-written subset it tested is gone);
the assertions of the subset's keywords are kept, with jsonschema's messages.
"""

import pytest

from learningpaths.compiler.callback_schema import (
    MAX_VALUE_DEPTH,
    MAX_VALUE_NODES,
    ValueRefused,
    schema_problem,
    validate_value,
    value_errors,
)

SCHEMA = {  # the classroom tests' schema (tests/site/classroom/conftest.py)
    "type": "object",
    "properties": {
        "accuracy": {"type": "number", "minimum": 0, "maximum": 1},
        "model": {"type": "string", "enum": ["mlp", "cnn"]},
    },
    "required": ["accuracy"],
    "additionalProperties": False,
}


def refused(value, schema) -> list[str]:
    with pytest.raises(ValueRefused) as exc:
        validate_value(value, schema)
    assert str(exc.value) == exc.value.errors[0]
    return exc.value.errors


@pytest.mark.parametrize(
    "value",
    [
        {"accuracy": 0.93},
        {"accuracy": 1, "model": "cnn"},
        {"accuracy": 0},
    ],
)
def test_valid_values_pass(value):
    validate_value(value, SCHEMA)


@pytest.mark.parametrize(
    "value,first",
    [
        ({}, "value: 'accuracy' is a required property"),
        ({"accuracy": 1.5}, "value.accuracy: 1.5 is greater than the maximum of 1"),
        ({"accuracy": -0.1}, "value.accuracy: -0.1 is less than the minimum of 0"),
        ({"accuracy": "high"}, "value.accuracy: 'high' is not of type 'number'"),
        ({"accuracy": True}, "value.accuracy: True is not of type 'number'"),  # a boolean is not a number in JSON
        ({"accuracy": 0.5, "model": "svm"}, "value.model: 'svm' is not one of ['mlp', 'cnn']"),
        ({"accuracy": 0.5, "extra": 1}, "value: Additional properties are not allowed ('extra' was unexpected)"),
        ([0.5], "value: [0.5] is not of type 'object'"),
    ],
)
def test_invalid_values_say_where_and_why(value, first):
    assert refused(value, SCHEMA)[0] == first


def test_items_types_integer_and_lengths():
    schema = {"type": "array", "items": {"type": ["integer", "null"]}, "minItems": 1, "maxItems": 3}
    validate_value([1, 2.0, None], schema)
    assert refused([1, 2.5], schema) == ["value[1]: 2.5 is not of type 'integer', 'null'"]
    assert refused([], schema) == ["value: [] should be non-empty"]
    assert refused("abcd", {"type": "string", "maxLength": 3}) == ["value: 'abcd' is too long"]
    assert refused(1, {"exclusiveMaximum": 1}) == ["value: 1 is greater than or equal to the maximum of 1"]
    assert refused({"a": "x"}, {"additionalProperties": {"type": "number"}}) == ["value.a: 'x' is not of type 'number'"]
    assert refused(3, {"const": 2}) == ["value: 2 was expected"]


def test_keywords_the_old_subset_ignored_are_enforced():
    assert refused(3, {"anyOf": [{"type": "string"}, {"minimum": 5}]}) == [
        "value: 3 is not valid under any of the given schemas"
    ]
    assert refused(3, {"oneOf": [{"type": "number"}, {"minimum": 1}]})[0].startswith("value: 3 is valid under each of")
    assert refused(3, {"not": {"type": "number"}}) == ["value: 3 should not be valid under {'type': 'number'}"]
    assert refused({"model": "CNN"}, {"properties": {"model": {"pattern": "^[a-z]+$"}}}) == [
        "value.model: 'CNN' does not match '^[a-z]+$'"
    ]
    local = {"$defs": {"score": {"type": "number", "maximum": 1}}, "properties": {"acc": {"$ref": "#/$defs/score"}}}
    validate_value({"acc": 0.5}, local)
    assert refused({"acc": 2}, local) == ["value.acc: 2 is greater than the maximum of 1"]


def test_schema_draft_follows_dollar_schema():
    draft4 = {"$schema": "http://json-schema.org/draft-04/schema#", "maximum": 1, "exclusiveMaximum": True}
    assert refused(1, draft4) == ["value: 1 is greater than or equal to the maximum of 1"]  # a boolean in draft 4
    validate_value(0.5, draft4)


def test_format_is_not_asserted():
    validate_value("not an e-mail", {"type": "string", "format": "email"})


def test_remote_ref_is_refused_and_never_fetched(monkeypatch):
    import urllib.request

    def no_network(*args, **kwargs):
        raise AssertionError("a remote $ref was fetched")

    monkeypatch.setattr(urllib.request, "urlopen", no_network)
    remote = {"properties": {"acc": {"$ref": "https://example.org/score.json"}}}
    assert refused({"acc": 1}, remote) == [
        "value: the schema has a $ref that cannot be resolved ('https://example.org/score.json'); nothing is fetched"
    ]
    assert schema_problem(remote) == (
        ("properties", "acc", "$ref"),
        "'callback_schema' has a $ref that cannot be resolved: 'https://example.org/score.json' (a remote schema)",
        "refer only inside the schema, e.g. $ref: '#/$defs/point'; remote schemas are never fetched",
    )


def test_deep_value_is_refused_before_validation_not_a_crash():
    value = current = []
    for _ in range(500):  # deeper than the validator could follow a recursive schema
        current.append([])
        current = current[0]
    schema = {"$defs": {"deep": {"type": "array", "items": {"$ref": "#/$defs/deep"}}}, "$ref": "#/$defs/deep"}
    assert value_errors(value, schema) == [f"value: nested more than {MAX_VALUE_DEPTH} levels deep"]
    shallow = current = []
    for _ in range(MAX_VALUE_DEPTH - 1):
        current.append([])
        current = current[0]
    assert value_errors(shallow, schema) == []


def test_large_value_is_refused():
    assert value_errors(list(range(MAX_VALUE_NODES + 1)), {"type": "array"}) == [
        f"value: more than {MAX_VALUE_NODES} items"
    ]


def test_long_values_are_shortened_in_messages():
    (message,) = refused("x" * 1000, {"type": "integer"})
    assert message == "value: '" + "x" * 38 + "… is not of type 'integer'"


@pytest.mark.parametrize(
    "schema",
    [
        SCHEMA,
        {},
        {"$defs": {"p": {"type": "number"}}, "$ref": "#/$defs/p"},
        {
            "$schema": "http://json-schema.org/draft-07/schema#",
            "definitions": {"p": {}},
            "items": {"$ref": "#/definitions/p"},
        },
        {"$id": "https://x.org/root", "$defs": {"p": {"$id": "p", "type": "number"}}, "$ref": "p"},
        {"enum": [{"$ref": "https://x.org/data-not-a-schema"}]},
    ],
)
def test_good_schemas_have_no_problem(schema):
    assert schema_problem(schema) is None
