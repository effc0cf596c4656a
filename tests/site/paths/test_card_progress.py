"""Progress on the catalogue's cards (``paths.card_progress``, filled by ``learning``): a signed-in
student sees it on the paths they started, read once for all cards; anonymous pages stay memoised
and the same for everyone."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from learningpaths.paths.selectors_cache import pages_memo
from tests.site.classroom.test_selectors_home import answer_right, two_paths  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


def cards(page: str) -> dict[str, str]:
    return {
        re.search(r"<h2><a [^>]*>([^<]+)</a></h2>", li).group(1): li
        for li in re.findall(r'<li class="card".*?</li>', page, re.S)
    }


def test_started_paths_show_their_progress_and_continue(client, student, two_paths):  # noqa: F811
    client.force_login(student)
    client.get("/paths/quizpath/en/intro/")
    client.get("/paths/quizpath/en/quiz/")
    answer_right(client)
    shown = cards(client.get("/").content.decode())
    quiz = shown["Quiz path"]
    assert 'class="card-progress"' in quiz and "67% done" in quiz and 'aria-valuenow="67"' in quiz
    assert re.search(r'href="/paths/quizpath/en/quiz/">Continue', quiz)
    assert "card-progress" not in shown["Second path"]


def test_a_finished_path_says_so(client, student, two_paths):  # noqa: F811
    client.force_login(student)
    client.get("/paths/second/en/alpha/")
    client.get("/paths/second/en/beta/")
    second = cards(client.get("/").content.decode())["Second path"]
    assert "Finished ✓" in second and "Open again" in second and "% done" not in second


def test_one_read_per_table_for_all_the_cards(client, student, two_paths, django_assert_max_num_queries):  # noqa: F811
    client.force_login(student)
    client.get("/")  # the catalogue's cards and the steps are memoised per build
    client.get("/paths/second/en/alpha/")
    # session, user, the build token, progress rows, steps seen (no answers: that path asks nothing)
    with django_assert_max_num_queries(5):
        client.get("/")
    client.get("/paths/quizpath/en/intro/")
    client.get("/paths/quizpath/en/quiz/")
    answer_right(client)
    client.get("/")  # the quiz path's steps and rules, read once per build
    # Two started paths: the same reads, and the answers once for both (not one read per card).
    with django_assert_max_num_queries(6):
        page = client.get("/").content.decode()
    assert page.count('class="card-progress"') == 2


def test_anonymous_catalogue_is_memoised_and_shows_no_progress(client, student, two_paths, settings):  # noqa: F811
    settings.DEBUG = False
    pages_memo.clear()
    anonymous = client.get("/").content.decode()
    student_client = type(client)()
    student_client.force_login(student)
    student_client.get("/paths/quizpath/en/intro/")
    assert "card-progress" in student_client.get("/").content.decode()
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/")
    # From the memo: no rendering, and only the build token is read (no progress of anyone).
    assert again.templates == [] and len(queries) == 1 and "paths_learningpath" in queries[0]["sql"]
    assert "card-progress" not in anonymous and "% done" not in anonymous
    strip = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert strip.sub("", again.content.decode()) == strip.sub("", anonymous)
