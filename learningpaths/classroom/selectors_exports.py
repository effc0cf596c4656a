"""Reads that leave the site: the dashboard as CSV rows, and this app's sections of a person's
data export (registered with ``accounts.exports`` in ``apps.py``)."""

from __future__ import annotations

from django.utils import timezone

from learningpaths.accounts.exports import iso
from learningpaths.core.jsonvalues import text_safe, value_preview

from .models import Assignment, ClassAccount, Classroom, Group, Membership
from .selectors_access import assignment_students
from .selectors_dashboard import Grid, student_answers

# -- CSV -------------------------------------------------------------------------------------------

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CSV_CELL_MAX = 32_000  # characters; spreadsheets hold at most 32767 in a cell
CSV_RETURNED_MAX = 200  # characters of a returned value in a step's cell


def csv_safe(value) -> str:
    """A cell a spreadsheet will not run: text starting with = + - @ (or tab, CR) gets a quote.
    Cut to ``CSV_CELL_MAX`` and safe to encode (``core.jsonvalues.text_safe``)."""
    text = text_safe(value, CSV_CELL_MAX)
    return "'" + text if text.startswith(_FORMULA_START) else text


def local_time(moment) -> str:
    """A time in the school's time zone (settings.TIME_ZONE, or the zone a request activated), to the
    second, with its offset: a spreadsheet shows the hour the class saw."""
    return iso(timezone.localtime(moment)) if moment else ""


def decimal_text(value: float | None, comma: bool) -> str:
    if value is None:
        return ""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") if comma else text


def answers_csv_rows(*, assignment: Assignment, teacher, comma: bool = False) -> list[list[str]]:
    """One row per answer of every student of the assignment (signed-in class members only): the
    question, the answer and the right answer as text, the result, when, and the teacher's review."""
    header = [
        "student",
        "step",
        "question",
        "try",
        "answer",
        "expected",
        "correct",
        "score",
        "time",
        "late",
        "review_score",
        "review_comment",
    ]
    out = [header]
    for student in assignment_students(assignment=assignment):
        _student, nodes = student_answers(assignment=assignment, teacher=teacher, student_id=student.pk)
        for item in nodes:
            for q in item.questions:
                prompt = q.question.prompt if q.question is not None else q.qid
                for n, a in enumerate(q.attempts):
                    sub = a["submission"]
                    line = [
                        student.username,
                        f"{item.node.index + 1}. {item.node.obj.title}",
                        prompt or q.qid,
                        len(q.attempts) - n,
                        a["text"],
                        q.key,
                        "" if sub.correct is None else "yes" if sub.correct else "no",
                        decimal_text(sub.score, comma),
                        local_time(sub.created_at),
                        "yes" if a["late"] else "no",
                        decimal_text(sub.review_score, comma),
                        sub.review_comment,
                    ]
                    out.append([csv_safe(v) for v in line])
    return out


def grid_csv_rows(*, grid: Grid) -> list[list[str]]:
    header = [
        "group" if grid.by == "group" else "student",
        "members" if grid.by == "group" else "groups",
        "steps_done",
        "steps_total",
        "progress_pct",
        "answers",
        "score_pct",
        "complete",
        "late",
        "overdue",
        "last_activity",
        "route",
    ]
    header += [f"{n.index + 1}. {n.obj.title}" for n in grid.nodes]
    out = [header]
    for row in grid.rows:
        if row.group is not None:
            who = " ".join(m.username for m in row.members)
        else:
            who = " ".join(g.name for g in row.user.class_groups.filter(classroom=grid.assignment.classroom))
        line = [
            row.label,
            who,
            row.done,
            row.total,
            row.pct,
            row.n_answers,
            "" if row.score_pct is None else row.score_pct,
            "yes" if row.complete else "no",
            "yes" if row.late else "no",
            "yes" if row.overdue else "no",
            local_time(row.last_activity),
            " > ".join(str(n.index + 1) for n in row.route),
        ]
        for cell in row.cells:
            parts = []
            if cell.visited:
                parts.append("seen")
            if cell.graded:
                parts.append(f"{cell.n_correct}/{len(cell.graded)} correct")
            elif cell.n_answers:
                parts.append("answered")
            if cell.returned is not None:
                parts.append("returned " + value_preview(cell.returned.answer, CSV_RETURNED_MAX))
            if cell.late:
                parts.append("late")
            line.append("; ".join(parts))
        out.append([csv_safe(v) for v in line])
    return out


# -- a person's own data (GDPR) --------------------------------------------------------------------


def classes_export(*, user) -> list[dict]:
    return [
        {
            "name": m.classroom.name,
            "status": m.status,
            "joined_at": iso(m.joined_at),
            "teachers": [t.username for t in m.classroom.teachers.all()],
        }
        for m in Membership.objects.filter(user=user).select_related("classroom")
    ]


def groups_export(*, user) -> list[dict]:
    return [
        {"class": g.classroom.name, "group": g.name}
        for g in Group.objects.filter(members=user).select_related("classroom")
    ]


def classes_taught_export(*, user) -> list[dict]:
    return [{"name": c.name, "created_at": iso(c.created_at)} for c in Classroom.objects.filter(teachers=user)]


def class_account_export(*, user) -> dict | None:
    """The class account a teacher made for this pupil (the name on their card), or None."""
    account = ClassAccount.objects.filter(user=user).select_related("classroom").first()
    if account is None:
        return None
    return {"class": account.classroom.name, "name": account.name, "created_at": iso(account.created_at)}
