"""learning.selectors: what comes next (``step_next``) and conditions parsed once."""

import pytest

from learningpaths.compiler.result import CompiledNode, CompiledTransition, Question
from learningpaths.learning import selectors
from learningpaths.learning.services import submission_create
from learningpaths.paths import selectors as content
from learningpaths.paths.services import content_sync
from tests.conftest import compile_result, compiled_object, compiled_path

pytestmark = pytest.mark.django_db

WRONG = "$[?(@.correct == false)]"
RIGHT = "$[?(@.correct == true)]"


@pytest.fixture
def gated(settings, tmp_path):
    """quiz --(wrong)--> remedial --> after;  quiz --(right)--> after: no way on without an answer."""
    settings.CONTENT_ASSET_ROOT = tmp_path / "assets"
    quiz = compiled_object("quiz", title="Quiz", html='<form class="lp-question" data-question-id="q1"></form>')
    quiz.questions = [
        Question(id="q1", kind="multiple_choice", prompt="2+2?", options=["3", "4"], key={"correct": [1]})
    ]
    remedial, after = compiled_object("remedial", title="Remedial"), compiled_object("after", title="After")
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


def _step(user, hruid):
    path = content.path_get(user=user, hruid="gated", language="en")
    nodes = content.path_nodes(path=path, user=user)
    current = next(n for n in nodes if n.obj.hruid == hruid)
    return selectors.step_next(user=user, path=path, nodes=nodes, current=current)


def test_every_way_on_conditional_needs_an_answer_first(student, gated):
    step = _step(student, "quiz")
    assert step.needs_answer and step.node is None and step.url is None and step.prev is None


def test_the_answer_chooses_the_next_step_and_its_player_url(student, gated):
    quiz = content.object_get(user=student, hruid="quiz", language="en")
    submission_create(user=student, obj=quiz, question_id="q1", raw_answer=["0"])
    step = _step(student, "quiz")
    assert not step.needs_answer and step.node.obj.hruid == "remedial"
    assert step.url == "/paths/gated/en/remedial/"
    submission_create(user=student, obj=quiz, question_id="q1", raw_answer=["1"])
    assert _step(student, "quiz").url == "/paths/gated/en/after/"


def test_the_end_of_the_path_has_no_next_step_but_a_previous_one(student, gated):
    step = _step(student, "after")
    assert step.node is None and step.url is None and not step.needs_answer
    assert step.prev.obj.hruid == "remedial"


def test_a_condition_is_parsed_once_however_often_it_is_evaluated(monkeypatch):
    calls = []
    real = selectors.jsonpath_parse

    def counting(text):
        calls.append(text)
        return real(text)

    monkeypatch.setattr(selectors, "jsonpath_parse", counting)
    selectors._parsed.cache_clear()
    document = {"submission": ["0"], "result": {"correct": False, "score": 0.0}}
    assert selectors._condition_holds(WRONG, document)
    assert selectors._condition_holds(WRONG, {**document, "submission": ["2"]})
    assert not selectors._condition_holds(RIGHT, document)
    assert calls == [WRONG, RIGHT]
    assert selectors._parsed.cache_info().maxsize is not None  # bounded
