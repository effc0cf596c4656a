"""Visitors without an account: their answers are ordinary Submission rows under a token in their
session (``learning.answerers``), they get feedback and conditional transitions, and the rows move
into the account at sign-in and sign-up."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone

from learningpaths.core.errors import CODES
from learningpaths.core.exceptions import ApplicationError
from learningpaths.learning import selectors, services
from learningpaths.learning.answerers import SESSION_KEY, Answerer
from learningpaths.learning.models import Submission
from learningpaths.paths import selectors as content
from learningpaths.paths.models import LearningObject, LearningPath
from tests.site.learning import test_flow
from tests.site.learning.test_flow import post_answer

branching_site = test_flow.branching_site  # the fixture: quiz --(wrong)--> remedial --> after

pytestmark = pytest.mark.django_db

VISITOR = "v" * 32


@pytest.fixture(autouse=True)
def fresh_limits(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # not about hashing
    cache.clear()  # the rate-limit counters and the page memo live in the (per-process) cache
    yield
    cache.clear()


@pytest.fixture
def memo_on(settings):
    """Production's page memo (off under DEBUG)."""
    settings.DEBUG = False
    from learningpaths.paths.selectors_cache import pages_memo

    pages_memo.clear()


def quiz():
    return LearningObject.objects.get(hruid="quiz", language="en")


def next_of(user, answerer, hruid="quiz"):
    path = LearningPath.objects.get(hruid="branchy", language="en")
    nodes = content.path_nodes(path=path, user=user)
    current = next(n for n in nodes if n.obj.hruid == hruid)
    step = selectors.step_next(user=user, path=path, nodes=nodes, current=current, answerer=answerer)
    return step.node.obj.hruid if step.node else None


def token_of(client) -> str | None:
    return client.session.get(SESSION_KEY)


# -- services and selectors -------------------------------------------------------------------------


def test_a_visitor_answer_is_a_row_without_user_and_conditions_read_it(branching_site):
    from django.contrib.auth.models import AnonymousUser

    anon, visitor = AnonymousUser(), Answerer(visitor=VISITOR)
    assert next_of(anon, visitor) == "after"  # no answer yet: the default way on
    row = services.submission_create(user=anon, obj=quiz(), question_id="q1", raw_answer=["0"], answerer=visitor)
    assert (row.user, row.visitor, row.correct) == (None, VISITOR, False)
    assert next_of(anon, visitor) == "remedial"
    assert next_of(anon, Answerer(visitor="w" * 32)) == "after"  # another visitor's way is their own
    assert services.tries_count(obj=quiz(), question_id="q1", answerer=visitor) == 1
    assert services.tries_count(obj=quiz(), question_id="q1", answerer=Answerer(visitor="w" * 32)) == 0


def test_the_database_holds_exactly_one_of_user_and_visitor(branching_site, student):
    fields = {"object_hruid": "quiz", "object_language": "en", "object_version": 1, "question_id": "q1"}
    for owner in ({"user": student, "visitor": VISITOR}, {"user": None, "visitor": None}, {"visitor": ""}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Submission.objects.create(**owner, **fields, answer=["0"])
    Submission.objects.create(visitor=VISITOR, **fields, answer=["0"])
    Submission.objects.create(user=student, **fields, answer=["0"])
    assert Submission.objects.count() == 2


def test_moving_keeps_both_and_the_newest_wins(branching_site, student):
    """The student answered right an hour ago; as a visitor (not signed in) they answer wrong now.
    After the move both rows are theirs, and the newer, wrong one decides the way on."""
    from django.contrib.auth.models import AnonymousUser

    own = services.submission_create(user=student, obj=quiz(), question_id="q1", raw_answer=["1"])
    Submission.objects.filter(pk=own.pk).update(created_at=timezone.now() - timedelta(hours=1))
    assert next_of(student, None) == "after"
    visitor = Answerer(visitor=VISITOR)
    services.submission_create(user=AnonymousUser(), obj=quiz(), question_id="q1", raw_answer=["0"], answerer=visitor)
    assert services.visitor_answers_move(visitor=VISITOR, user=student) == 1
    assert list(Submission.objects.values_list("user", "visitor", "correct")) == [
        (student.pk, None, False),
        (student.pk, None, True),
    ]
    assert next_of(student, None) == "remedial"
    assert services.tries_count(user=student, obj=quiz(), question_id="q1") == 2
    assert services.visitor_answers_move(visitor="", user=student) == 0


def test_a_visitor_stores_at_most_so_many_answers(branching_site, settings):
    from django.contrib.auth.models import AnonymousUser

    settings.VISITOR_MAX_ANSWERS = 2
    visitor = Answerer(visitor=VISITOR)
    create = lambda: services.submission_create(  # noqa: E731
        user=AnonymousUser(), obj=quiz(), question_id="q1", raw_answer=["0"], answerer=visitor
    )
    create(), create()
    with pytest.raises(ApplicationError) as refused:
        create()
    assert refused.value.extra["status"] == 429 and "Sign in" in refused.value.message
    assert Submission.objects.count() == 2


def test_old_visitor_rows_are_removed_and_nothing_else(branching_site, student, settings):
    fields = {"object_hruid": "quiz", "object_language": "en", "object_version": 1, "question_id": "q1"}
    old = timezone.now() - timedelta(seconds=settings.SESSION_COOKIE_AGE + 60)
    stale = [Submission.objects.create(visitor="s" * 32, **fields, answer=["0"]) for _ in range(2)]
    # A visitor who answered long ago and again just now keeps everything (their session lives).
    mixed = [Submission.objects.create(visitor="m" * 32, **fields, answer=["0"]) for _ in range(2)]
    mine = Submission.objects.create(user=student, **fields, answer=["0"])
    Submission.objects.filter(pk__in=[s.pk for s in stale] + [mixed[0].pk, mine.pk]).update(created_at=old)
    call_command("clearvisitors", stdout=open("/dev/null", "w"))
    assert sorted(Submission.objects.values_list("pk", flat=True)) == sorted([mixed[0].pk, mixed[1].pk, mine.pk])


# -- the answer route and the player ----------------------------------------------------------------


def test_a_visitor_answers_and_is_sent_to_the_remedial_step(client, branching_site, memo_on):
    other = Client()
    assert "/paths/branchy/en/after/" in other.get("/paths/branchy/en/quiz/").content.decode()  # memoised
    response = post_answer(client, ["0"])
    assert response.status_code == 201, response.content
    assert response.json()["correct"] is False and response.json()["next_url"] == "/paths/branchy/en/remedial/"
    row = Submission.objects.get()
    assert row.user is None and row.visitor == token_of(client)
    # A reload shows this visitor's own way on; the memoised page of every other visitor is unchanged.
    assert (
        'rel="next" accesskey="n" href="/paths/branchy/en/remedial/"'
        in client.get("/paths/branchy/en/quiz/").content.decode()
    )
    assert (
        'rel="next" accesskey="n" href="/paths/branchy/en/after/"'
        in other.get("/paths/branchy/en/quiz/").content.decode()
    )
    assert post_answer(client, ["1"]).json()["next_url"] == "/paths/branchy/en/after/"
    assert Submission.objects.filter(visitor=token_of(client)).count() == 2  # one token for the session


def test_a_visit_without_answering_writes_no_session(client, branching_site, memo_on):
    page = client.get("/paths/branchy/en/quiz/")
    assert page.status_code == 200 and "kept on this device until you sign in" in page.content.decode()
    assert "sessionid" not in page.cookies and not Session.objects.exists()


@pytest.mark.parametrize(
    "body,status",
    [("not json", 400), ("[1, 2]", 400), ('{"answer": "9"}', 400), ('{"answer": "' + "x" * 40000 + '"}', 413)],
)
def test_a_visitors_bad_answer_gets_4xx_stores_nothing_and_makes_no_session(client, branching_site, body, status):
    response = client.post("/learn/answers/quiz/en/1/q1/", data=body, content_type="application/json")
    assert response.status_code == status and set(response.json()) == {"error", "detail"}
    assert response.json()["error"] == CODES[status]
    assert not Submission.objects.exists() and not Session.objects.exists()
    missing = client.post("/learn/answers/quiz/en/1/nope/", data='{"answer": ["1"]}', content_type="application/json")
    assert missing.status_code == 404 and not Session.objects.exists()


def test_visitor_answers_are_rate_limited_per_session(client, branching_site, settings):
    """The first answer comes without a session cookie (only the address's cap counts it); from
    then on the session's own limit applies."""
    settings.VISITOR_ANSWER_RATE_LIMIT = 2
    assert [post_answer(client, ["0"]).status_code for _ in range(3)] == [201, 201, 201]
    refused = post_answer(client, ["0"])
    assert refused.status_code == 429 and refused.json()["error"] == "too_many_requests"
    assert int(refused["Retry-After"]) > 0 and refused.json()["retry_after"] == int(refused["Retry-After"])
    assert Submission.objects.count() == 3


def test_visitor_answers_are_capped_per_address(branching_site, settings):
    """Browsers without a session cookie (a class's first answers, or a script without cookies)
    share the address's cap."""
    settings.VISITOR_ANSWER_ADDRESS_RATE_LIMIT = 2
    assert [post_answer(Client(), ["0"]).status_code for _ in range(3)] == [201, 201, 429]
    assert Submission.objects.count() == 2


def test_the_visitors_csrf_token_is_their_own_and_works(branching_site, memo_on):
    """The memoised page carries each visitor's own CSRF token, and the question script's post
    (token from the cookie in the header) is accepted while one without it is not."""
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.get("/paths/branchy/en/quiz/"), second.get("/paths/branchy/en/quiz/")
    token_a, token_b = first.cookies["csrftoken"].value, second.cookies["csrftoken"].value
    assert token_a != token_b
    body = json.dumps({"answer": ["0"], "path": "branchy", "path_language": "en"})
    url = "/learn/answers/quiz/en/1/q1/"
    assert first.post(url, data=body, content_type="application/json").status_code == 403
    ok = first.post(url, data=body, content_type="application/json", headers={"X-CSRFToken": token_a})
    assert ok.status_code == 201 and Submission.objects.count() == 1


# -- moving at sign-in and sign-up ------------------------------------------------------------------


def test_signing_in_moves_the_visitors_answers(client, branching_site, student):
    post_answer(client, ["0"])
    token = token_of(client)
    response = client.post("/accounts/sign-in/", {"username": "stud", "password": "pw-student-123"})
    assert response.status_code == 302
    assert list(Submission.objects.values_list("user", "visitor")) == [(student.pk, None)]
    assert SESSION_KEY not in client.session and token  # forgotten with the move
    assert client.get("/classes/me/data.json").json()["submissions"][0]["answer"] == [0]


def test_signing_up_moves_them_into_the_new_account_and_returns_to_the_path(client, branching_site):
    post_answer(client, ["0"])
    response = client.post(
        "/accounts/sign-up/?next=/paths/branchy/en/quiz/",
        {"username": "newbie", "password1": "a-long-pass-123", "password2": "a-long-pass-123"},
    )
    assert response.status_code == 302 and response["Location"] == "/paths/branchy/en/quiz/"
    row = Submission.objects.get()
    assert row.user.username == "newbie" and row.visitor is None
    # Now signed in, the moved answer decides the way on.
    assert 'href="/paths/branchy/en/remedial/"' in client.get("/paths/branchy/en/quiz/").content.decode()


def test_sign_up_does_not_follow_a_next_to_another_site(client, branching_site):
    response = client.post(
        "/accounts/sign-up/?next=https://evil.example/",
        {"username": "newbie", "password1": "a-long-pass-123", "password2": "a-long-pass-123"},
    )
    assert response.status_code == 302 and response["Location"] == "/"
