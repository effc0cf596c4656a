"""Writes for progress and answers."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from learningpaths.core.exceptions import ApplicationError
from learningpaths.core.jsonvalues import value_problem
from learningpaths.paths.models import LearningObject, LearningPath

from .grading import AnswerError, grade, normalise_answer
from .models import PathProgress, StepDone, Submission


def progress_visit(*, user, path: LearningPath, obj: LearningObject) -> None:
    """Remember that a signed-in user opened this step (for resume and the progress bar)."""
    if not user.is_authenticated:
        return
    PathProgress.objects.update_or_create(
        user=user,
        path_hruid=path.hruid,
        path_language=path.language,
        defaults={"current_hruid": obj.hruid},
    )
    StepDone.objects.get_or_create(
        user=user,
        path_hruid=path.hruid,
        path_language=path.language,
        object_hruid=obj.hruid,
    )


@transaction.atomic
def submission_create(*, user, obj: LearningObject, question_id: str, raw_answer) -> Submission:
    """Validate, grade and store one answer. Raises ApplicationError with a message for the student."""
    # A teacher-only question answers a student exactly like one that does not exist (no oracle).
    question = obj.questions.visible_to(user).filter(qid=question_id).first()
    if question is None:
        raise ApplicationError("This question does not exist.", extra={"status": 404})
    # Before normalising: that turns values into text (str() of a deeply nested list recurses), and what
    # it keeps (a matching answer) goes to the database as sent.
    problem = value_problem(raw_answer)
    if problem:
        raise ApplicationError(_("This answer cannot be stored: it has %(why)s.") % {"why": problem})
    try:
        answer = normalise_answer(question.kind, question.options, raw_answer)
    except AnswerError as exc:
        raise ApplicationError(str(exc)) from None
    correct, score = grade(question.kind, question.key, answer)
    return Submission.objects.create(
        user=user,
        object_hruid=obj.hruid,
        object_language=obj.language,
        object_version=obj.version,
        question_id=question_id,
        answer=answer,
        correct=correct,
        score=score,
    )
