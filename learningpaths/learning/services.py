"""Writes for progress and answers."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from learningpaths.core.exceptions import ApplicationError
from learningpaths.core.jsonvalues import value_problem
from learningpaths.paths.models import LearningObject, LearningPath

from .grading import AnswerError, grade, normalise_answer
from .models import CellsRun, PathProgress, StepDone, Submission
from .selectors import Progress, progress_get


def progress_visit(*, user, path: LearningPath, obj: LearningObject, progress: Progress | None = None) -> Progress:
    """Remember that a signed-in user opened this step (for resume and the progress bar); returns
    the progress after the visit.

    ``progress`` is what ``selectors.progress_get`` read in this request (read here when None).
    Every signed-in page view comes through here, so a view must cost as few writes as possible:
    a revisit of the current step writes nothing, and a visit writes at most one statement per
    table, outside any transaction (on SQLite each write takes the database's one write lock).
    Parallel first visits meet in the unique constraints (INSERT ... ON CONFLICT DO NOTHING), so
    neither fails; which of two simultaneous steps becomes the resume point does not matter.
    """
    if progress is None:
        progress = progress_get(user=user, path=path)
    if not user.is_authenticated:
        return progress
    key = {"user": user, "path_hruid": path.hruid, "path_language": path.language}
    if progress.current is None:
        PathProgress.objects.bulk_create([PathProgress(**key, current_hruid=obj.hruid)], ignore_conflicts=True)
    elif progress.current != obj.hruid:
        # ``update`` bypasses ``auto_now``, hence updated_at by hand.
        updated = PathProgress.objects.filter(**key).update(current_hruid=obj.hruid, updated_at=timezone.now())
        if not updated:  # removed since it was read (the admin): start again
            PathProgress.objects.bulk_create([PathProgress(**key, current_hruid=obj.hruid)], ignore_conflicts=True)
    if obj.hruid not in progress.done:
        StepDone.objects.bulk_create([StepDone(**key, object_hruid=obj.hruid)], ignore_conflicts=True)
    return Progress(current=obj.hruid, done=progress.done | {obj.hruid})


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


def cells_run_mark(*, user, obj: LearningObject) -> bool:
    """Remember that the student's run of ``obj``'s cells ended without an error (``completion:
    run``). One statement, written once: later runs meet the unique constraint and change nothing.
    Returns False for an object that does not ask for a run (nothing stored)."""
    if obj.completion != "run":
        return False
    CellsRun.objects.bulk_create(
        [CellsRun(user=user, object_hruid=obj.hruid, object_language=obj.language)], ignore_conflicts=True
    )
    return True
