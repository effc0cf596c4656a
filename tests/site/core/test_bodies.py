"""core/bodies.py: the one door for JSON request bodies. Examples for each refusal, and properties:
whatever bytes arrive, ``json_value`` either returns what ``json.loads`` returns or raises
``BodyRefused`` with a 4xx and a message; never another exception (RecursionError, the 4300-digit
ValueError, UnicodeDecodeError), and never a value that holds NUL, a surrogate or a non-finite number."""

from __future__ import annotations

import json
import math
import sys

import pytest
from django.test import RequestFactory
from hypothesis import HealthCheck, given, settings, strategies as st

from learningpaths.core.bodies import MAX_DEPTH, BodyRefused, declared_too_large, json_body, json_value

LIMIT = 64 * 1024


def refused(data, **limits) -> BodyRefused:
    with pytest.raises(BodyRefused) as info:
        json_value(data, max_bytes=limits.pop("max_bytes", LIMIT), **limits)
    return info.value


@pytest.mark.parametrize(
    "data,status,fragment",
    [
        (b"x" * (LIMIT + 1), 413, "too large (at most 64 KiB)"),
        (b"", 400, "could not be read"),
        (b"   ", 400, "could not be read"),
        (b"{not json", 400, "could not be read"),
        (b'{"a": "\xff"}', 400, "not valid UTF-8"),
        (b'{"a": "\xed\xa0\x80"}', 400, "not valid UTF-8"),  # a surrogate encoded as UTF-8
        (b'{"a": "b\x00"}', 400, "NUL"),
        (b'{"a": "b\\u0000"}', 400, "NUL"),
        (b'{"a\\u0000": 1}', 400, "NUL"),
        (b'{"a": "\\ud800"}', 400, "lone UTF-16 surrogate"),
        (b'{"a": "\\udc00\\ud800"}', 400, "lone UTF-16 surrogate"),  # the wrong order is no pair
        (b'{"\\ud83d": 1}', 400, "lone UTF-16 surrogate"),
        (b"[" * 100_000 + b"]" * 100_000, 413, "too large"),
        (b"[" * 5_000 + b"]" * 5_000, 400, "nested too deeply (at most 32 levels)"),
        (b"[" * 5_000, 400, "nested too deeply"),
        (b'{"a":' * 40 + b"1" + b"}" * 40, 400, "nested too deeply"),
        (b"[Infinity]", 400, "not finite"),
        (b"[-Infinity]", 400, "not finite"),
        (b'{"x": NaN}', 400, "not finite"),
        (b"[1e999]", 400, "too large"),
        (b"[-1e999]", 400, "too large"),
        (b"[" + b"9" * 400 + b"]", 400, "too many digits (at most 20)"),
        (b"-" + b"9" * 5000, 400, "too many digits"),  # past Python's 4300-digit int() limit
        (b"[" + b"0," * 10_000 + b"0]", 400, "too many values (at most 10000)"),
    ],
)
def test_each_hostile_body_is_refused_with_a_message(data, status, fragment):
    exc = refused(data)
    assert exc.status == status and fragment in exc.detail, exc.detail
    response = exc.response()
    assert response.status_code == status and json.loads(response.content)["detail"] == exc.detail


@pytest.mark.parametrize(
    "data,value",
    [
        (b'{"answer": [1, 2.5, -3, true, null, "x"]}', {"answer": [1, 2.5, -3, True, None, "x"]}),
        (b'"\\ud83d\\ude00"', "\U0001f600"),  # an escaped pair is one character
        ('"😀 één"'.encode(), "😀 één"),
        (b'"\\\\u0000"', "\\u0000"),  # an escaped backslash: text, not a NUL
        (b'"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["', "[" * 42),  # brackets inside strings do not nest
        (b"[" * MAX_DEPTH + b"]" * MAX_DEPTH, json.loads("[" * MAX_DEPTH + "]" * MAX_DEPTH)),
        (b"[" + b"9" * 20 + b"]", [int("9" * 20)]),
        (b"[1e308, 1e-999]", [1e308, 0.0]),
        (b"[" + b"0," * 9_998 + b"0]", [0] * 9_999),  # with the list: 10000 values
    ],
)
def test_ordinary_bodies_pass_unchanged(data, value):
    assert json_value(data, max_bytes=LIMIT) == value


def test_route_limits_and_messages_are_parameters():
    assert refused(b"[[1]]", max_depth=1).detail == "The request is nested too deeply (at most 1 levels)."
    assert refused(b"[1, 2, 3]", max_items=3).status == 400
    assert json_value(b"[1, 2]", max_bytes=LIMIT, max_items=3) == [1, 2]
    assert refused(b"[123]", max_int_digits=2).status == 400
    assert refused(b"nope", invalid="Send an answer.").detail == "Send an answer."
    assert refused(b"[1]", max_bytes=2, too_large="Too big.").detail == "Too big."
    assert refused(b"{}", content_type="multipart/form-data; boundary=x").status == 415
    assert refused(b"{}", content_type="Application/X-WWW-Form-Urlencoded").status == 415
    for content_type in (None, "", "application/json", "text/plain;charset=UTF-8"):
        assert json_value(b"{}", max_bytes=LIMIT, content_type=content_type) == {}
    assert json_value('{"a": [1]}', max_bytes=LIMIT) == {"a": [1]}  # text, as a query parameter arrives


@pytest.mark.parametrize(
    "declared,too_large",
    [(None, False), ("", False), ("0", False), ("10", False), ("11", True), ("-1", True), ("x", True)],
)
def test_declared_size(declared, too_large):
    assert declared_too_large(declared, max_bytes=10) is too_large


def test_json_body_checks_the_request_before_reading_it():
    factory = RequestFactory()
    form = factory.post("/x", {"answer": "1", "file": b"x"})  # multipart, as a browser form sends it
    form.POST  # noqa: B018 -- what CSRF does first: the body is streamed and gone
    with pytest.raises(BodyRefused) as info:
        json_body(form, max_bytes=LIMIT)
    assert info.value.status == 415 and "not as a form" in info.value.detail
    big = factory.post("/x", b"{}", content_type="application/json", CONTENT_LENGTH="999999")
    with pytest.raises(BodyRefused) as info:
        json_body(big, max_bytes=LIMIT, too_large="This answer is too large.")
    assert (info.value.status, info.value.detail) == (413, "This answer is too large.")
    ok = factory.post("/x", b'{"answer": 1}', content_type="application/json")
    assert json_body(ok, max_bytes=LIMIT) == {"answer": 1}


def test_django_s_own_size_limit_is_a_413(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10
    request = RequestFactory().post("/x", b'{"answer": "long enough"}', content_type="application/json")
    with pytest.raises(BodyRefused) as info:
        json_body(request, max_bytes=LIMIT)
    assert info.value.status == 413


def test_the_depth_check_runs_before_json_loads_could_recurse():
    """json.loads recurses: at this depth it raises RecursionError. The door refuses it first."""
    deep = "[" * (sys.getrecursionlimit() * 2) + "]" * (sys.getrecursionlimit() * 2)
    with pytest.raises(RecursionError):
        json.loads(deep)
    assert refused(deep.encode(), max_bytes=10**6).status == 400


# ---------------------------------------------------------------------------------------- properties

# Any character, and the ones a JSON route must refuse, often.
TEXT = st.one_of(st.characters(), st.sampled_from(["\x00", "\ud800", "\udbff", "\udc00", "\udfff"]))
JSONISH = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(TEXT, max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(TEXT, max_size=4), inner, max_size=4),
    max_leaves=20,
)
FRAGMENTS = st.sampled_from(
    [b"[", b"]", b"{", b"}", b'"', b"\\", b",", b":", b"1", b"-", b"e999", b"Infinity", b"NaN", b"\\u0000"]
    + [b"\\ud800", b"\\udc00", b"\x00", b"\xff", b"\xed\xa0\x80", b"9" * 30, b'"a"', b"true", b"null", b" "]
)
HOSTILE = st.one_of(
    st.binary(max_size=200),
    st.lists(FRAGMENTS, max_size=60).map(b"".join),
    JSONISH.map(lambda v: json.dumps(v).encode()),  # json.dumps writes Infinity/NaN and lone surrogates as \\u escapes
    st.integers(min_value=1, max_value=3000).map(lambda n: b"[" * n + b"]" * n),
    st.integers(min_value=1, max_value=3000).map(lambda n: b'{"a":[' * n),
)


def _clean(value) -> bool:
    """No NUL, no surrogate, no non-finite float, no long integer, anywhere in the value."""
    if isinstance(value, str):
        return "\x00" not in value and not any("\ud800" <= c <= "\udfff" for c in value)
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, int):
        return len(str(abs(value))) <= 20
    if isinstance(value, list):
        return all(_clean(v) for v in value)
    if isinstance(value, dict):
        return all(_clean(k) and _clean(v) for k, v in value.items())
    return True


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=HOSTILE)
def test_any_bytes_are_a_clean_value_or_a_4xx(data):
    try:
        value = json_value(data, max_bytes=LIMIT)
    except BodyRefused as exc:
        assert exc.status in (400, 413, 415) and exc.detail.strip()
        return
    assert _clean(value)
    assert value == json.loads(data)  # what passes is exactly what JSON says
    assert json.dumps(value, ensure_ascii=False).encode("utf-8")  # storable as UTF-8 (a surrogate would raise)


@settings(max_examples=200, deadline=None)
@given(value=JSONISH)
def test_a_clean_value_always_passes(value):
    text = json.dumps(value)
    if _clean(value) and not _too_deep(value):
        assert json_value(text.encode(), max_bytes=LIMIT) == json.loads(text)
    else:
        assert refused(text.encode()).status == 400


def _too_deep(value, level=0) -> bool:
    if isinstance(value, (list, dict)):
        inner = value.values() if isinstance(value, dict) else value
        return level + 1 > MAX_DEPTH or any(_too_deep(v, level + 1) for v in inner)
    return False
