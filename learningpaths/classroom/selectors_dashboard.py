"""Reads for the teacher dashboard: the class overview, the progress grid (``Cell``/``Row``/``Grid``),
a student's own assignments (the same rows) and one student's answers for the teacher."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Q
from django.http import Http404
from django.urls import reverse

from learningpaths.core.jsonvalues import text_safe, value_preview
from learningpaths.learning import completion, selectors as learning_selectors
from learningpaths.learning.grading import MAX_TEXT
from learningpaths.learning.models import CellsRun, StepDone, Submission
from learningpaths.paths import selectors as content
from learningpaths.paths.models import LearningPath, Question
from learningpaths.paths.selectors import NodeView

from . import answer_text
from .models import Assignment, Classroom, Group, Membership
from .selectors_access import assignment_students
from .services import RETURN_VALUE_QID

RETURNED_SHOWN = 24  # characters of a returned value in a grid cell
ANSWER_SHOWN = MAX_TEXT  # characters of an answer on the answers page: a whole text answer

# -- class overview --------------------------------------------------------------------------------


@dataclass
class ClassOverview:
    classroom: Classroom
    teachers: list
    members: list[Membership]  # active
    pending: list[Membership]
    groups: list[Group]
    assignments: list[Assignment]


def classroom_overview(*, classroom: Classroom) -> ClassOverview:
    memberships = list(classroom.memberships.select_related("user"))
    return ClassOverview(
        classroom=classroom,
        teachers=list(classroom.teachers.order_by("username")),
        members=[m for m in memberships if m.status == Membership.Status.ACTIVE],
        pending=[m for m in memberships if m.status == Membership.Status.PENDING],
        groups=list(classroom.groups.prefetch_related("members")),
        assignments=list(classroom.assignments.prefetch_related("groups")),
    )


# -- progress grid ---------------------------------------------------------------------------------


@dataclass
class Cell:
    node: NodeView
    visited: datetime | None = None
    answers: dict = field(default_factory=dict)  # question id -> latest Submission (any member)
    late: bool = False
    done: bool = False  # its completion rule is met (learning.completion)
    on_route: bool = True  # on the student's route (a remedial step the route does not take: False)

    @property
    def graded(self) -> list[Submission]:
        return [s for q, s in self.answers.items() if q != RETURN_VALUE_QID and s.correct is not None]

    @property
    def n_correct(self) -> int:
        return sum(1 for s in self.graded if s.correct)

    @property
    def score(self) -> float | None:
        scores = [s.score for s in self.graded if s.score is not None]
        return sum(scores) / len(scores) if scores else None

    @property
    def score_pct(self) -> int | None:
        return None if self.score is None else round(100 * self.score)

    @property
    def n_answers(self) -> int:
        return sum(1 for q in self.answers if q != RETURN_VALUE_QID)

    @property
    def returned(self):
        return self.answers.get(RETURN_VALUE_QID)

    @property
    def returned_preview(self) -> str:
        """The returned value, short, for a grid cell (never ``str()`` of it: see ``core.jsonvalues``)."""
        return "" if self.returned is None else value_preview(self.returned.answer, RETURNED_SHOWN)

    @property
    def state(self) -> str:
        """For the colour: todo | seen | answered | correct | partial | wrong."""
        if self.graded:
            return "correct" if self.n_correct == len(self.graded) else "wrong" if self.n_correct == 0 else "partial"
        if self.answers:
            return "answered"
        return "seen" if self.visited else "todo"


@dataclass
class Row:
    label: str
    cells: list[Cell]
    user: object = None  # a student row
    group: Group | None = None  # a group row
    members: list = field(default_factory=list)
    complete: bool = False
    overdue: bool = False
    late: bool = False
    progress: completion.Route | None = None  # done steps and the route (learning.completion)

    @property
    def done(self) -> int:
        """Steps done on the student's route (``learning.completion``), not pages opened."""
        return self.progress.n_done if self.progress else 0

    @property
    def total(self) -> int:
        """Steps on the student's route (a remedial step only when the route takes it)."""
        return len(self.progress.steps) if self.progress else len(self.cells)

    @property
    def pct(self) -> int:
        return self.progress.pct if self.progress else 0

    @property
    def route(self) -> list[NodeView]:
        """The branch taken: the steps of the student's route they have opened, in route order."""
        if self.progress is None:
            return []
        visited = {c.node.obj.hruid for c in self.cells if c.visited}
        return [n for n in self.progress.steps if n.obj.hruid in visited]

    @property
    def last_activity(self) -> datetime | None:
        times = [c.visited for c in self.cells if c.visited] + [
            s.created_at for c in self.cells for s in c.answers.values()
        ]
        return max(times, default=None)

    @property
    def score(self) -> float | None:
        scores = [c.score for c in self.cells if c.score is not None]
        return sum(scores) / len(scores) if scores else None

    @property
    def score_pct(self) -> int | None:
        return None if self.score is None else round(100 * self.score)

    @property
    def n_answers(self) -> int:
        return sum(c.n_answers for c in self.cells)


@dataclass
class Grid:
    assignment: Assignment
    path: LearningPath | None
    nodes: list[NodeView]
    rows: list[Row]
    by: str = "student"

    @property
    def branching(self) -> bool:
        return any(len(n.next) > 1 for n in self.nodes)

    @property
    def n_overdue(self) -> int:
        return sum(1 for r in self.rows if r.overdue)


def _languages(*, path: LearningPath | None, teacher) -> list[str]:
    """The assigned path's language and its variants' (the same hruid in other languages): a
    student working in the Dutch variant of an English path makes progress on the assignment."""
    if path is None:
        return []
    return [path.language] + [v.language for v in content.path_variants(path=path, user=teacher)]


def _facts(*, assignment: Assignment, nodes: list[NodeView], user_ids: list[int], languages=None, rules=None):
    """One query for steps seen, one for answers and (only for ``completion: run`` paths) one for
    cell runs, for all the users at once, across the path's language variants: an answer in another
    language counts for the step with the same object hruid. Returns (first seen, latest answer per
    question, ``completion.Facts`` per user)."""
    languages = list(languages or [assignment.path_language])
    seen: dict[tuple[int, str], datetime] = {}
    facts = {u: completion.Facts() for u in user_ids}
    for user_id, hruid, first in StepDone.objects.filter(
        user_id__in=user_ids,
        path_hruid=assignment.path_hruid,
        path_language__in=languages,
    ).values_list("user_id", "object_hruid", "first_seen"):
        seen[(user_id, hruid)] = min(first, seen.get((user_id, hruid), first))
        facts[user_id].seen.add(hruid)
    node_language = {n.obj.hruid: n.obj.language for n in nodes}
    latest: dict[tuple[int, str, str], dict[str, Submission]] = {}
    rows = Submission.objects.filter(
        user_id__in=user_ids, object_hruid__in=set(node_language), object_language__in=languages
    ).order_by("created_at", "pk")
    for sub in rows:
        key = (sub.object_hruid, node_language[sub.object_hruid])
        latest.setdefault((sub.user_id, *key), {})[sub.question_id] = sub
        facts[sub.user_id].answers.setdefault(key, []).insert(
            0, (sub.question_id, sub.answer, sub.correct, sub.score, sub.created_at)
        )
    if rules and any(r.run for r in rules.values()):
        for user_id, hruid in CellsRun.objects.filter(
            user_id__in=user_ids, object_hruid__in=set(node_language), object_language__in=languages
        ).values_list("user_id", "object_hruid"):
            facts[user_id].ran.add((hruid, node_language[hruid]))
    return seen, latest, facts


def _row(*, assignment, nodes, user_ids, seen, latest, facts=None, rules=None, **kwargs) -> Row:
    deadline = assignment.deadline
    cells = []
    for node in nodes:
        cell = Cell(node=node)
        times = [seen[(u, node.obj.hruid)] for u in user_ids if (u, node.obj.hruid) in seen]
        cell.visited = min(times, default=None)
        for u in user_ids:  # a group: the newest answer of any member counts
            for qid, sub in latest.get((u, node.obj.hruid, node.obj.language), {}).items():
                if qid not in cell.answers or sub.created_at > cell.answers[qid].created_at:
                    cell.answers[qid] = sub
        if deadline is not None:
            cell.late = any(s.created_at > deadline for s in cell.answers.values()) or bool(
                cell.visited and cell.visited > deadline
            )
        cells.append(cell)
    row = Row(cells=cells, **kwargs)
    merged = completion.Facts()
    for u in user_ids:  # a group: any member's work counts for the group
        merged = merged.merged((facts or {}).get(u, completion.Facts()))
    row.progress = completion.route_of(nodes=nodes, rules=rules or {}, facts=merged) if nodes else None
    for cell in cells:
        cell.done = bool(row.progress and cell.node.obj.hruid in row.progress.done)
        cell.on_route = bool(row.progress and cell.node.obj.hruid in row.progress.hruids)
    row.complete = bool(row.progress and row.progress.finished)
    row.overdue = assignment.is_past_deadline and not row.complete
    row.late = any(c.late for c in cells)
    return row


def _nodes(*, assignment: Assignment, user) -> tuple[LearningPath | None, list[NodeView]]:
    """The path and the nodes a student sees, or (None, []) when the path is gone."""
    try:
        path = content.path_get(user=user, hruid=assignment.path_hruid, language=assignment.path_language)
    except Http404:
        return None, []
    return path, content.path_nodes(path=path, user=user, as_student=True)


def assignment_grid(*, assignment: Assignment, teacher, by: str = "student") -> Grid:
    path, nodes = _nodes(assignment=assignment, user=teacher)
    students = assignment_students(assignment=assignment)
    rules = completion.path_rules(path=path, nodes=nodes, user=teacher, as_student=True) if path else {}
    seen, latest, facts = _facts(
        assignment=assignment,
        nodes=nodes,
        user_ids=[s.pk for s in students],
        languages=_languages(path=path, teacher=teacher),
        rules=rules,
    )
    rows = []
    if by == "group":
        assigned = list(assignment.groups.all()) or list(assignment.classroom.groups.all())
        ids = {s.pk for s in students}
        for group in Group.objects.filter(pk__in=[g.pk for g in assigned]).prefetch_related("members"):
            members = [m for m in group.members.all() if m.pk in ids]
            rows.append(
                _row(
                    assignment=assignment,
                    nodes=nodes,
                    user_ids=[m.pk for m in members],
                    seen=seen,
                    latest=latest,
                    facts=facts,
                    rules=rules,
                    label=group.name,
                    group=group,
                    members=members,
                )
            )
    else:
        by = "student"
        for s in students:
            rows.append(
                _row(
                    assignment=assignment,
                    nodes=nodes,
                    user_ids=[s.pk],
                    seen=seen,
                    latest=latest,
                    facts=facts,
                    rules=rules,
                    label=s.username,
                    user=s,
                )
            )
    return Grid(assignment=assignment, path=path, nodes=nodes, rows=rows, by=by)


# -- item analysis ---------------------------------------------------------------------------------


@dataclass
class ItemStats:
    node: NodeView
    question: Question
    answered: int  # students with at least one answer
    first_right: int  # students whose first try was right
    graded: int  # students whose first try was graded (not an open answer)
    wrong_text: str = ""  # the most common wrong answer, as text
    wrong_count: int = 0

    @property
    def first_right_pct(self) -> int | None:
        return round(100 * self.first_right / self.graded) if self.graded else None


def item_analysis(*, assignment: Assignment, nodes: list[NodeView], students: list | None = None) -> list[ItemStats]:
    """Per question of the path: share right at the first try, the most common wrong answer, how many
    answered. Counts signed-in class members the assignment is for only (``assignment_students``)."""
    if students is None:
        students = assignment_students(assignment=assignment)
    ids = [s.pk for s in students]
    keys = {(n.obj.hruid, n.obj.language) for n in nodes}
    subs: dict[tuple[str, str, str], dict[int, list[Submission]]] = {}
    for sub in Submission.objects.filter(
        user_id__in=ids, user__isnull=False, object_hruid__in={k[0] for k in keys}
    ).order_by("created_at", "pk"):
        if (sub.object_hruid, sub.object_language) in keys:
            subs.setdefault((sub.object_hruid, sub.object_language, sub.question_id), {}).setdefault(
                sub.user_id, []
            ).append(sub)
    out = []
    for node in nodes:
        for question in node.obj.questions.all():
            if question.teacher_only:
                continue
            tries = subs.get((node.obj.hruid, node.obj.language, question.qid), {})
            firsts = [t[0] for t in tries.values()]
            wrong = Counter(answer_display(question, s.answer) for t in tries.values() for s in t if s.correct is False)
            text, count = wrong.most_common(1)[0] if wrong else ("", 0)
            out.append(
                ItemStats(
                    node=node,
                    question=question,
                    answered=len(tries),
                    first_right=sum(1 for s in firsts if s.correct is True),
                    graded=sum(1 for s in firsts if s.correct is not None),
                    wrong_text=value_preview(text, 120),
                    wrong_count=count,
                )
            )
    return out


# -- a student's own assignments -------------------------------------------------------------------


@dataclass
class StudentAssignment:
    assignment: Assignment
    path: LearningPath | None
    row: Row | None

    @property
    def overdue(self) -> bool:
        return self.row.overdue if self.row else self.assignment.is_past_deadline


def student_assignments(*, user) -> list[StudentAssignment]:
    """What the student has to do: assignments of their classes (whole class, or one of their groups)."""
    if not user.is_authenticated:
        return []
    class_ids = Membership.objects.filter(user=user, status=Membership.Status.ACTIVE).values_list(
        "classroom_id", flat=True
    )
    my_groups = Group.objects.filter(members=user)
    assignments = (
        Assignment.objects.filter(classroom_id__in=class_ids)
        .filter(Q(groups__isnull=True) | Q(groups__in=my_groups))
        .distinct()
        .select_related("classroom")
    )
    out = []
    for assignment in assignments:
        path, nodes = _nodes(assignment=assignment, user=user)
        rules = completion.path_rules(path=path, nodes=nodes, user=user, as_student=True) if path else {}
        seen, latest, facts = _facts(
            assignment=assignment,
            nodes=nodes,
            user_ids=[user.pk],
            languages=_languages(path=path, teacher=user),
            rules=rules,
        )
        row = (
            _row(
                assignment=assignment,
                nodes=nodes,
                user_ids=[user.pk],
                seen=seen,
                latest=latest,
                facts=facts,
                rules=rules,
                label=user.username,
                user=user,
            )
            if path
            else None
        )
        out.append(StudentAssignment(assignment=assignment, path=path, row=row))
    return out


# -- one student's answers, for the teacher --------------------------------------------------------


def answer_display(question: Question | None, answer) -> str:
    """An answer as a teacher reads it (``answer_text``): option labels, numbers, pairs, the text."""
    return answer_text.answer_text(question, answer)


def key_display(question: Question) -> str:
    """The right answer as text, never the raw key (``answer_text``)."""
    return answer_text.key_text(question)


def _pct(score: float | None) -> int | None:
    return round(100 * score) if isinstance(score, (int, float)) and math.isfinite(score) else None


@dataclass
class QuestionAnswers:
    question: Question | None
    qid: str
    attempts: list[dict]  # newest first: {"submission", "text", "feedback", "late", "review"}
    key: str = ""

    @property
    def tries(self) -> int:
        return len(self.attempts)

    @property
    def latest(self) -> dict | None:
        return self.attempts[0] if self.attempts else None

    @property
    def open(self) -> bool:
        """Graded by the teacher: an open question, or an answer the key cannot grade."""
        return self.qid != RETURN_VALUE_QID and (
            (self.question is not None and self.question.kind == "essay")
            or bool(self.attempts and self.attempts[0]["submission"].correct is None)
        )


@dataclass
class NodeAnswers:
    node: NodeView
    visited: datetime | None
    questions: list[QuestionAnswers]


def student_answers(*, assignment: Assignment, teacher, student_id: int) -> tuple[object, list[NodeAnswers]]:
    student = next((s for s in assignment_students(assignment=assignment) if s.pk == student_id), None)
    if student is None:
        raise Http404("This student does not have this assignment.")
    path, nodes = _nodes(assignment=assignment, user=teacher)
    # Across the path's language variants, as the grid counts them (``_facts``): work in the Dutch
    # variant of an English assignment shows here too, read with the questions it was answered in.
    languages = _languages(path=path, teacher=teacher)
    seen: dict[str, datetime] = {}
    for hruid, first in StepDone.objects.filter(
        user=student, path_hruid=assignment.path_hruid, path_language__in=languages
    ).values_list("object_hruid", "first_seen"):
        seen[hruid] = min(first, seen.get(hruid, first))
    hruids = [n.obj.hruid for n in nodes]
    subs = list(Submission.objects.filter(user=student, object_hruid__in=hruids, object_language__in=languages))
    variant_questions = {
        (q.learning_object.hruid, q.learning_object.language, q.learning_object.version, q.qid): q
        for q in Question.objects.filter(
            learning_object__hruid__in=hruids,
            learning_object__language__in={s.object_language for s in subs} - {assignment.path_language},
        ).select_related("learning_object")
    }
    out = []
    for node in nodes:
        questions = {q.qid: q for q in node.obj.questions.all()}
        mine = [s for s in subs if s.object_hruid == node.obj.hruid]
        qids = list(questions) + sorted({s.question_id for s in mine} - set(questions))
        items = []
        for qid in qids:
            q = questions.get(qid)
            # The question as the student saw it: in their language (and version) when it differs.
            asked = {
                s.pk: q
                if s.object_language == node.obj.language
                else variant_questions.get((s.object_hruid, s.object_language, s.object_version, qid), q)
                for s in mine
            }
            tries = [s for s in mine if s.question_id == qid]  # newest first (model ordering)
            attempts = [
                {
                    "submission": s,
                    "text": answer_display(asked[s.pk], s.answer),
                    "feedback": answer_text.feedback_text(asked[s.pk], s.answer, s.correct, tries=len(tries) - i),
                    "late": bool(assignment.deadline and s.created_at > assignment.deadline),
                    "review": learning_selectors.review_of(s),
                    "review_pct": _pct(s.review_score),
                }
                for i, s in enumerate(tries)
            ]
            items.append(QuestionAnswers(question=q, qid=qid, attempts=attempts, key=key_display(q) if q else ""))
        out.append(NodeAnswers(node=node, visited=seen.get(node.obj.hruid), questions=items))
    return student, out


# -- the teacher's reviews, for the student --------------------------------------------------------

REVIEWS_SHOWN = 20  # newest reviews on the student's home page


@dataclass
class ReviewNote:
    submission: Submission
    review: dict
    prompt: str
    title: str
    url: str

    @property
    def pct(self) -> int | None:
        return _pct(self.submission.review_score)


def student_reviews(*, user, assignments: list[StudentAssignment] | None = None) -> list[ReviewNote]:
    """The teacher's comments and scores on ``user``'s answers, newest first, each linking to the step
    of an assigned path that holds it (the object's page otherwise)."""
    if not user.is_authenticated:
        return []
    subs = list(
        Submission.objects.filter(user=user, reviewed_at__isnull=False).order_by("-reviewed_at", "-pk")[:REVIEWS_SHOWN]
    )
    if not subs:
        return []
    if assignments is None:
        assignments = student_assignments(user=user)
    steps: dict[tuple[str, str], str] = {}
    for a in assignments:
        if a.path is not None:
            for node in a.row.cells if a.row else []:
                steps.setdefault(
                    (node.node.obj.hruid, node.node.obj.language),
                    reverse("learning:path_node", args=[a.path.hruid, a.path.language, node.node.obj.hruid]),
                )
    questions = {
        (q.learning_object.hruid, q.learning_object.language, q.qid): q
        for q in Question.objects.filter(
            learning_object__hruid__in={s.object_hruid for s in subs}, teacher_only=False
        ).select_related("learning_object")
    }
    out = []
    for s in subs:
        q = questions.get((s.object_hruid, s.object_language, s.question_id))
        url = steps.get((s.object_hruid, s.object_language)) or reverse(
            "paths:object_latest", args=[s.object_hruid, s.object_language]
        )
        out.append(
            ReviewNote(
                submission=s,
                review=learning_selectors.review_of(s) or {},
                prompt=text_safe(q.prompt if q else "", 300),
                title=text_safe(q.learning_object.title if q else s.object_hruid, 200),
                url=url,
            )
        )
    return out
