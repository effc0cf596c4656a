"""Hostile bodies for every JSON route and hostile values for every form (hypothesis): never a 5xx,
always a message, and nothing stored for what was refused. Runs on SQLite and PostgreSQL.

The JSON routes are found from the URL resolver (every route whose view is a ``json_route`` and takes
POST), so a new one is covered without being listed here. Form fields cannot carry what JSON can:
Django decodes form bodies with ``errors="replace"`` (a UTF-8-encoded surrogate or an invalid byte
becomes U+FFFD) and every CharField refuses NUL, which the form cases below check."""

from __future__ import annotations

import json
from urllib.parse import quote_from_bytes

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings, strategies as st

from learningpaths.accounts.models import User
from learningpaths.classroom.models import Assignment, Classroom, Group, Membership
from learningpaths.compiler.result import Question
from learningpaths.learning.models import CellsRun, Submission
from learningpaths.paths.services import content_sync
from tests.conftest import compile_result, compiled_object, compiled_path
from tests.security.test_csrf import ROUTES

pytestmark = pytest.mark.django_db

SETTINGS = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
MODELS = (User, Classroom, Membership, Group, Assignment, Submission, CellsRun)


def counts() -> tuple[int, ...]:
    return tuple(model.objects.count() for model in MODELS)


def json_post_routes():
    """(name, view) of every route that answers JSON and takes a body."""
    from django.urls import resolve

    for name, url in ROUTES:
        view = resolve(url).func
        if getattr(view, "json_route", False) and name not in (
            "demos:status",
            "learning:answers_mine",
            "learning:path_offline_manifest",
        ):  # GET-only JSON routes
            yield name


# A URL for each JSON POST route, with content behind it: an open question (any text is stored), an
# object whose returned value may be anything (schema {}), and the demo (no model file: a body that
# passes the door is answered 503, so only refusals are judged there; the word generator likewise).
URLS = {
    "learning:answer": "/learn/answers/essay/en/1/q1/",
    "classroom:return_value": "/classes/returns/anything/en/1/",
    "demos:predict": "/api/demos/digits-cnn/predict",
    "demos:generate": "/api/demos/words-transformer/generate",
    "demos:encode": "/api/demos/glyphs-autoencoder/encode",
    "demos:decode": "/api/demos/glyphs-autoencoder/decode",
    "learning:cells_ran": "/learn/ran/lab/en/1/",
}
KEYS = {
    "learning:answer": "answer",
    "classroom:return_value": "value",
    "demos:predict": "input",
    "demos:generate": "start",
    "demos:encode": "input",
    "demos:decode": "latent",
    "learning:cells_ran": "ok",
}


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """PBKDF2 costs ~0.5 s a user; these tests are about what is refused, not about hashing."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def site(db, settings, tmp_path, student):
    settings.CONTENT_ASSET_ROOT = tmp_path / "assets"
    settings.DEMO_MODELS_DIR = tmp_path / "no-models"
    settings.DEMO_RATE_LIMIT = settings.DEMO_ADDRESS_RATE_LIMIT = 10**6
    essay = compiled_object("essay", html='<form class="lp-question" data-question-id="q1"></form>')
    essay.questions = [Question(id="q1", kind="open", prompt="Why?", options=[], key=None)]
    anything = compiled_object("anything", return_value={"callback_url": "/x", "callback_schema": {}})
    lab = compiled_object("lab", completion="run")
    content_sync(result=compile_result([essay, anything, lab], [compiled_path("p", [essay, anything, lab])]))
    client = Client()
    client.force_login(student)
    return client


def test_the_resolver_finds_the_json_routes():
    assert set(json_post_routes()) == set(URLS)


# -- hostile JSON-ish bodies -------------------------------------------------------------------------

TEXT = st.one_of(st.characters(), st.sampled_from(["\x00", "\ud800", "\udfff", "\ufeff", "\u2028"]))
LEAF = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(TEXT, max_size=12),
)
VALUE = st.recursive(
    LEAF,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(TEXT, max_size=4), inner, max_size=3),
    max_leaves=16,
)


def _wrap(key: str):
    return VALUE.map(lambda v: json.dumps({key: v}).encode())  # Infinity, NaN and \\udxxx escapes as JSON writes them


def _deep(key: str):
    return st.integers(min_value=30, max_value=20_000).map(
        lambda n: (f'{{"{key}": ' + "[" * n + "]" * n + "}").encode()
    )


FRAGMENT = st.sampled_from(
    [b"[", b"]", b"{", b"}", b'"', b",", b":", b"-", b"1e999", b"NaN", b"Infinity", b"9" * 400, b"\\u0000"]
    + [b"\\ud800", b"\x00", b"\xff", b"\xed\xa0\x80", b'"answer"', b'"value"', b'"input"', b"true", b" "]
)


def bodies(key: str):
    """(content type, body) pairs: JSON with hostile values, deep nesting, fragments, random bytes, forms."""
    json_types = st.sampled_from(["application/json", "text/plain", "application/octet-stream"])
    payload = st.one_of(
        _wrap(key),
        _deep(key),
        st.lists(FRAGMENT, max_size=50).map(lambda parts: b'{"%s": ' % key.encode() + b"".join(parts)),
        st.binary(max_size=300),
    )
    forms = st.tuples(
        st.just("multipart/form-data; boundary=BoUnDaRy"),
        st.binary(max_size=100).map(
            lambda data: (
                b'--BoUnDaRy\r\nContent-Disposition: form-data; name="%s"\r\n\r\n%s\r\n--BoUnDaRy--\r\n'
                % (key.encode(), data)
            )
        ),
    ) | st.tuples(
        st.just("application/x-www-form-urlencoded"),
        st.binary(max_size=100).map(lambda data: f"{key}=".encode() + quote_from_bytes(data).encode()),
    )
    return st.one_of(st.tuples(json_types, payload), forms)


def _clean(value) -> bool:
    text = json.dumps(value, ensure_ascii=False)
    text.encode("utf-8")  # raises on a lone surrogate, as SQLite readers and PostgreSQL did
    return "\x00" not in text and "NaN" not in text and "Infinity" not in text


def check_json_route(client, name: str, content_type: str, body: bytes) -> None:
    before = counts()
    response = client.generic("POST", URLS[name], body, content_type=content_type)
    status = response.status_code
    where = (name, content_type, body[:80], status)
    if name.startswith("demos:") and status == 503:  # past every check; no model file
        assert counts() == before, where
        return
    assert status < 500, (*where, response.content[:300])
    answer = response.json()
    if status >= 400:
        assert set(answer) >= {"error", "detail"} and answer["detail"].strip(), where
        assert counts() == before, where  # refused: nothing stored
    elif name == "learning:cells_ran":  # only {"ok": true} passes; it stores one mark, no value
        assert status == 201 and CellsRun.objects.exists(), where
    else:  # stored: and what is stored is clean (no NUL, surrogate, non-finite number)
        assert status == 201, where
        stored = Submission.objects.order_by("-pk").first()
        assert _clean(stored.answer), where


def known_cases(key: str) -> list[tuple[str, bytes]]:
    """The classes from issue 15, always tried (hypothesis looks around them)."""
    pre = f'{{"{key}": '.encode()
    return [
        ("application/json", pre + b'"\\ud800"}'),
        ("text/plain", pre + b'"a\\u0000b"}'),  # NUL in a body that is not labelled JSON
        ("text/plain", pre + b'"a\x00b"}'),
        ("application/json", pre + b"[" * 5000 + b"]" * 5000 + b"}"),
        ("application/json", pre + b"[Infinity, NaN, 1e999]}"),
        ("application/json", pre + b"[" + b"9" * 400 + b"]}"),
        ("application/json", pre + b"null}"),
        ("multipart/form-data; boundary=B", b'--B\r\nContent-Disposition: form-data; name="x"\r\n\r\n1\r\n--B--\r\n'),
        ("application/x-www-form-urlencoded", key.encode() + b"=1"),
    ]


@pytest.mark.parametrize("name", sorted(URLS))
def test_hostile_bodies_to_every_json_route(site, name):
    for case in known_cases(KEYS[name]):
        check_json_route(site, name, *case)

    @SETTINGS
    @given(case=bodies(KEYS[name]))
    def run(case):
        check_json_route(site, name, *case)

    run()


# -- hostile form values ---------------------------------------------------------------------------

FORM_TEXT = st.one_of(
    st.text(TEXT, max_size=40),
    st.sampled_from(["", " ", "a\x00b", "x" * 5000, "robotics", "Robotics 1", "<script>", "é" * 200]),
)
RAW = st.one_of(st.binary(max_size=30), st.sampled_from([b"\xed\xa0\x80", b"\x00", b"\xff\xfe", b"a\xc0\xafb"]))
DATES = st.sampled_from(
    ["", "0001-01-01T00:00", "9999-12-31T23:59", "2026-02-30T10:00", "2026-06-01T25:00", "1e999", "now"]
    + ["2026-06-01T10:00", "10000-01-01T00:00", "-0001-01-01T00:00", "2026-06-01T10:00\x00"]
)


def encode_form(fields: dict) -> bytes:
    """urlencoded by hand, so that a value may be any bytes (what a hostile client sends)."""
    parts = []
    for key, value in fields.items():
        data = value if isinstance(value, bytes) else value.encode("utf-8", "surrogatepass")
        parts.append(f"{key}={quote_from_bytes(data)}")
    return "&".join(parts).encode()


def post_form(client, url: str, fields: dict):
    before = counts()
    response = client.generic("POST", url, encode_form(fields), content_type="application/x-www-form-urlencoded")
    assert response.status_code < 500, (url, fields, response.status_code)
    if response.status_code != 302:  # refused: a message on the page, nothing stored
        assert b"errorlist" in response.content or b"messages" in response.content, (url, fields)
        assert counts() == before, (url, fields)
    return response


def assert_clean_text(*values: str) -> None:
    for value in values:
        assert "\x00" not in value and not any("\ud800" <= c <= "\udfff" for c in value), value


@pytest.fixture
def teacher_client(teacher, site):
    client = Client()
    client.force_login(teacher)
    return client


@SETTINGS
@given(username=st.one_of(FORM_TEXT, RAW), password=st.one_of(FORM_TEXT, RAW))
def test_sign_up_and_sign_in(db, username, password):
    client = Client()
    post_form(client, "/accounts/sign-up/", {"username": username, "password1": password, "password2": password})
    assert_clean_text(*User.objects.values_list("username", flat=True))
    response = client.generic(
        "POST",
        "/accounts/sign-in/",
        encode_form({"username": username, "password": password}),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code < 500


@SETTINGS
@given(name=st.one_of(FORM_TEXT, RAW), code=st.one_of(FORM_TEXT, RAW))
def test_class_create_and_join(teacher_client, student, name, code):
    post_form(teacher_client, "/classes/new/", {"name": name, "approval_required": "on"})
    assert_clean_text(*Classroom.objects.values_list("name", flat=True))
    client = Client()
    client.force_login(student)
    post_form(client, "/classes/join/", {"code": code})


def a_classroom(teacher):
    from learningpaths.classroom import services

    return Classroom.objects.filter(teachers=teacher).first() or services.classroom_create(
        teacher=teacher, name="Robotics", approval_required=False
    )


@SETTINGS
@given(name=st.one_of(FORM_TEXT, RAW), members=st.lists(st.one_of(FORM_TEXT, RAW), max_size=3))
def test_group_create(teacher_client, teacher, name, members):
    classroom = a_classroom(teacher)
    body = encode_form({"name": name}) + b"".join(b"&members=" + encode_form({"m": m})[2:] for m in members)
    before = counts()
    response = teacher_client.generic(
        "POST", f"/classes/{classroom.pk}/groups/new/", body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code < 500
    if response.status_code != 302:
        assert counts() == before and b"errorlist" in response.content
    assert_clean_text(*Group.objects.values_list("name", flat=True))


# Deadlines as far out as year 1 or 9999: the form's bounds refuse them with a message.
@SETTINGS
@given(path=st.one_of(FORM_TEXT, st.just("p|en")), deadline=DATES)
def test_assignment_create(teacher_client, teacher, path, deadline):
    post_form(
        teacher_client, f"/classes/{a_classroom(teacher).pk}/assignments/new/", {"path": path, "deadline": deadline}
    )


@SETTINGS
@given(password=st.one_of(FORM_TEXT, RAW), confirm=st.sampled_from(["", "on", "\x00", "yes"]))
def test_account_delete(db, django_user_model, password, confirm):
    user = django_user_model.objects.filter(username="leaver").first() or django_user_model.objects.create_user(
        username="leaver", password="Right-password-1"
    )
    client = Client()
    client.force_login(user)
    post_form(client, "/classes/me/delete/", {"password": password, "confirm": confirm})
    assert django_user_model.objects.filter(username="leaver").exists()  # never the right password
