"""learning.completion: when a step is done, the student's route, % and finished; the ran mark."""

import json

import pytest

from learningpaths.compiler.result import CompiledNode, CompiledTransition, Question
from learningpaths.learning import completion
from learningpaths.learning.models import CellsRun
from learningpaths.learning.services import cells_run_mark, progress_visit, submission_create
from learningpaths.paths import selectors as content
from learningpaths.paths.models import LearningObject, Question as QuestionRow
from learningpaths.paths.selectors_cache import selectors_memo
from learningpaths.paths.services import content_sync
from tests.conftest import compile_result, compiled_object, compiled_path

pytestmark = pytest.mark.django_db

WRONG = "$[?(@.correct == false)]"
RIGHT = "$[?(@.correct == true)]"


@pytest.fixture
def site(settings, tmp_path):
    """intro -> quiz; quiz --(wrong)--> remedial -> lab; quiz --(default)--> lab; lab -> essay -> end.
    lab has ``completion: run``; essay has an open question."""
    settings.CONTENT_ASSET_ROOT = tmp_path / "assets"
    intro = compiled_object("intro", title="Intro")
    quiz = compiled_object("quiz", title="Quiz")
    quiz.questions = [
        Question(id="q1", kind="multiple_choice", prompt="2+2?", options=["3", "4"], key={"correct": [1]})
    ]
    remedial = compiled_object("remedial", title="Remedial")
    lab = compiled_object("lab", title="Lab", completion="run")
    essay = compiled_object("essay", title="Essay")
    essay.questions = [Question(id="e1", kind="essay", prompt="Why?", options=[], key=None)]
    end = compiled_object("end", title="End")
    objects = [intro, quiz, remedial, lab, essay, end]
    path = compiled_path("route", objects)
    path.nodes = [
        CompiledNode(key=intro.key, start_node=True, transitions=[CompiledTransition(next=quiz.key, default=True)]),
        CompiledNode(
            key=quiz.key,
            transitions=[
                CompiledTransition(next=remedial.key, condition=WRONG),
                CompiledTransition(next=lab.key, default=True),
            ],
        ),
        CompiledNode(key=remedial.key, transitions=[CompiledTransition(next=lab.key, default=True)]),
        CompiledNode(key=lab.key, transitions=[CompiledTransition(next=essay.key, default=True)]),
        CompiledNode(key=essay.key, transitions=[CompiledTransition(next=end.key, default=True)]),
        CompiledNode(key=end.key),
    ]
    content_sync(result=compile_result(objects, [path]))
    return content.path_get(user=None, hruid="route", language="en")


def route(user, path):
    nodes = content.path_nodes(path=path, user=user)
    return completion.path_route(user=user, path=path, nodes=nodes)


def visit(user, path, *hruids):
    for hruid in hruids:
        progress_visit(user=user, path=path, obj=LearningObject.objects.get(hruid=hruid))


def answer(user, hruid, qid, value):
    return submission_create(user=user, obj=LearningObject.objects.get(hruid=hruid), question_id=qid, raw_answer=value)


def steps(r):
    return [n.obj.hruid for n in r.steps]


def test_a_page_without_questions_is_done_when_seen(student, site):
    assert "intro" not in route(student, site).done
    visit(student, site, "intro")
    assert "intro" in route(student, site).done


def test_a_question_page_is_done_when_its_question_is_right(student, site):
    visit(student, site, "quiz")
    assert "quiz" not in route(student, site).done  # seen, not answered
    answer(student, "quiz", "q1", ["0"])
    assert "quiz" not in route(student, site).done  # wrong, tries left: retry
    answer(student, "quiz", "q1", ["1"])
    assert "quiz" in route(student, site).done


def test_a_question_page_is_done_when_its_tries_are_used_up(student, site):
    QuestionRow.objects.filter(qid="q1").update(key={"correct": [1], "attempts": 2})
    selectors_memo.clear()  # the rules are memoised per build; this test edits the key by hand
    visit(student, site, "quiz")
    answer(student, "quiz", "q1", ["0"])
    assert "quiz" not in route(student, site).done  # one of two tries used
    answer(student, "quiz", "q1", ["0"])
    assert "quiz" in route(student, site).done


def test_an_open_question_is_done_with_any_answer(student, site):
    visit(student, site, "essay")
    assert "essay" not in route(student, site).done
    answer(student, "essay", "e1", "Because.")
    assert "essay" in route(student, site).done


def test_completion_run_needs_the_ran_mark(student, site):
    visit(student, site, "lab")
    assert "lab" not in route(student, site).done
    assert cells_run_mark(user=student, obj=LearningObject.objects.get(hruid="lab")) is True
    assert "lab" in route(student, site).done
    assert cells_run_mark(user=student, obj=LearningObject.objects.get(hruid="intro")) is False  # not asked for


def test_the_route_without_a_detour(student, site):
    r = route(student, site)
    assert steps(r) == ["intro", "quiz", "lab", "essay", "end"]  # remedial is off the route
    assert r.extra == {"remedial"} and r.pct == 0 and not r.finished
    visit(student, site, "intro", "quiz", "remedial", "lab", "essay", "end")
    answer(student, "quiz", "q1", ["1"])
    cells_run_mark(user=student, obj=LearningObject.objects.get(hruid="lab"))
    r = route(student, site)
    assert r.pct == 80 and not r.finished  # the essay is not answered
    answer(student, "essay", "e1", "Because.")
    r = route(student, site)
    assert r.pct == 100 and r.finished
    assert "remedial" not in r.hruids  # seen, but off the route: it does not count


def test_the_route_with_a_detour(student, site):
    visit(student, site, "intro", "quiz", "lab", "essay", "end")
    answer(student, "quiz", "q1", ["0"])
    r = route(student, site)
    assert steps(r) == ["intro", "quiz", "remedial", "lab", "essay", "end"]
    assert r.came_from["lab"].obj.hruid == "remedial" and r.came_from["remedial"].obj.hruid == "quiz"
    assert r.n_done == 2 and r.pct == 33  # intro, end; lab not run, quiz wrong, remedial unseen, essay open
    QuestionRow.objects.filter(qid="q1").update(key={"correct": [1], "attempts": 1})
    selectors_memo.clear()
    visit(student, site, "remedial")
    cells_run_mark(user=student, obj=LearningObject.objects.get(hruid="lab"))
    answer(student, "essay", "e1", "Because.")
    r = route(student, site)
    assert r.finished and r.pct == 100  # the one try used: the detour is part of the finished route


def test_an_unanswered_gate_counts_the_default_continuation(settings, tmp_path, student):
    """Every way on is conditional: until the student answers, % counts the way a right answer goes."""
    settings.CONTENT_ASSET_ROOT = tmp_path / "assets"
    quiz = compiled_object("quiz", title="Quiz")
    quiz.questions = [Question(id="q1", kind="multiple_choice", prompt="?", options=["a", "b"], key={"correct": [1]})]
    remedial, after = compiled_object("remedial"), compiled_object("after")
    path = compiled_path("gated", [quiz, remedial, after])
    path.nodes = [
        CompiledNode(
            key=quiz.key,
            start_node=True,
            transitions=[
                CompiledTransition(next=remedial.key, condition=WRONG),
                CompiledTransition(next=after.key, condition=RIGHT),
            ],
        ),
        CompiledNode(key=remedial.key, transitions=[CompiledTransition(next=after.key, default=True)]),
        CompiledNode(key=after.key),
    ]
    content_sync(result=compile_result([quiz, remedial, after], [path]))
    gated = content.path_get(user=None, hruid="gated", language="en")
    visit(student, gated, "quiz")
    r = route(student, gated)
    assert steps(r) == ["quiz", "after"] and r.pct == 0
    answer(student, "quiz", "q1", ["1"])
    assert route(student, gated).pct == 50  # not 100: "after" is still ahead


# -- the ran mark through its route ------------------------------------------------------------------


def ran(client, hruid="lab", body=b'{"ok": true}', content_type="application/json"):
    return client.post(f"/learn/ran/{hruid}/en/1/", data=body, content_type=content_type)


def test_the_ran_mark_is_stored_once(client, student, site):
    client.force_login(student)
    assert ran(client).status_code == 201
    assert ran(client).json() == {"ran": True}
    assert CellsRun.objects.filter(user=student, object_hruid="lab").count() == 1


@pytest.mark.parametrize(
    "body, status",
    [
        (b"not json", 400),
        (b"[]", 400),
        (b'{"ok": false}', 400),
        (b'{"ok": true, "extra": 1}', 400),
        (b'{"ok": "yes"}', 400),
    ],
)
def test_bad_ran_bodies_are_refused_and_store_nothing(client, student, site, body, status):
    client.force_login(student)
    response = ran(client, body=body)
    assert response.status_code == status
    assert set(response.json()) >= {"error", "detail"} and response.json()["detail"]
    assert not CellsRun.objects.exists()


def test_the_ran_mark_refuses_what_it_cannot_store(client, student, site):
    assert ran(client).status_code == 401  # anonymous
    client.force_login(student)
    assert ran(client, hruid="nosuch").status_code == 404
    response = ran(client, hruid="intro")  # no ``completion: run``
    assert response.status_code == 422 and response.json()["error"] == "unprocessable"
    assert client.get("/learn/ran/lab/en/1/").status_code == 405
    assert not CellsRun.objects.exists()


def test_the_player_asks_for_the_ran_mark_only_on_run_pages(client, student, site):
    client.force_login(student)
    assert 'data-ran-url="/learn/ran/lab/en/1/"' in client.get("/paths/route/en/lab/").content.decode()
    assert "data-ran-url" not in client.get("/paths/route/en/intro/").content.decode()


def test_the_compiler_stores_completion(site):
    assert LearningObject.objects.get(hruid="lab").completion == "run"
    assert LearningObject.objects.get(hruid="intro").completion == "seen"


def test_json_error_shape_of_an_oversized_ran_body(client, student, site):
    client.force_login(student)
    response = ran(client, body=json.dumps({"ok": True, "x": "a" * 5000}).encode())
    assert response.status_code == 413 and response.json()["error"] == "too_large"


# -- the path player follows the route ---------------------------------------------------------------


def sidebar(page):
    return page.split('class="path-nav"')[1].split("</nav>")[0]


def test_the_player_shows_the_detour_as_extra_and_previous_follows_the_route(client, student, site):
    client.force_login(student)
    client.get("/paths/route/en/intro/")
    page = client.get("/paths/route/en/lab/").content.decode()
    nav = sidebar(page)
    assert '<li class="extra" hidden>' in nav and "Extra" in nav  # not on this student's route
    assert 'rel="prev" accesskey="p" href="/paths/route/en/quiz/"' in page  # the route skips remedial
    client.get("/paths/route/en/quiz/")
    client.post(
        "/learn/answers/quiz/en/1/q1/",
        data=json.dumps({"answer": ["0"], "path": "route", "path_language": "en"}),
        content_type="application/json",
    )
    page = client.get("/paths/route/en/lab/").content.decode()
    assert '<li class="extra" >' in sidebar(page)  # the route takes the detour now: shown
    assert 'rel="prev" accesskey="p" href="/paths/route/en/remedial/"' in page
    assert 'aria-valuenow="17"' in page  # intro seen = 1 of the 6 steps on this route (the quiz is wrong)


def test_a_teacher_sees_every_detour(client, teacher, site):
    client.force_login(teacher)
    nav = sidebar(client.get("/paths/route/en/intro/").content.decode())
    assert '<li class="extra" >' in nav and '<li class="extra" hidden>' not in nav


def test_one_students_prepared_read_gives_what_the_orm_gives(student, teacher, site, django_assert_num_queries):
    # One student (the path player) reads through core.prepared, several (a dashboard) through the
    # ORM: the same rows, types and order either way (bools, decoded JSON, aware datetimes).
    answer(student, "quiz", "q1", [0])
    answer(student, "quiz", "q1", [1])
    answer(student, "essay", "e1", "Because\u2028of {json}")
    nodes = content.path_nodes(path=site, user=student)
    rules = completion.path_rules(path=site, nodes=nodes, user=student)
    with django_assert_num_queries(3):  # steps seen, the answers (prepared), the cells run (the lab)
        alone = completion.facts_for(user_ids=[student.pk], path=site, nodes=nodes, rules=rules)[student.pk]
    together = completion.facts_for(user_ids=[student.pk, teacher.pk], path=site, nodes=nodes, rules=rules)
    assert alone.answers == together[student.pk].answers and alone.answers
    latest = alone.answers[("quiz", "en")][0]
    assert latest[1] == [1] and latest[2] is True and latest[4].tzinfo is not None
