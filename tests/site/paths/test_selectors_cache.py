"""The per-process memo (selectors_cache) and the anonymous page cache (paths/views_memo.py): per
visibility, invalidated by every rebuild, and never a teacher's rendering for anyone else."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from learningpaths.paths import selectors
from learningpaths.paths.selectors_cache import Memo, pages_memo, read_token, selectors_memo
from learningpaths.paths.services import content_sync
from tests.conftest import compile_result, compiled_object, compiled_path

pytestmark = pytest.mark.django_db

TEACHER_WORDS = ("TEACHER-SECRET-NOTE", "TEACHER-GUIDE-TEXT", "Teacher guide")


def build(intro_text="Welcome", *, extra_path=False):
    """The sample site's content; ``intro_text`` changes the first object (and so the path's hash)."""
    a = compiled_object(
        "intro",
        title="Introduction",
        html=f"<p>{intro_text}</p>",
        teacher_html=f"<p>{intro_text}</p><aside>TEACHER-SECRET-NOTE</aside>",
    )
    b = compiled_object("guide", title="Teacher guide", teacher_exclusive=True, html="<p>TEACHER-GUIDE-TEXT</p>")
    c = compiled_object("neuron", title="A neuron", html="<p>Neurons compute</p>")
    paths = [compiled_path("deep", [a, b, c], title="Deep learning")]
    if extra_path:
        paths.append(compiled_path("vision", [c], title="Computer vision"))
    return content_sync(result=compile_result([a, b, c], paths))


@pytest.fixture
def site(settings, tmp_path):
    settings.CONTENT_ASSET_ROOT = tmp_path / "assets"
    settings.DEBUG = False  # the page cache is off in development
    build()


def body(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200, url
    return response.content.decode()


def leaks(text):
    return [w for w in TEACHER_WORDS if w in text]


@pytest.mark.parametrize(
    "url, teacher_only",
    [
        ("/", "3 steps"),  # the catalogue card counts the teacher node for teachers only
        ("/paths/deep/en/", "TEACHER-SECRET-NOTE"),
        ("/paths/deep/en/intro/", "TEACHER-SECRET-NOTE"),
        ("/paths/deep/en/neuron/", "Teacher guide"),  # in the list of steps
        ("/api/learningPath/deep/en", "Teacher guide"),
    ],
)
def test_a_teacher_warming_the_caches_never_shows_students_teacher_text(site, teacher, student, url, teacher_only):
    as_teacher = Client()
    as_teacher.force_login(teacher)
    for _ in range(2):  # the second request is served from the memo
        assert teacher_only in body(as_teacher, url), "the teacher control run must see teacher material"
    as_student = Client()
    as_student.force_login(student)
    for who in (Client(), as_student):
        for _ in range(2):
            page = body(who, url)
            assert teacher_only not in page and leaks(page) == [], url


def test_teacher_pages_are_never_served_from_the_anonymous_page_cache(site, teacher):
    anonymous = body(Client(), "/paths/deep/en/")
    assert leaks(anonymous) == []
    as_teacher = Client()
    as_teacher.force_login(teacher)
    page = body(as_teacher, "/paths/deep/en/")
    assert "TEACHER-SECRET-NOTE" in page and "Teacher guide" in page and teacher.username in page


def test_selectors_are_memoised_per_visibility(site, teacher, student):
    path_for_teacher = selectors.path_get(user=teacher, hruid="deep", language="en")
    path_for_student = selectors.path_get(user=student, hruid="deep", language="en")
    teacher_nodes = selectors.path_nodes(path=path_for_teacher, user=teacher)
    student_nodes = selectors.path_nodes(path=path_for_student, user=student)
    as_student_nodes = selectors.path_nodes(path=path_for_teacher, user=teacher, as_student=True)
    assert [n.obj.hruid for n in teacher_nodes] == ["intro", "guide", "neuron"]
    assert [n.obj.hruid for n in student_nodes] == ["intro", "neuron"]
    assert [n.obj.hruid for n in as_student_nodes] == ["intro", "neuron"]
    assert selectors.path_nodes(path=path_for_student, user=student) is student_nodes  # memoised
    intro = student_nodes[0].obj
    assert "TEACHER-SECRET-NOTE" not in selectors.object_html(obj=intro, user=student)
    assert "TEACHER-SECRET-NOTE" in selectors.object_html(obj=teacher_nodes[0].obj, user=teacher)
    assert "TEACHER-SECRET-NOTE" not in selectors.object_html(obj=teacher_nodes[0].obj, user=teacher, as_student=True)


def test_a_rebuild_invalidates_pages_and_selectors(site, student):
    anonymous, as_student = Client(), Client()
    as_student.force_login(student)
    for who in (anonymous, as_student):
        assert "Welcome" in body(who, "/paths/deep/en/intro/")
    assert "Computer vision" not in body(anonymous, "/")
    token = read_token()

    build("Hello again", extra_path=True)

    assert read_token() != token
    for who in (anonymous, as_student):
        page = body(who, "/paths/deep/en/intro/")
        assert "Hello again" in page and "Welcome" not in page
        assert "Computer vision" in body(who, "/")
    document = body(anonymous, "/api/learningPath/vision/en")
    assert '"hruid": "vision"' in document


def test_changing_one_object_invalidates_the_pages_of_its_path(site):
    """Only the object's text changes; the compiler's path hash covers it, so the path is re-linked."""
    assert "Welcome" in body(Client(), "/paths/deep/en/")
    token = read_token()
    build("Changed text")
    assert read_token()[4:] != token[4:]  # new node ids
    assert "Changed text" in body(Client(), "/paths/deep/en/")


def test_ids_that_come_back_after_a_rollback_do_not_revive_old_pages(site):
    """Between tests the database is rolled back and SQLite's id sequence with it; the next test's
    build has the same ids but a newer updated_at, so an earlier test's pages are never served."""
    from django.db import transaction

    assert "Welcome" in body(Client(), "/paths/deep/en/")
    before = read_token()
    with pytest.raises(RuntimeError), transaction.atomic():
        build("Inside a rolled-back build")
        inside = read_token()
        assert "Inside a rolled-back build" in body(Client(), "/paths/deep/en/")
        raise RuntimeError("roll back")
    assert read_token() == before and "Welcome" in body(Client(), "/paths/deep/en/")
    build("After the rollback")
    after = read_token()
    assert after != inside
    if connection.vendor == "sqlite":  # PostgreSQL's sequences are not rolled back: no id comes back there
        assert after[1:3] == inside[1:3] and after[4:] == inside[4:]  # same ids, newer time
    assert "After the rollback" in body(Client(), "/paths/deep/en/")


def test_a_cached_page_costs_one_query_and_carries_the_visitors_own_csrf_token(site):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    body(first, "/paths/deep/en/neuron/")
    with CaptureQueriesContext(connection) as queries:
        page = body(second, "/paths/deep/en/neuron/")
    assert len(queries) == 1  # the build token
    tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page))
    assert len(tokens) == 1 and "lp-csrf-" not in page
    # The token in the cached page works with this visitor's cookie (the language switch posts it).
    response = second.post("/i18n/setlang/", {"language": "nl", "next": "/", "csrfmiddlewaretoken": tokens.pop()})
    assert response.status_code == 302


def test_the_ui_language_is_part_of_the_page_key(site):
    assert 'lang="en"' in body(Client(), "/")
    assert 'lang="nl"' in body(Client(), "/", HTTP_ACCEPT_LANGUAGE="nl")
    assert 'lang="en"' in body(Client(), "/")


def test_signed_in_pages_and_queries_are_rendered_fresh(site, student):
    body(Client(), "/paths/deep/en/neuron/")
    as_student = Client()
    as_student.force_login(student)
    page = body(as_student, "/paths/deep/en/neuron/")
    assert student.username in page
    assert student.username not in body(Client(), "/paths/deep/en/neuron/")
    assert "Computer vision" not in body(Client(), "/?q=neuron")
    assert "No learning paths match" in body(Client(), "/?q=nothing-like-this")


def test_memo_is_bounded_and_keeps_recent_entries():
    memo = Memo(max_entries=3)
    for i in range(5):
        memo.get_or_compute(("k", i), lambda i=i: i)
    assert len(memo) == 3
    calls = []
    assert memo.get_or_compute(("k", 4), lambda: calls.append(1)) == 4 and calls == []
    assert memo.get_or_compute(("k", 0), lambda: "recomputed") == "recomputed"


def test_module_memos_are_bounded():
    assert selectors_memo.max_entries >= 1000 and pages_memo.max_entries <= 1000
