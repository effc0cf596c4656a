"""Writes for progress and answers."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from learningpaths.core.exceptions import ApplicationError
from learningpaths.core.jsonvalues import value_problem
from learningpaths.paths.models import LearningObject, LearningPath

from .answerers import Answerer
from .events import progress_changed
from .grading import AnswerError, attempts_allowed, grade, normalise_answer
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
        progress_changed.send(sender=StepDone, user=user)
    return Progress(current=obj.hruid, done=progress.done | {obj.hruid})


def visitor_max_answers() -> int:
    """How many answers one visitor without an account may store (then: sign in to go on)."""
    return int(getattr(settings, "VISITOR_MAX_ANSWERS", 500))


def tries_count(*, user=None, obj: LearningObject, question_id: str, answerer: Answerer | None = None) -> int:
    """How many answers this answerer (``answerer``, else the signed-in ``user``) gave to this question
    (every version of the object counts)."""
    answerer = answerer or Answerer(user=user)
    return answerer.rows().filter(object_hruid=obj.hruid, object_language=obj.language, question_id=question_id).count()


@transaction.atomic
def submission_create(
    *, user, obj: LearningObject, question_id: str, raw_answer, answerer: Answerer | None = None
) -> Submission:
    """Validate, grade and store one answer. Raises ApplicationError with a message for the student.

    ``user`` decides what the answerer may see (a visitor: the anonymous user); ``answerer`` is whose
    row it becomes (default: the signed-in ``user``; for a visitor, ``answerers.answerer_get``)."""
    answerer = answerer or Answerer(user=user)
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
    if answerer.visitor is not None and answerer.rows().count() >= visitor_max_answers():
        # A bound on what an account-less browser can make the database keep; the index on the token
        # makes the count cheap. 429: the same answer goes through once the visitor signs in.
        raise ApplicationError(
            _("You have given many answers without an account. Sign in or sign up to keep answering."),
            extra={"status": 429},
        )
    allowed = attempts_allowed(question.key)
    if allowed is not None and answerer.user is not None:
        # Two answers sent at once must not both count the same tries: lock the student's row until
        # this one is stored (PostgreSQL; SQLite's IMMEDIATE transactions already queue the writers).
        list(get_user_model().objects.select_for_update().filter(pk=answerer.user.pk).values_list("pk"))
    if allowed is not None and tries_count(obj=obj, question_id=question_id, answerer=answerer) >= allowed:
        raise ApplicationError(
            _("You have used all your tries for this question. Continue with the next step."),
            extra={"status": 403, "code": "no_tries_left"},
        )
    correct, score = grade(question.kind, question.key, answer)
    submission = Submission.objects.create(
        **answerer.owner,
        object_hruid=obj.hruid,
        object_language=obj.language,
        object_version=obj.version,
        question_id=question_id,
        answer=answer,
        correct=correct,
        score=score,
    )
    if answerer.user is not None:
        progress_changed.send(sender=Submission, user=answerer.user)
    return submission


def visitor_answers_move(*, visitor: str, user) -> int:
    """Give a visitor's answers to the account they signed in or up with, in one statement; returns
    how many moved. Rows the user already had for the same questions stay: both are kept, and the
    newest wins for conditions as always (``created_at`` is kept)."""
    if not visitor:
        return 0
    return Submission.objects.filter(visitor=visitor).update(user=user, visitor=None)


def visitor_answers_clear(*, older_than: timedelta | None = None) -> int:
    """Remove the answers of visitors whose newest answer is older than ``older_than`` (default: the
    session lifetime, ``SESSION_COOKIE_AGE``): their session, the only link to a person, has expired
    by then (the token goes into the session once, at the first answer, which starts its lifetime).
    Returns how many rows were removed."""
    age = older_than if older_than is not None else timedelta(seconds=settings.SESSION_COOKIE_AGE)
    stale = (
        Submission.objects.filter(visitor__isnull=False)
        .values("visitor")
        .annotate(newest=Max("created_at"))
        .filter(newest__lt=timezone.now() - age)
        .values("visitor")
    )
    deleted, _by_model = Submission.objects.filter(visitor__in=stale).delete()
    return deleted


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
