"""Completion and the student's route: when a step is done, which steps a student's path goes
through, and how far along it they are. The path player, the teacher dashboard, the student's home
page and the catalogue's cards all read progress from here (one fact in one place).

A step is *done* when its rule is met: it was seen, each question on it that the student can see is
*settled* (the latest answer is right, the tries allowed are used up, or an open question has any
answer), and, for ``completion: run``, its cells ran without an error. The *route* starts at the
start node and follows ``selectors.choose_next`` with the student's answers; only steps on it count.
A remedial step ("Extra": reached only by a non-default conditional transition) counts only when the
route takes it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from learningpaths.core.prepared import rows_get
from learningpaths.paths.models import LearningPath, Question
from learningpaths.paths.querysets import can_see_teacher_content
from learningpaths.paths.selectors import NodeView
from learningpaths.paths.selectors_cache import memoised

from .grading import attempts_allowed
from .models import CellsRun, StepDone, Submission

# -- what each step asks (per build and visibility, memoised) ---------------------------------------


@dataclass(frozen=True)
class StepRule:
    questions: tuple[tuple[str, int | None], ...] = ()  # (question id, attempts allowed or None)
    run: bool = False  # ``completion: run``


def path_rules(*, path: LearningPath, nodes: list[NodeView], user, as_student: bool = False) -> dict[str, StepRule]:
    """Per object hruid of ``nodes``: the questions the user can see on it and whether it must run."""
    teacher = can_see_teacher_content(user) and not as_student
    return memoised(("path_rules", path.pk, teacher), lambda: _path_rules(nodes=nodes, teacher=teacher))


def _path_rules(*, nodes: list[NodeView], teacher: bool) -> dict[str, StepRule]:
    questions: dict[int, list[tuple[str, int | None]]] = {}
    qs = Question.objects.filter(learning_object_id__in=[n.obj.pk for n in nodes])
    if not teacher:
        qs = qs.filter(teacher_only=False)
    for object_id, qid, key in qs.order_by("pk").values_list("learning_object_id", "qid", "key"):
        questions.setdefault(object_id, []).append((qid, attempts_allowed(key)))
    return {
        n.obj.hruid: StepRule(questions=tuple(questions.get(n.obj.pk, ())), run=n.obj.completion == "run")
        for n in nodes
    }


# -- what a student did ------------------------------------------------------------------------------

# (question id, answer, correct, score, created_at), newest first
AnswerRow = tuple


@dataclass
class Facts:
    """What one answerer (or a group, merged) did on one path's objects."""

    seen: set[str] = field(default_factory=set)  # object hruids opened in this path
    ran: set[tuple[str, str]] = field(default_factory=set)  # (hruid, language) whose cells ran
    answers: dict[tuple[str, str], list[AnswerRow]] = field(default_factory=dict)  # (hruid, language) -> rows

    def document(self, obj) -> dict | None:
        """What a transition condition is evaluated against (``selectors.submission_document``'s shape)."""
        rows = self.answers.get((obj.hruid, obj.language))
        if not rows:
            return None
        latest = rows[0]
        answers: dict = {}
        for row in reversed(rows[:200]):
            answers[row[0]] = row[1]
        return {"submission": latest[1], "result": {"correct": latest[2], "score": latest[3]}, "answers": answers}

    def settled(self, obj, qid: str, attempts: int | None) -> bool:
        rows = [r for r in self.answers.get((obj.hruid, obj.language), ()) if r[0] == qid]
        if not rows:
            return False
        latest_correct = rows[0][2]
        # Right, not auto-graded (an open answer: any answer settles it), or every try used.
        return latest_correct is True or latest_correct is None or (attempts is not None and len(rows) >= attempts)

    def merged(self, other: Facts) -> Facts:
        answers = {k: list(v) for k, v in self.answers.items()}
        for k, rows in other.answers.items():
            answers[k] = sorted(answers.get(k, []) + rows, key=lambda r: r[4], reverse=True)
        return Facts(seen=self.seen | other.seen, ran=self.ran | other.ran, answers=answers)


def facts_for(
    *, user_ids: Iterable[int], path: LearningPath, nodes: list[NodeView], rules: dict[str, StepRule], seen=None
) -> dict[int, Facts]:
    """The facts of several users at once: at most one query per table, and none for a table the
    path cannot need (no answers read for a path without questions or conditions, no runs read for
    a path without ``completion: run``). ``seen`` (user id -> hruids) skips the StepDone read when
    the caller has it (the path player's ``progress_get``)."""
    ids = list(user_ids)
    out = {u: Facts() for u in ids}
    if not ids or not nodes:
        return out
    if seen is None:
        for user_id, hruid in StepDone.objects.filter(
            user_id__in=ids, path_hruid=path.hruid, path_language=path.language
        ).values_list("user_id", "object_hruid"):
            out[user_id].seen.add(hruid)
    else:
        for user_id, hruids in seen.items():
            out[user_id].seen |= set(hruids)
    keys = {(n.obj.hruid, n.obj.language) for n in nodes}
    asked = {n.obj.hruid for n in nodes if rules.get(n.obj.hruid, StepRule()).questions or _conditional(n)}
    if asked:
        for row in _answers(ids, sorted(asked)):
            if (row[1], row[2]) in keys:
                out[row[0]].answers.setdefault((row[1], row[2]), []).append(row[3:])
    runs = {n.obj.hruid for n in nodes if rules.get(n.obj.hruid, StepRule()).run}
    if runs:
        for user_id, hruid, language in CellsRun.objects.filter(user_id__in=ids, object_hruid__in=runs).values_list(
            "user_id", "object_hruid", "object_language"
        ):
            out[user_id].ran.add((hruid, language))
    return out


_ANSWER_COLUMNS = (
    "user_id",
    "object_hruid",
    "object_language",
    "question_id",
    "answer",
    "correct",
    "score",
    "created_at",
)


def _answers(ids: list[int], hruids: list[str]) -> list[tuple]:
    """Answer rows (``_ANSWER_COLUMNS``), newest first. One student (every signed-in page view of
    the path player) reads through a prepared query (``core.prepared``): the queryset cost more CPU
    than the rest of the page; a dashboard's many students through the ORM."""
    if len(ids) == 1:
        return rows_get(
            Submission,
            columns=_ANSWER_COLUMNS,
            where=("user_id",),
            params=(ids[0],),
            in_field="object_hruid",
            in_values=tuple(hruids),
            order_by=("-created_at", "-id"),
        )
    return list(
        Submission.objects.filter(user_id__in=ids, object_hruid__in=hruids)
        .order_by("-created_at", "-pk")
        .values_list(*_ANSWER_COLUMNS)
    )


def _conditional(node: NodeView) -> bool:
    return any(c and c.strip().lower() != "true" for _t, _d, c in node.next)


def step_done(*, node: NodeView, rule: StepRule, facts: Facts) -> bool:
    obj = node.obj
    if obj.hruid not in facts.seen:
        return False
    if rule.run and (obj.hruid, obj.language) not in facts.ran:
        return False
    return all(facts.settled(obj, qid, attempts) for qid, attempts in rule.questions)


# -- the route ---------------------------------------------------------------------------------------


def extra_hruids(nodes: list[NodeView]) -> frozenset[str]:
    """Remedial steps: reached only by conditional transitions that are not the default."""
    incoming: dict[str, list[bool]] = {}
    for n in nodes:
        for target, default, condition in n.next:
            remedial = bool(condition and condition.strip().lower() != "true" and not default)
            incoming.setdefault(target.object.hruid, []).append(remedial)
    return frozenset(h for h, flags in incoming.items() if flags and all(flags))


@dataclass(frozen=True)
class Route:
    steps: tuple[NodeView, ...]  # from the start: the way taken, then the default continuation
    came_from: dict  # hruid -> the step the route came from
    done: frozenset[str]  # hruids of the steps done (on the route or not)
    extra: frozenset[str]  # remedial steps of the path (on the route or not)
    facts: Facts = field(default_factory=Facts, compare=False)

    def document(self, node: NodeView) -> dict | None:
        """The condition document for ``node`` from the facts the route was built on (no second read)."""
        return self.facts.document(node.obj)

    @property
    def hruids(self) -> frozenset[str]:
        return frozenset(n.obj.hruid for n in self.steps)

    @property
    def n_done(self) -> int:
        return sum(1 for n in self.steps if n.obj.hruid in self.done)

    @property
    def pct(self) -> int:
        return round(100 * self.n_done / len(self.steps)) if self.steps else 0

    @property
    def finished(self) -> bool:
        return bool(self.steps) and self.n_done == len(self.steps)


def _main_target(node: NodeView, extra: frozenset[str]):
    """Where the path goes when nothing is known yet: the default transition, else an unconditional
    one, else the first that does not lead to a remedial step, else the first."""
    for pick in (
        lambda t, d, c: d,
        lambda t, d, c: not c or c.strip().lower() == "true",
        lambda t, d, c: t.object.hruid not in extra,
        lambda t, d, c: True,
    ):
        for target, default, condition in node.next:
            if pick(target, default, condition):
                return target
    return None


def route_of(*, nodes: list[NodeView], rules: dict[str, StepRule], facts: Facts) -> Route:
    from .selectors import choose_next  # selectors reads completion for the player; no import loop at load

    by_hruid = {n.obj.hruid: n for n in nodes}
    extra = extra_hruids(nodes)
    done = frozenset(
        n.obj.hruid for n in nodes if step_done(node=n, rule=rules.get(n.obj.hruid, StepRule()), facts=facts)
    )
    current = next((n for n in nodes if n.node.start_node), nodes[0] if nodes else None)
    steps: list[NodeView] = []
    came_from: dict = {}
    visited: set[str] = set()
    while current is not None and current.obj.hruid not in visited:
        visited.add(current.obj.hruid)
        steps.append(current)
        chosen = choose_next(user=None, current=current, document=facts.document(current.obj))
        if chosen == "answer":
            chosen = _main_target(current, extra)
        following = by_hruid.get(chosen.object.hruid) if chosen is not None else None
        if following is not None and following.obj.hruid not in visited:
            came_from[following.obj.hruid] = current
        current = following
    return Route(steps=tuple(steps), came_from=came_from, done=done, extra=extra, facts=facts)


def path_route(*, user, path: LearningPath, nodes: list[NodeView], as_student: bool = False, seen=None) -> Route:
    """One signed-in user's route through ``path`` (an empty one for anonymous visitors)."""
    rules = path_rules(path=path, nodes=nodes, user=user, as_student=as_student)
    if not getattr(user, "is_authenticated", False):
        return route_of(nodes=nodes, rules=rules, facts=Facts())
    facts = facts_for(
        user_ids=[user.pk], path=path, nodes=nodes, rules=rules, seen=None if seen is None else {user.pk: seen}
    )[user.pk]
    return route_of(nodes=nodes, rules=rules, facts=facts)


# -- one user, many paths (the student's home, the catalogue's cards) --------------------------------


def facts_for_paths(*, user_id: int, paths: list[tuple[LearningPath, list[NodeView], dict[str, StepRule]]]) -> dict:
    """One user's facts on many paths at once (path pk -> ``Facts``): one query per table for all
    the paths together, none for a table no path needs (``facts_for`` is many users, one path)."""
    out = {path.pk: Facts() for path, _nodes, _rules in paths}
    by_path = {(path.hruid, path.language): path.pk for path, nodes, _rules in paths if nodes}
    if not by_path:
        return out
    asked: dict[tuple[str, str], list[int]] = {}  # (object hruid, language) -> the paths that need its answers
    runs: dict[tuple[str, str], list[int]] = {}
    for path, nodes, rules in paths:
        for n in nodes:
            rule = rules.get(n.obj.hruid, StepRule())
            if rule.questions or _conditional(n):
                asked.setdefault((n.obj.hruid, n.obj.language), []).append(path.pk)
            if rule.run:
                runs.setdefault((n.obj.hruid, n.obj.language), []).append(path.pk)
    for path_hruid, path_language, hruid in StepDone.objects.filter(
        user_id=user_id, path_hruid__in={h for h, _l in by_path}
    ).values_list("path_hruid", "path_language", "object_hruid"):
        pk = by_path.get((path_hruid, path_language))
        if pk is not None:
            out[pk].seen.add(hruid)
    if asked:
        for row in (
            Submission.objects.filter(user_id=user_id, object_hruid__in={h for h, _l in asked})
            .order_by("-created_at", "-pk")
            .values_list("object_hruid", "object_language", "question_id", "answer", "correct", "score", "created_at")
        ):
            for pk in asked.get((row[0], row[1]), ()):
                out[pk].answers.setdefault((row[0], row[1]), []).append(row[2:])
    if runs:
        for hruid, language in CellsRun.objects.filter(
            user_id=user_id, object_hruid__in={h for h, _l in runs}
        ).values_list("object_hruid", "object_language"):
            for pk in runs.get((hruid, language), ()):
                out[pk].ran.add((hruid, language))
    return out
