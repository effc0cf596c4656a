"""The student's home page (``selectors_home.student_home`` through ``/classes/``): the continue
card picks the latest visit, assignments say Start, Continue or Finished with the days left, the
other started paths show their progress, and an empty home says where to begin."""

from __future__ import annotations

import json
import re

import pytest
from django.utils import timezone

from learningpaths.classroom import services
from learningpaths.learning.models import PathProgress
from learningpaths.paths.services import content_sync
from tests.conftest import compile_result, compiled_object, compiled_path
from tests.site.classroom.conftest import quiz_objects


@pytest.fixture
def two_paths(db, settings, tmp_path):
    """quizpath (intro, quiz, train; a teacher guide hidden) and second (alpha, beta)."""
    settings.CONTENT_ASSET_ROOT = tmp_path / "assets"
    intro, quiz, train, guide = quiz_objects()
    alpha, beta = compiled_object("alpha", title="Alpha step"), compiled_object("beta", title="Beta step")
    content_sync(
        result=compile_result(
            [intro, quiz, train, guide, alpha, beta],
            [
                compiled_path("quizpath", [intro, quiz, guide, train], title="Quiz path"),
                compiled_path("second", [alpha, beta], title="Second path"),
            ],
        )
    )


def section(page: str, css: str) -> str:
    """The HTML of the first element whose class list starts with ``css`` up to its section's end."""
    start = page.index(css)
    return page[start : page.index("</section>", start)]


def card(page: str, title: str) -> str:
    """The assignment or path card (an ``<li class="card ...">``) whose heading links ``title``."""
    for li in re.findall(r'<li class="card[^"]*".*?</li>', page, re.S):
        if f">{title}</a></h3>" in li:
            return li
    raise AssertionError(f"no card for {title!r}")


def answer_right(client):
    response = client.post(
        "/learn/answers/quiz/en/1/q1/", data=json.dumps({"answer": 1}), content_type="application/json"
    )
    assert response.status_code == 201 and response.json()["correct"] is True, response.content


def test_an_empty_home_says_where_to_begin(client, student, two_paths):
    client.force_login(student)
    page = client.get("/classes/").content.decode()
    continue_card = section(page, "continue-card")
    assert "You have not started a learning path yet." in continue_card
    assert 'href="/"' in continue_card and "Browse the learning paths" in continue_card
    assert "button big" not in continue_card
    assert "Other learning paths you started" not in page


def test_the_continue_card_picks_the_latest_visit(client, student, two_paths):
    client.force_login(student)
    client.get("/paths/quizpath/en/intro/")
    client.get("/paths/second/en/alpha/")
    client.get("/paths/second/en/beta/")
    page = client.get("/classes/").content.decode()
    latest = section(page, "continue-card")
    assert "Second path" in latest and "Beta step" in latest and "100% done" not in latest
    assert "Finished ✓" in latest and 'href="/paths/second/en/beta/"' in latest
    # Back in the quiz path later on: it becomes the one to continue, at its resume step.
    PathProgress.objects.filter(user=student, path_hruid="quizpath").update(
        updated_at=timezone.now() + timezone.timedelta(minutes=5)
    )
    latest = section(client.get("/classes/").content.decode(), "continue-card")
    assert "Quiz path" in latest and "Introduction" in latest and "Second path" not in latest
    assert "33% done" in latest and 'aria-valuenow="33"' in latest
    assert re.search(r'<a class="button big" href="/paths/quizpath/en/intro/">Continue', latest)


def test_assignments_say_start_continue_or_finished(client, classroom, teacher, member, two_paths):
    services.assignment_create(classroom=classroom, actor=teacher, path_hruid="quizpath", path_language="en")
    client.force_login(member)
    fresh = card(client.get("/classes/").content.decode(), "Quiz path")
    assert 'data-state="new"' in fresh and ">Start<" in fresh and 'href="/paths/quizpath/en/"' in fresh
    client.get("/paths/quizpath/en/intro/")
    client.get("/paths/quizpath/en/quiz/")
    started = card(client.get("/classes/").content.decode(), "Quiz path")
    # The quiz is opened but not answered: one step of three done; Continue goes to the quiz.
    assert 'data-state="started"' in started and ">Continue<" in started and "1 of 3 steps" in started
    assert 'href="/paths/quizpath/en/quiz/"' in started and "Finished ✓" not in started
    answer_right(client)
    client.get("/paths/quizpath/en/train/")
    done = card(client.get("/classes/").content.decode(), "Quiz path")
    assert 'data-state="finished"' in done and "Finished ✓" in done and "3 of 3 steps" in done
    assert ">Continue<" not in done and ">Start<" not in done and "Open again" in done


def test_assigned_paths_are_not_repeated_among_the_other_started_paths(client, classroom, teacher, member, two_paths):
    services.assignment_create(classroom=classroom, actor=teacher, path_hruid="quizpath", path_language="en")
    client.force_login(member)
    client.get("/paths/quizpath/en/intro/")
    client.get("/paths/second/en/alpha/")
    page = client.get("/classes/").content.decode()
    others = section(page, 'aria-labelledby="my-paths"')
    assert "Second path" in others and "Quiz path" not in others
    second = card(page, "Second path")
    assert "50% done" in second and 'href="/paths/second/en/alpha/"' in second and ">Continue<" in second


@pytest.mark.parametrize(
    "days, english, dutch",
    [
        (3, "due in 3 days", "nog 3 dagen"),
        (-1, "overdue", "achterstallig"),
    ],
)
def test_deadlines_say_how_long_is_left_in_both_languages(
    client, classroom, teacher, member, two_paths, days, english, dutch
):
    # Days left count calendar days in the site's time zone, so the deadline is noon of a local date:
    # "now + 73 hours" is four calendar days away when the test runs after 23:00 in Brussels.
    noon = timezone.localtime().replace(hour=12, minute=0, second=0, microsecond=0)
    deadline = noon + timezone.timedelta(days=days)
    services.assignment_create(
        classroom=classroom, actor=teacher, path_hruid="quizpath", path_language="en", deadline=deadline
    )
    client.force_login(member)
    assert english in card(client.get("/classes/").content.decode(), "Quiz path")
    nl = card(client.get("/classes/", HTTP_ACCEPT_LANGUAGE="nl").content.decode(), "Quiz path")
    month = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
             "november", "december"][timezone.localtime(deadline).month - 1]  # fmt: skip
    assert dutch in nl and month in nl and ">Verder<" not in nl and ">Starten<" in nl


def test_a_finished_assignment_is_not_overdue(client, classroom, teacher, member, two_paths):
    services.assignment_create(
        classroom=classroom,
        actor=teacher,
        path_hruid="quizpath",
        path_language="en",
        deadline=timezone.now() + timezone.timedelta(days=2),
    )
    client.force_login(member)
    for step in ("intro", "quiz", "train"):
        client.get(f"/paths/quizpath/en/{step}/")
    answer_right(client)
    done = card(client.get("/classes/").content.decode(), "Quiz path")
    assert "Finished ✓" in done and "due in" not in done and "overdue" not in done
