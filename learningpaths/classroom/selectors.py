"""Reads for classes, the students' home page, the teacher dashboard, CSV export and data export.

Who may see what is decided here: a teacher sees only classes they teach, a student only their own
memberships and assignments. Anything else is Http404, never 403, so ids leak nothing.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Q
from django.http import Http404

from learningpaths.learning.models import PathProgress, StepDone, Submission
from learningpaths.paths import selectors as content
from learningpaths.paths.models import LearningPath, Question
from learningpaths.paths.selectors import NodeView

from .models import Assignment, Classroom, Group, Membership
from .services import RETURN_VALUE_QID

# -- classes ---------------------------------------------------------------------------------------


def classrooms_for_teacher(*, user) -> list[Classroom]:
    if not user.is_authenticated:
        return []
    return list(
        Classroom.objects.filter(teachers=user).annotate(
            n_students=Count("memberships", filter=Q(memberships__status=Membership.Status.ACTIVE), distinct=True),
            n_pending=Count("memberships", filter=Q(memberships__status=Membership.Status.PENDING), distinct=True),
            n_assignments=Count("assignments", distinct=True),
        )
    )


def classroom_for_teacher(*, user, class_id: int) -> Classroom:
    """The class, when ``user`` teaches it; otherwise 404 (also for ids that do not exist)."""
    if not user.is_authenticated:
        raise Http404("No such class.")
    classroom = Classroom.objects.filter(pk=class_id, teachers=user).first()
    if classroom is None:
        raise Http404("No such class.")
    return classroom


def classroom_for_member(*, user, class_id: int) -> Classroom:
    classroom = Classroom.objects.filter(pk=class_id, memberships__user=user).first() \
        if user.is_authenticated else None
    if classroom is None:
        raise Http404("No such class.")
    return classroom


def group_for_teacher(*, classroom: Classroom, group_id: int) -> Group:
    group = classroom.groups.filter(pk=group_id).first()
    if group is None:
        raise Http404("No such group.")
    return group


def assignment_for_teacher(*, user, class_id: int, assignment_id: int) -> Assignment:
    classroom = classroom_for_teacher(user=user, class_id=class_id)
    assignment = classroom.assignments.filter(pk=assignment_id).first()
    if assignment is None:
        raise Http404("No such assignment.")
    return assignment


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


def active_students(*, classroom: Classroom) -> list:
    return [m.user for m in classroom.memberships.filter(status=Membership.Status.ACTIVE).select_related("user")]


def assignment_students(*, assignment: Assignment) -> list:
    """Active members the assignment is for: the whole class, or the members of its groups."""
    students = active_students(classroom=assignment.classroom)
    groups = list(assignment.groups.all())
    if groups:
        ids = set(Group.members.through.objects.filter(group__in=groups).values_list("user_id", flat=True))
        students = [s for s in students if s.pk in ids]
    return students


def path_choices(*, user) -> list[LearningPath]:
    return list(LearningPath.objects.visible_to(user).order_by("title", "language", "hruid"))


# -- progress grid ---------------------------------------------------------------------------------

@dataclass
class Cell:
    node: NodeView
    visited: datetime | None = None
    answers: dict = field(default_factory=dict)  # question id -> latest Submission (any member)
    late: bool = False

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

    @property
    def done(self) -> int:
        return sum(1 for c in self.cells if c.visited)

    @property
    def pct(self) -> int:
        return round(100 * self.done / len(self.cells)) if self.cells else 0

    @property
    def route(self) -> list[NodeView]:
        """The steps visited, in the order first visited: the branch taken through the path."""
        return [c.node for c in sorted((c for c in self.cells if c.visited), key=lambda c: c.visited)]

    @property
    def last_activity(self) -> datetime | None:
        times = [c.visited for c in self.cells if c.visited] + [s.created_at for c in self.cells for s in c.answers.values()]
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


def _facts(*, assignment: Assignment, nodes: list[NodeView], user_ids: list[int]):
    """One query for steps seen and one for answers, for all the users at once."""
    seen: dict[tuple[int, str], datetime] = {}
    for user_id, hruid, first in StepDone.objects.filter(
            user_id__in=user_ids, path_hruid=assignment.path_hruid, path_language=assignment.path_language,
    ).values_list("user_id", "object_hruid", "first_seen"):
        seen[(user_id, hruid)] = first
    keys = {(n.obj.hruid, n.obj.language) for n in nodes}
    latest: dict[tuple[int, str, str], dict[str, Submission]] = {}
    rows = Submission.objects.filter(user_id__in=user_ids, object_hruid__in={k[0] for k in keys}) \
        .order_by("created_at", "pk")
    for sub in rows:
        if (sub.object_hruid, sub.object_language) in keys:
            latest.setdefault((sub.user_id, sub.object_hruid, sub.object_language), {})[sub.question_id] = sub
    return seen, latest


def _row(*, assignment, nodes, user_ids, seen, latest, **kwargs) -> Row:
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
            cell.late = any(s.created_at > deadline for s in cell.answers.values()) or \
                bool(cell.visited and cell.visited > deadline)
        cells.append(cell)
    row = Row(cells=cells, **kwargs)
    ends = [c for c in cells if not c.node.next]
    branching = any(len(n.next) > 1 for n in nodes)
    row.complete = bool(cells) and (all(c.visited for c in cells) or (branching and any(c.visited for c in ends)))
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
    seen, latest = _facts(assignment=assignment, nodes=nodes, user_ids=[s.pk for s in students])
    rows = []
    if by == "group":
        assigned = list(assignment.groups.all()) or list(assignment.classroom.groups.all())
        ids = {s.pk for s in students}
        for group in Group.objects.filter(pk__in=[g.pk for g in assigned]).prefetch_related("members"):
            members = [m for m in group.members.all() if m.pk in ids]
            rows.append(_row(assignment=assignment, nodes=nodes, user_ids=[m.pk for m in members], seen=seen,
                             latest=latest, label=group.name, group=group, members=members))
    else:
        by = "student"
        for s in students:
            rows.append(_row(assignment=assignment, nodes=nodes, user_ids=[s.pk], seen=seen, latest=latest,
                             label=s.username, user=s))
    return Grid(assignment=assignment, path=path, nodes=nodes, rows=rows, by=by)


# -- a student's own assignments -------------------------------------------------------------------

@dataclass
class StudentAssignment:
    assignment: Assignment
    path: LearningPath | None
    row: Row | None

    @property
    def overdue(self) -> bool:
        return self.row.overdue if self.row else self.assignment.is_past_deadline


def student_memberships(*, user) -> list[Membership]:
    if not user.is_authenticated:
        return []
    return list(Membership.objects.filter(user=user).select_related("classroom")
                .prefetch_related("classroom__teachers").order_by("classroom__name"))


def student_assignments(*, user) -> list[StudentAssignment]:
    """What the student has to do: assignments of their classes (whole class, or one of their groups)."""
    if not user.is_authenticated:
        return []
    class_ids = Membership.objects.filter(user=user, status=Membership.Status.ACTIVE).values_list("classroom_id", flat=True)
    my_groups = Group.objects.filter(members=user)
    assignments = Assignment.objects.filter(classroom_id__in=class_ids).filter(
        Q(groups__isnull=True) | Q(groups__in=my_groups)).distinct().select_related("classroom")
    out = []
    for assignment in assignments:
        path, nodes = _nodes(assignment=assignment, user=user)
        seen, latest = _facts(assignment=assignment, nodes=nodes, user_ids=[user.pk])
        row = _row(assignment=assignment, nodes=nodes, user_ids=[user.pk], seen=seen, latest=latest,
                   label=user.username, user=user) if path else None
        out.append(StudentAssignment(assignment=assignment, path=path, row=row))
    return out


# -- one student's answers, for the teacher --------------------------------------------------------

def answer_display(question: Question | None, answer) -> str:
    """An answer as a teacher reads it: option texts for choices, the text or number otherwise."""
    if question is not None and question.kind in ("multiple_choice", "true_false") and isinstance(answer, list):
        options = question.options if question.kind == "multiple_choice" else ["true", "false"]
        return ", ".join(str(options[i]) if isinstance(i, int) and 0 <= i < len(options) else str(i) for i in answer)
    if isinstance(answer, str):
        return answer
    if isinstance(answer, float) and answer.is_integer():
        return str(int(answer))
    return json.dumps(answer, ensure_ascii=False)


def key_display(question: Question) -> str:
    key = question.key
    if key is None:
        return ""
    if question.kind == "multiple_choice":
        correct = key.get("correct") if isinstance(key, dict) else key
        if isinstance(correct, int) and not isinstance(correct, bool):
            correct = [correct]
        if isinstance(correct, list):
            return answer_display(question, correct)
    return key if isinstance(key, str) else json.dumps(key, ensure_ascii=False)


@dataclass
class QuestionAnswers:
    question: Question | None
    qid: str
    attempts: list[dict]  # newest first: {"submission", "text", "late"}
    key: str = ""


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
    seen = dict(StepDone.objects.filter(user=student, path_hruid=assignment.path_hruid,
                                        path_language=assignment.path_language)
                .values_list("object_hruid", "first_seen"))
    subs = list(Submission.objects.filter(user=student, object_hruid__in=[n.obj.hruid for n in nodes]))
    out = []
    for node in nodes:
        questions = {q.qid: q for q in node.obj.questions.all()}
        mine = [s for s in subs if s.object_hruid == node.obj.hruid and s.object_language == node.obj.language]
        qids = list(questions) + sorted({s.question_id for s in mine} - set(questions))
        items = []
        for qid in qids:
            q = questions.get(qid)
            attempts = [{"submission": s, "text": answer_display(q, s.answer),
                         "late": bool(assignment.deadline and s.created_at > assignment.deadline)}
                        for s in mine if s.question_id == qid]  # newest first (model ordering)
            items.append(QuestionAnswers(question=q, qid=qid, attempts=attempts, key=key_display(q) if q else ""))
        out.append(NodeAnswers(node=node, visited=seen.get(node.obj.hruid), questions=items))
    return student, out


# -- CSV -------------------------------------------------------------------------------------------

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value) -> str:
    """A cell a spreadsheet will not run: text starting with = + - @ (or tab, CR) gets a quote."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _iso(moment: datetime | None) -> str:
    return moment.isoformat(timespec="seconds") if moment else ""


def grid_csv_rows(*, grid: Grid) -> list[list[str]]:
    header = ["group" if grid.by == "group" else "student", "members" if grid.by == "group" else "groups",
              "steps_done", "steps_total", "progress_pct", "answers", "score_pct", "complete", "late", "overdue",
              "last_activity", "route"]
    header += [f"{n.index + 1}. {n.obj.title}" for n in grid.nodes]
    out = [header]
    for row in grid.rows:
        if row.group is not None:
            who = " ".join(m.username for m in row.members)
        else:
            who = " ".join(g.name for g in row.user.class_groups.filter(classroom=grid.assignment.classroom))
        line = [row.label, who, row.done, len(row.cells), row.pct, row.n_answers,
                "" if row.score_pct is None else row.score_pct, "yes" if row.complete else "no",
                "yes" if row.late else "no", "yes" if row.overdue else "no", _iso(row.last_activity),
                " > ".join(str(n.index + 1) for n in row.route)]
        for cell in row.cells:
            parts = []
            if cell.visited:
                parts.append("seen")
            if cell.graded:
                parts.append(f"{cell.n_correct}/{len(cell.graded)} correct")
            elif cell.n_answers:
                parts.append("answered")
            if cell.returned is not None:
                parts.append("returned " + json.dumps(cell.returned.answer, ensure_ascii=False))
            if cell.late:
                parts.append("late")
            line.append("; ".join(parts))
        out.append([csv_safe(v) for v in line])
    return out


# -- a person's own data (GDPR) --------------------------------------------------------------------

def user_data(*, user) -> dict:
    """Everything stored about ``user`` (no password hash), as JSON-ready data."""
    memberships = Membership.objects.filter(user=user).select_related("classroom")
    return {
        "account": {
            "username": user.username, "email": user.email, "first_name": user.first_name,
            "last_name": user.last_name, "role": user.role, "date_joined": _iso(user.date_joined),
            "last_login": _iso(user.last_login),
        },
        "classes": [{"name": m.classroom.name, "status": m.status, "joined_at": _iso(m.joined_at),
                     "teachers": [t.username for t in m.classroom.teachers.all()]} for m in memberships],
        "groups": [{"class": g.classroom.name, "group": g.name}
                   for g in Group.objects.filter(members=user).select_related("classroom")],
        "classes_taught": [{"name": c.name, "created_at": _iso(c.created_at)}
                           for c in Classroom.objects.filter(teachers=user)],
        "path_progress": [{"path": p.path_hruid, "language": p.path_language, "current_step": p.current_hruid,
                           "started_at": _iso(p.started_at), "updated_at": _iso(p.updated_at)}
                          for p in PathProgress.objects.filter(user=user)],
        "steps_done": [{"path": s.path_hruid, "language": s.path_language, "step": s.object_hruid,
                        "first_seen": _iso(s.first_seen)}
                       for s in StepDone.objects.filter(user=user).order_by("first_seen")],
        "submissions": [{"object": s.object_hruid, "language": s.object_language, "version": s.object_version,
                         "question": s.question_id, "answer": s.answer, "correct": s.correct, "score": s.score,
                         "created_at": _iso(s.created_at)}
                        for s in Submission.objects.filter(user=user).order_by("created_at", "pk")],
    }
