"""The dashboard counts a path across its language variants, from the completion rule."""

import pytest

from learningpaths.classroom import services
from learningpaths.classroom.selectors_dashboard import assignment_grid, student_answers
from learningpaths.compiler.result import Question
from learningpaths.learning.services import progress_visit, submission_create
from learningpaths.paths.models import LearningObject, LearningPath
from learningpaths.paths.services import content_sync
from tests.conftest import compile_result, compiled_object, compiled_path

pytestmark = pytest.mark.django_db


@pytest.fixture
def bilingual(settings, tmp_path):
    settings.CONTENT_ASSET_ROOT = tmp_path / "assets"
    objects, paths = [], []
    for language in ("en", "nl"):
        intro = compiled_object("intro", language=language)
        quiz = compiled_object("quiz", language=language)
        quiz.questions = [
            Question(
                id="q1",
                kind="multiple_choice",
                prompt="?",
                options=[f"a-{language}", f"b-{language}"],
                key={"correct": [1]},
            )
        ]
        objects += [intro, quiz]
        paths.append(compiled_path("twice", [intro, quiz], language=language))
    content_sync(result=compile_result(objects, paths))


def test_work_in_the_dutch_variant_counts_for_the_english_assignment(teacher, student, bilingual):
    classroom = services.classroom_create(teacher=teacher, name="3B")
    services.membership_join(user=student, code=classroom.code)
    assignment = services.assignment_create(classroom=classroom, actor=teacher, path_hruid="twice", path_language="en")
    dutch = LearningPath.objects.get(hruid="twice", language="nl")
    for hruid in ("intro", "quiz"):
        progress_visit(user=student, path=dutch, obj=LearningObject.objects.get(hruid=hruid, language="nl"))
    row = assignment_grid(assignment=assignment, teacher=teacher).rows[0]
    assert (row.done, row.total, row.pct, row.complete) == (1, 2, 50, False)  # the quiz is not answered yet
    quiz_nl = LearningObject.objects.get(hruid="quiz", language="nl")
    submission_create(user=student, obj=quiz_nl, question_id="q1", raw_answer=["1"])
    row = assignment_grid(assignment=assignment, teacher=teacher).rows[0]
    assert (row.done, row.pct, row.complete) == (2, 100, True)
    assert row.cells[1].answers["q1"].object_language == "nl"


def test_clicking_through_with_wrong_answers_is_not_finished(teacher, student, bilingual):
    classroom = services.classroom_create(teacher=teacher, name="3B")
    services.membership_join(user=student, code=classroom.code)
    assignment = services.assignment_create(classroom=classroom, actor=teacher, path_hruid="twice", path_language="en")
    english = LearningPath.objects.get(hruid="twice", language="en")
    for hruid in ("intro", "quiz"):
        progress_visit(user=student, path=english, obj=LearningObject.objects.get(hruid=hruid, language="en"))
    submission_create(
        user=student, obj=LearningObject.objects.get(hruid="quiz", language="en"), question_id="q1", raw_answer=["0"]
    )
    row = assignment_grid(assignment=assignment, teacher=teacher).rows[0]
    assert (row.pct, row.complete) == (50, False)


def test_the_answers_page_and_reviews_take_work_in_a_variant(teacher, student, bilingual):
    classroom = services.classroom_create(teacher=teacher, name="3B")
    services.membership_join(user=student, code=classroom.code)
    assignment = services.assignment_create(classroom=classroom, actor=teacher, path_hruid="twice", path_language="en")
    dutch = LearningPath.objects.get(hruid="twice", language="nl")
    quiz_nl = LearningObject.objects.get(hruid="quiz", language="nl")
    progress_visit(user=student, path=dutch, obj=quiz_nl)
    answered = submission_create(user=student, obj=quiz_nl, question_id="q1", raw_answer=["1"])
    _student, nodes = student_answers(assignment=assignment, teacher=teacher, student_id=student.pk)
    quiz = nodes[1]
    assert quiz.visited is not None
    [item] = quiz.questions
    # The answer as the student gave it: the Dutch question's option, not the English one's.
    assert [(a["submission"].pk, a["text"]) for a in item.attempts] == [(answered.pk, "b-nl")]
    services.submission_review(teacher=teacher, submission=answered, score="", comment="Goed zo")
    answered.refresh_from_db()
    assert answered.review_comment == "Goed zo"
