"""Reads for progress, resume, conditional transitions (what comes next) and a person's own data."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import lru_cache

from django.db import connections, router
from django.urls import reverse
from jsonpath_ng.ext import parse as jsonpath_parse

from learningpaths.accounts.exports import iso
from learningpaths.core.jsonvalues import text_safe, value_export
from learningpaths.paths.models import LearningObject, LearningPath
from learningpaths.paths.selectors import NodeView

from .answerers import Answerer
from .feedback import outcome_of
from .models import PathProgress, StepDone, Submission

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Progress:
    """Where a student is in one path: the step to resume at (None: never opened) and the steps seen."""

    current: str | None
    done: frozenset[str]


def progress_get(*, user, path: LearningPath) -> Progress:
    """Both reads the path player needs, so ``services.progress_visit`` can skip writes that would
    change nothing (a revisit writes nothing at all).

    One query, written out once: every signed-in page view makes it, and building the two
    querysets (``resume_hruid``, ``done_hruids``) cost more CPU than the rest of a memoised
    student page together (measured with cProfile over the path player)."""
    if not user.is_authenticated:
        return Progress(current=None, done=frozenset())
    connection = connections[router.db_for_read(PathProgress)]
    key = (user.pk, path.hruid, path.language)
    current, done = None, set()
    with connection.cursor() as cursor:
        sql = _PROGRESS_SQL.get(connection.vendor) or _PROGRESS_SQL.setdefault(
            connection.vendor, _progress_sql(connection)
        )
        cursor.execute(sql, key + key)
        for is_current, hruid in cursor.fetchall():
            if is_current:
                current = hruid
            else:
                done.add(hruid)
    return Progress(current=current, done=frozenset(done))


_PROGRESS_SQL: dict[str, str] = {}  # per database vendor (the quoting)


def _progress_sql(connection) -> str:
    """Both tables' rows for (user, path, language), each read through its unique index."""
    q = connection.ops.quote_name

    def part(model, column: str, flag: int) -> str:
        meta = model._meta
        where = " AND ".join(
            f"{q(meta.get_field(name).column)} = %s" for name in ("user", "path_hruid", "path_language")
        )
        return f"SELECT {flag}, {q(meta.get_field(column).column)} FROM {q(meta.db_table)} WHERE {where}"

    return f"{part(PathProgress, 'current_hruid', 1)} UNION ALL {part(StepDone, 'object_hruid', 0)}"


def resume_hruid(*, user, path: LearningPath) -> str | None:
    if not user.is_authenticated:
        return None
    return (
        PathProgress.objects.filter(user=user, path_hruid=path.hruid, path_language=path.language)
        .values_list("current_hruid", flat=True)
        .first()
    )


def done_hruids(*, user, path: LearningPath) -> set[str]:
    if not user.is_authenticated:
        return set()
    return set(
        StepDone.objects.filter(user=user, path_hruid=path.hruid, path_language=path.language).values_list(
            "object_hruid", flat=True
        )
    )


def _answerer_of(user, answerer: Answerer | None) -> Answerer | None:
    """``answerer`` if given (a visitor, see ``answerers.answerer_get``), else the signed-in ``user``."""
    if answerer is not None:
        return answerer
    return Answerer(user=user) if user is not None and user.is_authenticated else None


def submission_document(*, user, hruid: str, language: str, answerer: Answerer | None = None) -> dict | None:
    """What a transition condition is evaluated against, following Dwengo's D1 design:
    ``{"submission": <latest answer>, "result": {"correct": bool|None, "score": float|None}}``.
    With several questions in the object, ``submission`` is the latest answer overall and
    ``answers`` maps each question id to its latest answer. Read from ``answerer``'s rows (a
    visitor's), else the signed-in ``user``'s."""
    answerer = _answerer_of(user, answerer)
    if answerer is None:
        return None
    rows = list(answerer.rows().filter(object_hruid=hruid, object_language=language)[:200])
    if not rows:
        return None
    latest = rows[0]
    answers: dict = {}
    for row in reversed(rows):
        answers[row.question_id] = row.answer
    return {
        "submission": latest.answer,
        "result": {"correct": latest.correct, "score": latest.score},
        "answers": answers,
    }


@lru_cache(maxsize=1024)
def _parsed(condition: str):
    """The parsed JSONPath, once per condition text. The parse depends only on the text, so a new
    build cannot be served a stale one (changed conditions are new keys); bounded, since the texts
    come from content. Parsing takes 1-2 ms, ``find`` ~30 us (measured on two of our conditions).
    Parse errors are not cached (there should be none: the compiler validated every condition)."""
    return jsonpath_parse(condition)


def _condition_holds(condition: str, document: dict) -> bool:
    """D1 semantics: the JSONPath must have exactly one match."""
    try:
        return len(_parsed(condition).find(document)) == 1
    except Exception:  # noqa: BLE001 -- the compiler validated it; a bad one must not break the page
        log.warning("transition condition failed to evaluate: %r", condition)
        return False


_READ = object()  # choose_next's ``document`` when the caller has not read it


def choose_next(*, user, current: NodeView, answerer: Answerer | None = None, document=_READ) -> NodeView | str | None:
    """The node to go to next: the first conditional transition whose condition holds for the
    student's latest answer, else the default (unconditional) transition. Returns the target
    ``PathNode`` or None at the end of the path, or "answer" when every way on is conditional and
    there is no answer yet. ``document`` is the student's ``submission_document`` for ``current``
    when the caller already has it (``completion.Facts.document``); read here otherwise."""
    unconditional = [(t, d) for t, d, c in current.next if not c or c.strip().lower() == "true"]
    conditional = [(t, c) for t, d, c in current.next if c and c.strip().lower() != "true"]
    if not conditional:
        document = None
    elif document is _READ:
        document = submission_document(
            user=user, hruid=current.obj.hruid, language=current.obj.language, answerer=answerer
        )
    if document is not None:
        for target, condition in conditional:
            if _condition_holds(condition, document):
                return target
    if unconditional:
        defaults = [t for t, d in unconditional if d]
        return (defaults or [unconditional[0][0]])[0]
    if conditional:
        return "answer"
    return None


@dataclass(frozen=True)
class NextStep:
    """Where the path goes from ``current`` for this user: the player's "next" and "previous"
    links and the answer view's ``next_url`` both come from here."""

    node: NodeView | None  # the step to go to now; None at the end or while an answer is needed
    prev: NodeView | None  # the step the student's route came from (page order without a route)
    needs_answer: bool  # every way on is conditional and the student has not answered yet
    url: str | None  # the player's address of ``node``


def step_next(
    *,
    user,
    path: LearningPath,
    nodes: list[NodeView],
    current: NodeView,
    answerer: Answerer | None = None,
    route=None,
    document=_READ,
) -> NextStep:
    """What comes after ``current`` (one of ``nodes``, the path's steps as ``user`` sees them), for
    ``answerer``'s answers (a visitor's), else the signed-in ``user``'s. With ``route``
    (``completion.Route``), "previous" follows the way the student came."""
    chosen = choose_next(user=user, current=current, answerer=answerer, document=document)
    by_hruid = {n.obj.hruid: n for n in nodes}
    node = by_hruid.get(chosen.object.hruid) if chosen not in (None, "answer") else None
    return NextStep(
        node=node,
        prev=_previous(nodes=nodes, current=current, route=route),
        needs_answer=chosen == "answer",
        url=reverse("learning:path_node", args=[path.hruid, path.language, node.obj.hruid]) if node else None,
    )


def _previous(*, nodes: list[NodeView], current: NodeView, route) -> NodeView | None:
    if route is None:
        return nodes[current.index - 1] if current.index > 0 else None
    if current.obj.hruid in route.came_from:
        return route.came_from[current.obj.hruid]
    if current.obj.hruid in route.hruids:  # the start of the route
        return None
    # Off the route (opened from the sidebar): the step that leads here, on the route if one does.
    sources = [n for n in nodes if any(t.object.hruid == current.obj.hruid for t, _d, _c in n.next)]
    on_route = [n for n in sources if n.obj.hruid in route.hruids]
    return (on_route or sources or [None])[0] if sources else (nodes[current.index - 1] if current.index > 0 else None)


# -- a person's own data (GDPR; registered with accounts.exports in apps.py) -----------------------


def path_progress_export(*, user) -> list[dict]:
    return [
        {
            "path": p.path_hruid,
            "language": p.path_language,
            "current_step": p.current_hruid,
            "started_at": iso(p.started_at),
            "updated_at": iso(p.updated_at),
        }
        for p in PathProgress.objects.filter(user=user)
    ]


def steps_done_export(*, user) -> list[dict]:
    return [
        {"path": s.path_hruid, "language": s.path_language, "step": s.object_hruid, "first_seen": iso(s.first_seen)}
        for s in StepDone.objects.filter(user=user).order_by("first_seen")
    ]


def submissions_export(*, user) -> list[dict]:
    return [
        {
            "object": s.object_hruid,
            "language": s.object_language,
            "version": s.object_version,
            "question": s.question_id,
            "answer": value_export(s.answer),  # encodes whatever was stored (core.jsonvalues)
            "correct": s.correct,
            "score": s.score,
            "created_at": iso(s.created_at),
        }
        for s in Submission.objects.filter(user=user).order_by("created_at", "pk")
    ]


def review_of(submission: Submission) -> dict | None:
    """A teacher's review of one answer as the student reads it, or None when there is none:
    ``{"comment", "score" (0..1 or None), "reviewed_at" (ISO 8601)}``."""
    if submission.reviewed_at is None:
        return None
    return {
        "comment": text_safe(submission.review_comment),
        "score": submission.review_score,
        "reviewed_at": iso(submission.reviewed_at),
    }


def question_get(*, user, obj: LearningObject, qid: str):
    """The question ``qid`` of ``obj`` as this user may see it, or None (teacher-only ones hide)."""
    return obj.questions.visible_to(user).filter(qid=qid).first()


def answers_latest(*, user, obj: LearningObject, answerer: Answerer | None = None) -> dict[str, dict]:
    """Per question of ``obj`` (visible to ``user``): the latest answer and what was said about it.

    What the answer route said after it (feedback, hint, solution as the policy allows, tries
    left, settled) and the teacher's review, so a page shows the same after a reload. Whose
    answers: ``answerer`` (a visitor), else the signed-in ``user``; nobody's: {}.
    """
    if answerer is None:
        if not user.is_authenticated:
            return {}
        answerer = Answerer(user=user)
    questions = {q.qid: q for q in obj.questions.visible_to(user)}
    latest: dict[str, Submission] = {}
    tries: dict[str, int] = {}
    rows = (
        answerer.rows()
        .filter(object_hruid=obj.hruid, object_language=obj.language, question_id__in=list(questions))
        .only(
            "question_id", "answer", "correct", "score", "created_at", "review_comment", "review_score", "reviewed_at"
        )
    )
    for row in rows:  # newest first (Meta.ordering)
        latest.setdefault(row.question_id, row)
        tries[row.question_id] = tries.get(row.question_id, 0) + 1
    out = {}
    for qid, row in latest.items():
        said = outcome_of(questions[qid], row, tries=tries[qid])
        out[qid] = {"answer": row.answer, "correct": row.correct, "score": row.score, "tries": tries[qid], **said}
        review = review_of(row)
        if review is not None:
            out[qid]["review"] = review
    return out
